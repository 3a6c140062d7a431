"""The reference evaluator: one case, one date, one pack -> deadline, status and findings.

Every other executor (batch, stream) is tested against this one, so it favours plainness.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from govrules.calendar import WorkCalendar
from govrules.chars import count_chars
from govrules.engine.compiled import Active, CompiledPack, compile_pack
from govrules.engine.explain import breach_reasons, deadline_message, force_phrase
from govrules.engine.obligations import obligation_state
from govrules.engine.options import DEFAULT, Options
from govrules.engine.periods import describe_period, period_end
from govrules.engine.results import Evaluation, Finding, FindingKind, Status
from govrules.errors import HolidayDataMissing, add_context
from govrules.models import Document, Matter, Meeting
from govrules.packs.schema import CheckRule, DeadlineRule, DeemedRule, ExtensionRule, LimitRule, ObligationRule, Pack, QuotaRule

Case = Matter | Meeting | Document


def _finding(active: Active, kind: FindingKind, due: date | None, message: str, in_force: bool, outcome: str | None = None) -> Finding:
    rule = active.rule
    return Finding(
        rule=active.full_id,
        kind=kind,
        outcome=outcome or rule.outcome,
        force=rule.force,
        citation=active.clause.citation,
        clause_text=active.clause.text,
        due=due,
        message=message,
        interpretations=active.interpretations,
        in_force=in_force,
    )


def _breach_kind(active: Active) -> FindingKind:
    return "advice" if active.rule.force == "advisory" else "violation"


def case_date(case: Case) -> date:
    """The date that decides which rules were in force for the case."""
    if isinstance(case, Matter):
        return case.assigned_on
    if isinstance(case, Meeting):
        return case.held_on
    return case.issued_on


def _status(cal: WorkCalendar, matter: Matter, due: date, as_of: date, warning: int, by_report: bool) -> tuple[Status, int | None]:
    done = matter.completed_on if matter.completed_on is not None and matter.completed_on <= as_of else None
    if done is not None:
        return ("done" if done <= due else "done_late"), None
    if by_report and any(r <= due and r <= as_of for r in matter.reports):
        return "on_track", None  # 回复进展情况 within the limit meets it
    if as_of > due:
        return "overdue", None
    remaining = cal.workdays_between(as_of, due)
    return ("due_soon" if remaining <= warning else "on_track"), remaining


class _MatterRun:
    def __init__(self, cp: CompiledPack, matter: Matter, as_of: date, options: Options, in_force: bool) -> None:
        self.cp, self.m, self.as_of, self.opt, self.in_force = cp, matter, as_of, options, in_force
        self.cal = options.work_calendar()
        self.findings: list[Finding] = []
        self.touched: list[date] = [matter.assigned_on, as_of]

    def run(self) -> tuple[date | None, Status | None]:
        m = self.m
        rule_active = next((a for a in self.cp.deadlines if a.applies(m)), None)
        deadline: date | None = None
        status: Status | None = None
        if rule_active is not None:
            deadline, status = self.deadline(rule_active)
        ob_due, ob_status = self.obligations()
        if rule_active is None and ob_due is not None:
            deadline, status = ob_due, ob_status
        self.checks()
        return deadline, status

    def deadline(self, active: Active) -> tuple[date | None, Status | None]:
        m, rule = self.m, active.rule
        assert isinstance(rule, DeadlineRule)
        base_due = period_end(self.cal, m.assigned_on, rule.period, m.explicit_deadline)
        due = self.extension(active, base_due)
        if due is None:
            msg = deadline_message(self.cal, active, f"{m.source}事项", m.assigned_on, None, None, None, self.as_of, None)
            self.findings.insert(0, _finding(active, "deadline", None, msg, self.in_force))
            return None, None
        self.touched.append(due)
        status, remaining = _status(self.cal, m, due, self.as_of, self.opt.warning_workdays, "report" in rule.satisfied_by)
        msg = deadline_message(self.cal, active, f"{m.source}事项", m.assigned_on, base_due, due, status, self.as_of, remaining)
        self.findings.insert(0, _finding(active, "deadline", due, msg, self.in_force))
        if status in ("overdue", "done_late"):
            late = f"{m.completed_on}办结,晚于期限{due}" if status == "done_late" else f"截至{self.as_of}未办结,已超过期限{due}"
            verb = "未做到" if rule.force == "advisory" else "违反"  # advice is not a breach
            text = f"{m.lead_unit}承办的{m.source}事项{late};{verb}{active.clause.citation}:{force_phrase(active)}。"
            self.findings.append(_finding(active, _breach_kind(active), due, text, self.in_force))
        return due, status

    def extension(self, deadline_active: Active, due: date | None) -> date | None:
        """济南 第十八条 and semantics.md: an extension counts only if asked before the deadline."""
        ext = self.m.extension
        if ext is None or due is None or ext.requested_on > self.as_of:
            return due
        active = next((a for a in self.cp.extensions if a.applies(self.m)), None)
        if active is None:
            return due
        rule = active.rule
        assert isinstance(rule, ExtensionRule)
        if active.allowed is not None and not active.allowed(self.m):
            msg = f"该事项不属于{active.clause.citation}允许延期的情形,延期申请不予计算;期限仍为{due}。"
            self.findings.append(_finding(active, "violation", due, msg, self.in_force))
            return due
        if rule.must_precede_deadline and ext.requested_on >= due:
            msg = (f"延期申请于{ext.requested_on}提出,不早于期限{due},未做到“提前”申请;"
                   f"期限不变,仍为{due}(依{active.clause.citation})。")
            self.findings.append(_finding(active, "violation", due, msg, self.in_force))
            return due
        if rule.needs_approval and not ext.approved:
            msg = f"延期申请于{ext.requested_on}提出,尚未获批准;期限不变,仍为{due}。"
            self.findings.append(_finding(active, "advice", due, msg, self.in_force))
            return due
        new_due = ext.new_deadline
        cap_note = ""
        dl_rule = deadline_active.rule
        assert isinstance(dl_rule, DeadlineRule)
        if dl_rule.extension_cap is not None:
            cap = period_end(self.cal, self.m.assigned_on, dl_rule.extension_cap)
            assert cap is not None
            if new_due > cap:
                cap_note = (f";申请延至{new_due},超过{deadline_active.clause.citation}规定的上限"
                            f"(交办后{describe_period(dl_rule.extension_cap)},即{cap}),按上限计")
                new_due = cap
        msg = f"延期申请于{ext.requested_on}在期限{due}前提出并获批准,期限延至{new_due}{cap_note}。"
        self.findings.append(_finding(active, "deadline", new_due, msg, self.in_force, outcome="延长办理期限"))
        return new_due

    def obligations(self) -> tuple[date | None, Status | None]:
        """Findings for recurring reports; the earliest missed or next due stands in for a deadline."""
        first_due: date | None = None
        worst: Status | None = None
        for active in self.cp.obligations:
            if not active.applies(self.m):
                continue
            rule = active.rule
            assert isinstance(rule, ObligationRule)
            state = obligation_state(self.cal, rule, self.m, self.as_of)
            if state.missed:
                shown = "、".join(map(str, state.missed[:5])) + ("等" if len(state.missed) > 5 else "")
                msg = (f"应于{shown}报送的{len(state.missed)}次报告未在期限内报送;"
                       f"依{active.clause.citation}:{force_phrase(active)}。")
                self.findings.append(_finding(active, _breach_kind(active), state.missed[0], msg, self.in_force))
                first_due, worst = state.missed[0], "overdue"
                self.touched.append(state.missed[0])
            if state.next_due is not None:
                self.touched.append(state.next_due)
                if not rule.reports_required:
                    # someone else's duty (e.g. the 督查室's): a date to know, not the unit's deadline
                    msg = (f"依{active.clause.citation}:{force_phrase(active)};下次应于{state.next_due}前进行"
                           "(此为督查机构等的职责,不计入承办单位的期限和状态)。")
                    self.findings.append(_finding(active, "obligation", state.next_due, msg, self.in_force))
                    continue
                msg = f"下次报告应于{state.next_due}前报送;依{active.clause.citation}:{force_phrase(active)}。"
                self.findings.append(_finding(active, "obligation", state.next_due, msg, self.in_force))
                if worst is None:
                    remaining = self.cal.workdays_between(self.as_of, state.next_due)
                    worst = "due_soon" if remaining <= self.opt.warning_workdays else "on_track"
                    first_due = state.next_due
        if first_due is None and self.m.completed_on is not None and self.m.completed_on <= self.as_of:
            owed = (a for a in self.cp.obligations if a.rule.reports_required)  # type: ignore[union-attr]
            if any(a.applies(self.m) for a in owed):
                return self.m.completed_on, "done"
        return first_due, worst

    def checks(self) -> None:
        _apply_checks(self.cp, self.m, self.as_of, self.cal, self.findings, self.in_force)


def _apply_checks(cp: CompiledPack, case: Case, as_of: date, cal: WorkCalendar, out: list[Finding], in_force: bool) -> None:
    """Limits, requirements, prohibitions and deemed outcomes for any kind of case."""
    for active in cp.checks[case.type]:
        if not active.applies(case):
            continue
        rule = active.rule
        if isinstance(rule, LimitRule):
            value, unit = _measure(cp, case, rule)
            if value is not None and value > rule.max:
                msg = f"{unit}为{value},超过上限{rule.max};依{active.clause.citation}:{force_phrase(active)}。"
                out.append(_finding(active, _breach_kind(active), None, msg, in_force))
        elif isinstance(rule, DeemedRule):
            start = getattr(case, rule.start)
            if start is None:
                continue
            due = period_end(cal, start, rule.period)
            answer = getattr(case, rule.answered_by) if rule.answered_by else None
            answered = answer is not None and answer <= due if due is not None else False
            if due is not None and as_of > due and not answered and not (active.unless and active.unless(case)):
                late = f"于{answer}才反馈,晚于期限" if answer is not None else "未反馈"
                msg = f"自{start}起{describe_period(rule.period)}(至{due}){late},{rule.outcome};依{active.clause.citation}。"
                out.append(_finding(active, "deemed", due, msg, in_force))
        elif active.breach is not None and active.breach(case):
            assert isinstance(rule, CheckRule)
            facts = "、".join(dict.fromkeys(breach_reasons(rule.breach_when, case)))
            msg = f"{facts};依{active.clause.citation}:{force_phrase(active)}。"
            out.append(_finding(active, _breach_kind(active), None, msg, in_force))


def _measure(cp: CompiledPack, case: Case, rule: LimitRule) -> tuple[int | None, str]:
    if rule.measure == "attendees":
        return getattr(case, "attendees", None), "参会人数"
    if isinstance(case, Document):
        mode = cp.pack.char_count_mode
        label = "字数(按文字处理软件计数)" if mode == "word_processor" else "字数(非空白字符)"
        if case.text is not None:
            return count_chars(case.text, mode), label
        return case.char_count, "字数(来文所报)"
    return None, ""


def evaluate(case: Case, as_of: date, pack: Pack | CompiledPack, options: Options = DEFAULT) -> Evaluation:
    """Deadline, status and findings for one 事项, 会议 or 公文 as of ``as_of``.

    A CompiledPack carries its interpretation choices; ``options.interpretations`` applies
    only when a plain Pack is given.
    """
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    try:
        return _evaluate(case, as_of, cp, options)
    except HolidayDataMissing as exc:
        raise add_context(exc, f"{case.type} {case.id}") from None


def _evaluate(case: Case, as_of: date, cp: CompiledPack, options: Options) -> Evaluation:
    in_force = cp.check_in_force(case_date(case), options.allow_not_in_force, f"{case.type} {case.id}")
    cal = options.work_calendar()
    deadline: date | None = None
    status: Status | None = None
    touched = [case_date(case), as_of]
    if isinstance(case, Matter):
        run = _MatterRun(cp, case, as_of, options, in_force)
        deadline, status = run.run()
        findings, touched = run.findings, run.touched
    else:
        findings = []
        _apply_checks(cp, case, as_of, cal, findings, in_force)
    return Evaluation(
        id=case.id,
        type=case.type,
        pack=cp.id,
        as_of=as_of,
        deadline=deadline,
        status=status,
        provisional=bool(cal.provisional_years) and cal.touches_provisional(min(touched), max(touched)),
        findings=tuple(findings),
    )


def evaluate_all(cases: Iterable[Case], as_of: date, pack: Pack | CompiledPack, options: Options = DEFAULT) -> list[Evaluation]:
    """Each case as ``evaluate`` sees it, plus the quota rules that count across the cases given."""
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    cases = list(cases)
    results = [evaluate(c, as_of, cp, options) for c in cases]
    for index, extra in _quota_findings(cp, cases, as_of).items():
        results[index] = replace(results[index], findings=results[index].findings + tuple(extra))
    return results


def _quota_findings(cp: CompiledPack, cases: list[Case], as_of: date) -> dict[int, list[Finding]]:
    """Per group and calendar year, in date order: the cases beyond the quota get a finding."""
    out: dict[int, list[Finding]] = {}
    for active in cp.quotas:
        rule = active.rule
        assert isinstance(rule, QuotaRule)
        groups: dict[tuple[object, int], list[tuple[date, int]]] = {}
        for i, case in enumerate(cases):
            day = case_date(case)
            if case.type != rule.applies_to or day > as_of or not active.applies(case):
                continue
            key = getattr(case, rule.group_by)
            if key is not None:
                groups.setdefault((key, day.year), []).append((day, i))
        unit = "次" if rule.applies_to == "meeting" else "件"
        for (key, year), members in groups.items():
            members.sort()
            if rule.max_per_year is not None:
                limit = rule.max_per_year
                why = f"每年{limit}{unit}的上限"
            else:
                assert rule.reduce_by is not None
                before = len(groups.get((key, year - 1), []))
                if before == 0:
                    continue  # no count for the year before among the cases given: nothing to compare
                limit = math.floor(before * (1 - rule.reduce_by))
                why = f"上限{limit}{unit}(上年{before}{unit},减少{rule.reduce_by:.0%})"
            for k, (day, i) in enumerate(members[limit:], start=limit + 1):
                msg = (f"{key}在{year}年的第{k}{unit}(截至{as_of}共{len(members)}{unit}),超出{why};"
                       f"依{active.clause.citation}:{force_phrase(active)}。")
                in_force = cp.in_force_on(day)[0]
                out.setdefault(i, []).append(_finding(active, _breach_kind(active), None, msg, in_force))
    return out
