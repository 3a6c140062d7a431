"""One event made into facts for durable-rules: checked, what it changes evaluated, applied undoably.

The stream states no meaning of its own. A matter's status, deadline and findings are the
reference evaluator's (``evaluate(..., explain=False)``); which rule an action about it cites is
read from that evaluation with semantics/status.py (a deadline rule, unless the owed recurring reports
stand in for it: ``reports_stand_in``, ``standing_report``); a unit's counts on a ladder are
semantics/ladder.py's ``ladder_tally``. Durable-rules then matches the transitions (a status
becoming due_soon or overdue) and the ladder steps.

Which matters to evaluate is bookkeeping on the same reading: every matter whose status may change
by the event's date with time alone (the day a due date that gives it enters the warning window,
or the day after it), and the matter the event concerns, unless the event is a progress report
that cannot move its status. Evaluating more often would change nothing but the cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count
from typing import NamedTuple

from govrules.engine import CompiledPack, Options, accountability, evaluate
from govrules.semantics.ladder import LadderTally, ladder_kinds, ladder_tally
from govrules.semantics.ops import ABSENT, SCALAR
from govrules.semantics.results import Evaluation, Status
from govrules.semantics.status import dated_status, earliest_report, reports_stand_in, standing_report
from govrules.errors import GovrulesError, HolidayDataMissing
from govrules.models import Event, Extension, Matter
from govrules.packs.conditions import walk
from govrules.packs.schema import DeadlineRule, LadderRule
from govrules.stream.events import (
    AccountabilityOccurred, ClockTick, DeadlineSet, EventRejected, ExtensionRequested, MatterAssigned,
    MatterCompleted, ReportFiled, StreamEvent,
)
from govrules.stream.rules_json import ACTION_STATUS, Ruleset, status_key, tally_fact
from govrules.stream.state import Entry, State

ACTION_STATUSES: frozenset[Status] = frozenset(ACTION_STATUS.values())
_SETTLED: frozenset[Status | None] = frozenset({"done", "done_late", "overdue"})  # only completion ends overdue


class MatterFact(NamedTuple):  # a tuple: made several times per event, cheaply
    entry: Entry
    prev: Status | None
    evaluation: Evaluation
    cite: str | None  # the rule whose date gives a due_soon or overdue status (its full id)


class LadderFact(NamedTuple):
    ladder: int  # index into compiled.ladders
    unit: str
    tally: LadderTally  # after the event (the tally before it is posted too, not kept)
    in_force: bool  # every counted event in force on its date
    reference: tuple[int, int] | None  # the reference's levels before and after, kept only to cross-check


@dataclass
class Prepared:
    index: int
    event: StreamEvent
    facts: list[dict[str, object]]
    contexts: list[MatterFact | LadderFact]


def reject(event: StreamEvent, problem: str) -> EventRejected:
    return EventRejected(f"event {event.id} ({event.type}, {event.on})", problem, event.id)


class Preparer:
    """Turns events into facts against one compiled pack and one state (see the module docstring)."""

    def __init__(self, compiled: CompiledPack, options: Options, ruleset: Ruleset, state: State,
                 cross_check: bool = False) -> None:
        self.compiled, self.options, self.ruleset, self.state = compiled, options, ruleset, state
        self.cross_check = cross_check
        self.calendar = options.work_calendar()
        self._facts = count(1)
        self._deadline_rules = {a.full_id: a.rule for a in compiled.deadlines if isinstance(a.rule, DeadlineRule)}
        self._owed = [a.full_id for a in compiled.owed_reports]
        self._owed_ids = frozenset(self._owed)
        # the deadline rules whose limit a progress reply can meet
        self._report_rules = {i for i, r in self._deadline_rules.items() if "report" in r.satisfied_by}
        self._reports_in_conditions = any(
            cmp.field == "reports"
            for a in (*compiled.deadlines, *compiled.obligations, *compiled.extensions)
            for cond in (getattr(a.rule, "when", None), getattr(a.rule, "allowed_when", None)) if cond is not None
            for cmp in walk(cond)
        )
        self._ladders: list[tuple[int, LadderRule, set[str]]] = []
        for index, active in enumerate(compiled.ladders):
            assert isinstance(active.rule, LadderRule)
            self._ladders.append((index, active.rule, ladder_kinds(active.rule)))

    # -- checking and applying ------------------------------------------------------------------

    def prepare(self, position: int, event: StreamEvent) -> Prepared:
        """Check the event, evaluate what it changes, apply it (undoably) and make its facts."""
        st = self.state
        if event.id in st.seen:
            raise reject(event, f"duplicate event id {event.id!r}: an event with this id was accepted before")
        clock = st.clock
        if clock is not None and event.on < clock:
            what = "the clock cannot go backwards" if isinstance(event, ClockTick) else "events must come in date order"
            raise reject(event, f"{what}: the stream's date is already {clock}, this event is dated {event.on}")
        today = event.on
        mid, changed = self._changed_matter(event)
        unit_event: Event | None = None
        in_force = True
        if isinstance(event, AccountabilityOccurred):
            unit_event = event.event
            if unit_event.on > today:
                raise reject(event, f"the accountability event is dated {unit_event.on}, after this event's date {today}")
            try:
                in_force = self.compiled.check_in_force(unit_event.on, self.options.allow_not_in_force,
                                                        f"event {unit_event.id}")
            except GovrulesError as exc:
                raise reject(event, str(exc)) from None

        # evaluate every matter whose status may have changed: by time, or by this event
        ticking = clock is None or today > clock
        names = [m_ for m_, when in st.due.items() if when <= today] if ticking else []
        report_only: Entry | None = None
        if isinstance(event, ReportFiled) and changed is not None and mid not in names:
            entry = st.matters[event.matter_id]
            if not entry.reports_count:  # the status cannot move: keep the report, skip the evaluation
                report_only = entry._replace(matter=changed)
        if mid is not None and mid not in names and report_only is None:
            names.append(mid)
        if len(names) > 1:  # in the order the matters came under supervision, as the reference lists them
            order_of = {n: st.matters[n].order if n in st.matters else len(st.matters) for n in names}
            names.sort(key=order_of.__getitem__)
        evaluated: list[tuple[str, Matter, Evaluation, Entry | None]] = []
        for name in names:
            matter = changed if name == mid and changed is not None else st.matters[name].matter
            try:
                evaluation = evaluate(matter, today, self.compiled, self.options, explain=False)
            except GovrulesError as exc:
                raise reject(event, f"cannot evaluate on {today}: {exc}") from None
            evaluated.append((name, matter, evaluation, st.matters.get(name)))
        references: dict[str, tuple[int, int]] = {}  # ladder -> the reference's levels before and after
        if unit_event is not None and self.cross_check:
            before = st.unit_events.get(unit_event.unit, [])
            try:
                was = {r.rule: r.level for r in accountability(before, today, self.compiled, self.options)} if before else {}
                references = {r.rule: (was.get(r.rule, 0), r.level)
                              for r in accountability([*before, unit_event], today, self.compiled, self.options)}
            except GovrulesError as exc:
                raise reject(event, str(exc)) from None

        # nothing can fail from here on: apply, recording how to undo
        st.accept(event)
        prepared = Prepared(position, event, [], [])
        if report_only is not None:
            st.set_matter(report_only.matter.id, report_only)
        for name, matter, evaluation, old in evaluated:
            self._matter_fact(prepared, name, matter, evaluation, old, today)
        if unit_event is not None:
            st.add_unit_event(unit_event, in_force)
            self._ladder_facts(prepared, unit_event, today, references)
        return prepared

    def _changed_matter(self, event: StreamEvent) -> tuple[str | None, Matter | None]:
        """The matter the event concerns, as the event leaves it; refuses an event that cannot apply."""
        st, today = self.state, event.on
        if isinstance(event, MatterAssigned):
            changed, mid = event.matter, event.matter.id
            if mid in st.matters:
                raise reject(event, f"matter {mid} is already under supervision")
            history = [changed.assigned_on, *changed.reports]
            history += [changed.completed_on] if changed.completed_on else []
            history += [changed.extension.requested_on] if changed.extension else []
            if max(history) > today:
                raise reject(event, f"matter {mid} carries dates after the event's date {today}: "
                                    "post reports, extensions and completion as events when they happen")
            return mid, changed
        if not isinstance(event, (ReportFiled, ExtensionRequested, MatterCompleted, DeadlineSet)):
            return None, None
        mid = event.matter_id
        entry = st.matters.get(mid)
        if entry is None:
            raise reject(event, f"unknown matter {mid!r}: no matter_assigned event has put it under supervision")
        m = entry.matter
        if m.completed_on is not None and not isinstance(event, ReportFiled):
            raise reject(event, f"matter {mid} was already completed on {m.completed_on}")
        if isinstance(event, ReportFiled):
            return mid, m.model_copy(update={"reports": (*m.reports, today)})
        if isinstance(event, ExtensionRequested):
            if event.new_deadline < today:
                raise reject(event, f"new_deadline {event.new_deadline} is before the request's date {today}")
            ext = Extension(requested_on=today, new_deadline=event.new_deadline, approved=event.approved)
            return mid, m.model_copy(update={"extension": ext})
        if isinstance(event, DeadlineSet):
            if event.deadline < today:
                raise reject(event, f"deadline {event.deadline} is before the event's date {today}: "
                                    "a time limit is set for the days to come")
            return mid, m.model_copy(update={"explicit_deadline": event.deadline})
        return mid, m.model_copy(update={"completed_on": today})

    # -- facts ----------------------------------------------------------------------------------

    def _matter_fact(self, prepared: Prepared, name: str, matter: Matter, evaluation: Evaluation,
                     old: Entry | None, today: date) -> None:
        status = evaluation.status
        stand_in = status not in ("done", "done_late") and self.reports_stand_in(evaluation, matter)
        by_reports = stand_in and status not in _SETTLED
        entry = Entry(matter=matter, order=old.order if old else len(self.state.matters), status=status,
                      deadline=evaluation.deadline, recheck=self._recheck(evaluation, by_reports, today),
                      reports_count=self._reports_count(evaluation, by_reports))
        self.state.set_matter(name, entry)
        prev = old.status if old else None
        if old is not None and status_key(prev) == status_key(status):
            return  # no transition: nothing for durable-rules to match
        fact: dict[str, object] = {
            "id": f"{next(self._facts)}", "t": "matter", "matter": name, "status": status_key(status), "prev": status_key(prev),
        }
        cite = self.cited_rule(evaluation, stand_in) if status in ACTION_STATUSES else None  # nothing else is cited
        if cite is not None:
            fact["cite"] = cite
        prepared.facts.append(fact)
        prepared.contexts.append(MatterFact(entry, prev, evaluation, cite))

    def _ladder_facts(self, prepared: Prepared, unit_event: Event, today: date,
                      references: dict[str, tuple[int, int]]) -> None:
        """The unit's tally on each ladder that counts the event, after it and before it, both as
        of today: durable-rules tells from the two which step, if any, is newly reached."""
        unit = unit_event.unit
        mine = self.state.unit_events[unit]
        for index, rule, kinds in self._ladders:
            if unit_event.kind not in kinds:
                continue  # this ladder does not count it: nothing changes
            tally = ladder_tally(rule, mine, today)
            before = ladder_tally(rule, mine[:-1], today)
            in_force = all(self.state.in_force[e.id] for e in tally.events)
            levels = references.get(self.compiled.ladders[index].full_id)
            prepared.facts.append({"id": f"{next(self._facts)}", "t": "ladder", "ladder": index, "unit": unit,
                                   **tally_fact(tally.counts, tally.triggers, rule),
                                   **tally_fact(before.counts, before.triggers, rule, before=True)})
            prepared.contexts.append(LadderFact(index, unit, tally, in_force, levels))

    def reports_stand_in(self, evaluation: Evaluation, matter: Matter) -> bool:
        """Whether the owed recurring reports, not a deadline rule, give the matter its status, as
        semantics/status.py decides it (``reports_stand_in``), read from the evaluation: its first
        finding is the deadline rule's, whose limit a progress reply may have met (``dated_status``
        says "replied")."""
        status = evaluation.status
        findings = evaluation.findings
        first = findings[0] if findings else None
        rule = self._deadline_rules.get(first.rule) if first is not None and first.kind == "deadline" else None
        rule_status = status
        if rule is not None and first is not None and first.due is not None and "report" in rule.satisfied_by \
                and matter.reports:  # (no report, no reply)
            completed = matter.completed_on if matter.completed_on is not None else ABSENT
            if dated_status(SCALAR, completed=completed, due=first.due, as_of=evaluation.as_of,
                            earliest_report=earliest_report(matter), reply_counts=True) == "replied":
                rule_status = "replied"  # a progress reply met the rule's limit: no deadline runs
        # the reports gave no status where the matter shows none, or shows the reply's
        reports_status = None if status is None or status == "replied" else status
        return reports_stand_in(rule is not None, rule_status, reports_status)

    def cited_rule(self, evaluation: Evaluation, stand_in: bool) -> str | None:
        """The rule whose date gives the matter its status, as the evaluation states it: the
        deadline rule of its first finding, unless the owed recurring reports stand in for it, then
        the one semantics/status.py's ``standing_report`` names."""
        findings = evaluation.findings
        if not stand_in:  # (reports_stand_in's answer)
            first = findings[0] if findings else None
            return first.rule if first is not None and first.kind == "deadline" else None
        missed = {f.rule for f in findings if f.kind in ("violation", "advice")}
        upcoming = {f.rule for f in findings if f.kind == "obligation"}
        standing = standing_report([(r in missed, r in upcoming) for r in self._owed])
        return None if standing is None else self._owed[standing]

    # -- when to look again ---------------------------------------------------------------------

    def _recheck(self, evaluation: Evaluation, by_reports: bool, today: date) -> date | None:
        """The first day after ``today`` on which the status could change with no new event: the
        day a due date that can move it enters the warning window, or the day after it. Those are
        the deadline, where a deadline rule gives the status, else every owed report's; a
        completed matter never changes, nor does an overdue one (only completion ends it)."""
        if evaluation.status in _SETTLED:
            return None
        if by_reports:
            dues = {f.due for f in evaluation.findings if f.due is not None and f.due >= today and f.rule in self._owed_ids}
        elif evaluation.deadline is not None and evaluation.deadline >= today:
            dues = {evaluation.deadline}
        else:
            return None
        candidates = [due + timedelta(days=1) for due in dues]
        for due in dues:
            warn = self._warning_starts(due, today)
            if warn is not None:
                candidates.append(warn)
        return min(candidates) if candidates else None

    def _reports_count(self, evaluation: Evaluation, by_reports: bool) -> bool:
        """Whether a progress report could change this matter's status: not once it is completed
        or overdue (a report after the deadline meets nothing, a missed report stays missed);
        where the owed reports give the status, or some rule's condition looks at reports; else
        where the deadline rule that gives it is one a progress reply meets."""
        if evaluation.status in _SETTLED:
            return False
        if by_reports or self._reports_in_conditions:
            return True
        return bool(evaluation.findings) and evaluation.findings[0].rule in self._report_rules

    def _warning_starts(self, due: date, today: date) -> date | None:
        """The first day after ``today`` with at most ``warning_workdays`` working days left in
        (day, due]: the (w+1)-th working day counting back from ``due``, itself included. None if
        ``today`` is already that close (or past ``due``)."""
        if due <= today:
            return None
        try:
            start = self.calendar.add_workdays(due + timedelta(days=1), -(self.options.warning_workdays + 1))
        except HolidayDataMissing:
            return today + timedelta(days=1)  # unknown calendar: look again tomorrow
        return start if start > today else None
