"""The reference evaluator: one case, one date, one pack -> deadline, status and findings.

Every other executor (batch, stream) is tested against this one, so it favours plainness.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Literal

from govrules.calendar import WorkCalendar
from govrules.engine.checks import apply_checks
from govrules.semantics.compiled import Active, CompiledPack, compile_pack
from govrules.semantics.trace import DeadlineTrace, ExtensionTrace, LateTrace, MissedTrace, NextReportTrace, Trace
from govrules.semantics.wording import matter_subject, render
from govrules.semantics.findings import Case, breach_kind, case_date, make_finding, unknown_finding
from govrules.semantics.obligations import obligation_state
from govrules.engine.options import DEFAULT, Options
from govrules.semantics.periods import period_end
from govrules.semantics.provenance import calendar_used
from govrules.engine.quotas import quota_findings
from govrules.semantics.results import Evaluation, Finding, FindingKind, Status
from govrules.semantics.extension import OUTCOME_KIND, asked, capped, extension_outcome
from govrules.semantics.ops import ABSENT, SCALAR
from govrules.semantics.selection import applicable, first_applicable
from govrules.semantics.status import (
    LATE, PENDING, dated_status, earliest_report, reports_stand_in, standing_report, under_force, window_status,
)
from govrules.errors import HolidayDataMissing, add_context
from govrules.models import Matter
from govrules.packs.schema import DeadlineRule, ExtensionRule, ObligationRule, Pack

__all__ = ["UnknownDeadline", "case_date", "evaluate", "evaluate_all"]

# What a matter whose own deadline needs an unknown year gives: a refusal (one evaluation), or
# status "unknown" (a row of a ledger, which the other rows must not lose).
UnknownDeadline = Literal["raise", "report"]


def _status(cal: WorkCalendar, matter: Matter, due: date, as_of: date, warning: int, reply_counts: bool) -> tuple[Status, int | None]:
    """status.dated_status for one matter, and the 临期 window where it is pending (the working
    days left are counted only then: only a pending matter needs them)."""
    completed = matter.completed_on if matter.completed_on is not None else ABSENT
    dated = dated_status(SCALAR, completed=completed, due=due, as_of=as_of,
                         earliest_report=earliest_report(matter), reply_counts=reply_counts)
    if dated != PENDING:
        return dated, None
    remaining = cal.workdays_between(as_of, due)
    return window_status(SCALAR, remaining, warning), remaining


def _answer(missed: Sequence[date], next_due: date | None, unknown: HolidayDataMissing | None,
            more_missed: bool) -> str:
    """How an owed report rule answered: "missed" (a known miss), "next" (a known next due),
    "unknown" (its next due needs an unknown year, and no miss can hide before it), "unknown-missed"
    (misses may hide in the unknown year before as_of), or "none"."""
    if missed:
        return "missed"
    if unknown is not None:
        return "unknown-missed" if more_missed else "unknown"
    return "next" if next_due is not None else "none"


def _undecided(answers: list[tuple[str, Active, HolidayDataMissing | None]]) -> tuple[Active, HolidayDataMissing] | None:
    """The rule whose unknown answer could change the stand-in deadline or status, if one could.
    Knowing the year, a rule that may hide a miss decides if it comes after the last known miss
    (the last rule with a miss gives the date); without a known miss, the first rule with an
    answer decides, and that must be a known next due."""
    last_miss = max((i for i, (how, _, _) in enumerate(answers) if how == "missed"), default=-1)
    for i, (how, active, exc) in enumerate(answers):
        if how == "unknown-missed" and i > last_miss and exc is not None:
            return active, exc
    if last_miss < 0:
        first = next(((how, active, exc) for how, active, exc in answers if how != "none"), None)
        if first is not None and first[0] != "next" and first[2] is not None:
            return first[1], first[2]
    return None


class _MatterRun:
    def __init__(self, cp: CompiledPack, matter: Matter, as_of: date, options: Options, in_force: bool,
                 explain: bool = True) -> None:
        self.cp, self.m, self.as_of, self.opt, self.in_force = cp, matter, as_of, options, in_force
        self.explain = explain
        self.cal = options.work_calendar()
        self.findings: list[Finding] = []
        self.touched: list[date] = [matter.assigned_on, as_of]
        # set when the matter's own deadline or status needs a year the calendar does not know
        self.refused: HolidayDataMissing | None = None

    def find(self, active: Active, kind: FindingKind, due: date | None, trace: Trace, outcome: str | None = None,
             first: bool = False) -> None:
        """A finding with its trace; its message is rendered from the trace only when asked for
        (``explain``). ``first``: the deadline's finding leads the list."""
        msg = render(trace, active, self.cal) if self.explain else ""
        finding = make_finding(active, kind, due, msg, self.in_force, outcome, trace)
        if first:
            self.findings.insert(0, finding)
        else:
            self.findings.append(finding)

    def run(self) -> tuple[date | None, Status | None]:
        m = self.m
        rule_active = first_applicable(self.cp.deadlines, m)
        deadline: date | None = None
        status: Status | None = None
        if rule_active is not None:
            try:
                deadline, status = self.deadline(rule_active)
            except HolidayDataMissing as exc:
                self.refuse(rule_active, exc, matter_subject(m) + "的期限")
                deadline, status = None, "unknown"
        # no rule, or replied: the owed recurring reports (第十七条's weekly ones) give the status
        ob_due, ob_status = self.obligations(stand_in=rule_active is None or status == "replied")
        if reports_stand_in(rule_active is not None, status, ob_status):
            deadline, status = ob_due, ob_status
        self.checks()
        return deadline, status

    def refuse(self, active: Active, exc: HolidayDataMissing, what: str) -> None:
        """The matter's own deadline or status needs an unknown year: its rule's finding says so."""
        self.refused = exc
        self.findings.insert(0, unknown_finding(active, exc, what, self.in_force, self.explain))

    def deadline(self, active: Active) -> tuple[date | None, Status | None]:
        m, rule = self.m, active.rule
        assert isinstance(rule, DeadlineRule)
        base_due = period_end(self.cal, m.assigned_on, rule.period, m.explicit_deadline)
        due = self.extension(active, base_due)
        if due is None:
            self.find(active, "deadline", None, DeadlineTrace(matter_subject(m), m.assigned_on, None, None, None,
                                                              self.as_of, None), first=True)
            return None, None
        self.touched.append(due)
        dated, remaining = _status(self.cal, m, due, self.as_of, self.opt.warning_workdays, "report" in rule.satisfied_by)
        status = under_force(rule.force, dated)
        self.find(active, "deadline", due, DeadlineTrace(matter_subject(m), m.assigned_on, base_due, due, status,
                                                         self.as_of, remaining), first=True)
        if dated in LATE:
            self.find(active, breach_kind(active), due,
                      LateTrace(m.lead_unit, matter_subject(m), dated, m.completed_on, due, self.as_of))
        return (None if status == "replied" else due), status

    def extension(self, deadline_active: Active, due: date | None) -> date | None:
        """semantics.extension for this matter: the outcome, its finding, the deadline it leaves."""
        ext = self.m.extension
        if ext is None or due is None or not asked(ext.requested_on, self.as_of):
            return due
        active = first_applicable(self.cp.extensions, self.m)
        if active is None:
            return due
        rule = active.rule
        assert isinstance(rule, ExtensionRule)
        outcome = extension_outcome(SCALAR, allowed=active.allowed is None or active.allowed(self.m),
                                    must_precede=rule.must_precede_deadline, requested=ext.requested_on, due=due,
                                    needs_approval=rule.needs_approval, approved=ext.approved)
        new_due, cap = due, None
        dl_rule = deadline_active.rule
        assert isinstance(dl_rule, DeadlineRule)
        if outcome == "granted":
            if dl_rule.extension_cap is not None:
                cap = period_end(self.cal, self.m.assigned_on, dl_rule.extension_cap)
            new_due = ext.new_deadline if cap is None else capped(SCALAR, ext.new_deadline, cap)
        trace = ExtensionTrace(outcome, ext.requested_on, ext.new_deadline, due, new_due, cap, dl_rule.extension_cap,
                               deadline_active.clause.citation)
        kind = OUTCOME_KIND[outcome]
        self.find(active, kind, new_due, trace, outcome="延长办理期限" if kind == "deadline" else None)
        return new_due

    def obligations(self, stand_in: bool) -> tuple[date | None, Status | None]:
        """Findings for recurring reports. Where no deadline rule applies (``stand_in``) they give
        the matter's deadline and status: the first missed due of the last rule in pack order with
        a miss (overdue), else the next due of the first rule in pack order that has one.

        A report due in a year the calendar does not know is that rule's own "unknown" finding. It
        refuses the matter only where it could change the stand-in (``_undecided``)."""
        owed_dates: list[tuple[date | None, date | None]] = []  # (first miss, next due) of each owed rule, in pack order
        answers: list[tuple[str, Active, HolidayDataMissing | None]] = []  # owed reports, in pack order
        for active in applicable(self.cp.obligations, self.m):
            rule = active.rule
            assert isinstance(rule, ObligationRule)
            state = obligation_state(self.cal, rule, self.m, self.as_of)
            if state.missed:
                missed = state.missed
                # past the unknown year's start the count is a floor: later misses cannot be dated
                self.find(active, breach_kind(active), missed[0], MissedTrace(missed, state.more_missed))
                self.touched.append(state.missed[0])
            if rule.reports_required:
                owed_dates.append((state.missed[0] if state.missed else None, state.next_due if state.unknown is None else None))
                answers.append((_answer(state.missed, state.next_due, state.unknown, state.more_missed), active, state.unknown))
            if state.unknown is not None:
                if not rule.reports_required or state.missed:  # else it may decide the status: below
                    what = "下次报告的期限" if rule.reports_required else "下次进行的日期"
                    self.findings.append(unknown_finding(active, state.unknown, what, self.in_force, self.explain))
                continue
            next_due = state.next_due
            if next_due is not None:
                self.touched.append(next_due)
                if not rule.reports_required:
                    # someone else's duty (e.g. the 督查室's): a date to know, not the unit's deadline
                    self.find(active, "obligation", next_due, NextReportTrace(next_due, duty=True))
                    continue
                self.find(active, "obligation", next_due, NextReportTrace(next_due, duty=False))
        first_due: date | None = None
        worst: Status | None = None
        standing = standing_report([(missed is not None, upcoming is not None) for missed, upcoming in owed_dates])
        if standing is not None:
            first_miss, upcoming = owed_dates[standing]
            if first_miss is not None:
                first_due, worst = first_miss, "overdue"
            else:
                assert upcoming is not None
                remaining = self.cal.workdays_between(self.as_of, upcoming)
                first_due, worst = upcoming, window_status(SCALAR, remaining, self.opt.warning_workdays)
        blocking = _undecided(answers) if stand_in else None
        if blocking is not None:
            self.refuse(blocking[0], blocking[1], "事项的报告期限和状态")
            return None, "unknown"
        for how, active, exc in answers:  # the owed reports whose next due is unknown, no miss known
            if how.startswith("unknown") and exc is not None:
                self.findings.append(unknown_finding(active, exc, "下次报告的期限", self.in_force, self.explain))
        if first_due is None and self.m.completed_on is not None and self.m.completed_on <= self.as_of:
            if applicable(self.cp.owed_reports, self.m):
                return self.m.completed_on, "done"
        return first_due, worst

    def checks(self) -> None:
        apply_checks(self.cp, self.m, self.as_of, self.cal, self.findings, self.in_force, self.explain)


def evaluate(case: Case, as_of: date, pack: Pack | CompiledPack, options: Options = DEFAULT, *,
             explain: bool = True, unknown_deadline: UnknownDeadline = "raise") -> Evaluation:
    """Deadline, status and findings for one 事项, 会议 or 公文 as of ``as_of``.

    A CompiledPack carries its interpretation choices; ``options.interpretations`` applies
    only when a plain Pack is given. ``explain=False`` leaves every finding's message empty
    and is otherwise the same evaluation: for executors that act on statuses, rules and dates
    and word their own messages (the supervision stream re-evaluates a matter on every day its
    status may change).

    A finding whose answer needs a year the calendar does not know is that finding's own
    ``unknown`` result (``complete`` is then false); the rest is answered. Where the matter's own
    deadline or status needs such a year, the evaluation raises HolidayDataMissing, or with
    ``unknown_deadline="report"`` (a row of a ledger) returns status ``unknown``, its rule's
    ``unknown`` finding saying which year is missing and how to supply it.
    """
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    try:
        return _evaluate(case, as_of, cp, options, explain, unknown_deadline)
    except HolidayDataMissing as exc:
        raise add_context(exc, f"{case.type} {case.id}") from None


def _evaluate(case: Case, as_of: date, cp: CompiledPack, options: Options, explain: bool,
              unknown_deadline: UnknownDeadline) -> Evaluation:
    in_force = cp.check_in_force(case_date(case), options.allow_not_in_force, f"{case.type} {case.id}")
    cal = options.work_calendar()
    deadline: date | None = None
    status: Status | None = None
    touched = [case_date(case), as_of]
    if isinstance(case, Matter):
        run = _MatterRun(cp, case, as_of, options, in_force, explain)
        deadline, status = run.run()
        if run.refused is not None and unknown_deadline == "raise":
            raise run.refused
        findings, touched = run.findings, run.touched
    else:
        findings = []
        apply_checks(cp, case, as_of, cal, findings, in_force, explain)
    return Evaluation(
        id=case.id,
        type=case.type,
        pack=cp.id,
        as_of=as_of,
        deadline=deadline,
        status=status,
        provisional=bool(cal.provisional_years) and cal.touches_provisional(min(touched), max(touched)),
        findings=tuple(findings),
        complete=all(f.kind != "unknown" for f in findings),
        calendar=calendar_used(cal),
    )


def evaluate_all(cases: Iterable[Case], as_of: date, pack: Pack | CompiledPack, options: Options = DEFAULT,
                 *, unknown_deadline: UnknownDeadline = "report") -> list[Evaluation]:
    """Each case as ``evaluate`` sees it, plus the quota rules that count across the cases given.

    A ledger: a case whose own deadline needs a year the calendar does not know is answered with
    status ``unknown`` (``unknown_deadline="report"``), and the others as usual; ``"raise"``
    refuses the whole call instead, as ``evaluate`` refuses one case."""
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    cases = list(cases)
    results = [evaluate(c, as_of, cp, options, unknown_deadline=unknown_deadline) for c in cases]
    for index, extra in quota_findings(cp, cases, as_of).items():
        results[index] = replace(results[index], findings=results[index].findings + tuple(extra))
    return results
