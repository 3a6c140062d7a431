"""What durable-rules fired, made into actions (催办, 逾期, 问责), each citing its clause.

A unit's step on a ladder (what ``Supervisor.state`` shows) is learnt here, from the step that
fired: durable-rules is the matcher of the steps, and nothing else decides them. With ``cross_check`` (a debugging aid, off by
default: it decides everything a second time), what fired is compared with the reference
evaluator's own answer, and a disagreement is reported as an incident.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from govrules.calendar import WorkCalendar
from govrules.engine import CompiledPack
from govrules.engine.evaluate import case_date
from govrules.errors import HolidayDataMissing
from govrules.packs.schema import LadderRule
from govrules.semantics.wording import accountability_message, overdue_message, urge_message
from govrules.stream.actions import Action
from govrules.stream.events import StreamEvent
from govrules.stream.outcomes import Incident
from govrules.stream.prepare import ACTION_STATUSES, LadderFact, MatterFact, Prepared
from govrules.stream.rules_json import ACTION_STATUS, LadderStepRule, MatterRule, Ruleset
from govrules.stream.state import State


class ActionMaker:
    def __init__(self, compiled: CompiledPack, ruleset: Ruleset, state: State, calendar: WorkCalendar,
                 cross_check: bool, incident: Callable[[Incident], None]) -> None:
        self.compiled, self.ruleset, self.state, self.calendar = compiled, ruleset, state, calendar
        self.cross_check = cross_check
        self._incident = incident

    def answer(self, prepared: Sequence[Prepared], owners: Sequence[tuple[int, int]],
               fired: Sequence[tuple[int, str]], worker_pid: int | None) -> list[list[Action]]:
        """The actions of each prepared event, from the rules fired per fact (``owners``: fact ->
        (prepared index, fact index)); repeats of actions emitted before (a replay) left out."""
        by_fact: dict[int, list[str]] = {}
        for fact_index, rule_name in fired:
            by_fact.setdefault(fact_index, []).append(rule_name)
        per_event: list[list[Action]] = [[] for _ in prepared]
        for fact_index, (k, j) in enumerate(owners):
            p = prepared[k]
            context = p.contexts[j]
            names = by_fact.get(fact_index, [])
            rules = [self.ruleset.rules[n] for n in names if n in self.ruleset.rules]
            if isinstance(context, LadderFact):
                self._learn_step(context, rules)
            if self.cross_check:
                self._check(p.event, context, names, worker_pid)
            for rule in rules:
                action = self.action(p.event, context, rule)
                if self.state.emit((p.event.id, action.key)):
                    per_event[k].append(action)
        return per_event

    def _learn_step(self, context: LadderFact, rules: Sequence[MatterRule | LadderStepRule]) -> None:
        """The step the unit has now reached: the one that fired (only a higher one can), else the
        one it had reached in the window (facts are answered in order)."""
        key = (context.ladder, context.unit)
        steps = [r.step.level for r in rules if isinstance(r, LadderStepRule)]
        self.state.set_level(key, context.tally.window, max([self.state.level(key, context.tally.window), *steps]))

    def action(self, event: StreamEvent, context: MatterFact | LadderFact, rule: MatterRule | LadderStepRule) -> Action:
        today = event.on
        if isinstance(rule, MatterRule):
            assert isinstance(context, MatterFact)
            m, ev = context.entry.matter, context.evaluation
            clause = rule.active.clause
            if rule.kind == "催办":
                remaining = None
                if ev.deadline is not None:
                    try:
                        remaining = self.calendar.workdays_between(today, ev.deadline)
                    except HolidayDataMissing:
                        remaining = None
                message = urge_message(m.id, m.source, m.lead_unit, ev.deadline or today, remaining, clause.citation)
            else:
                message = overdue_message(m.id, m.source, m.lead_unit, ev.deadline, today, clause.citation)
            return Action(  # validated: pydantic-core checks these fields faster than model_construct copies them
                kind=rule.kind, subject=m.id, subject_type="matter", unit=m.lead_unit, on=today,
                caused_by=event.id, pack=self.compiled.id, rule=rule.active.full_id,
                citation=clause.citation, clause_text=clause.text, outcome=rule.active.rule.outcome,
                force=rule.active.rule.force, status=ev.status, deadline=ev.deadline,
                targets=(m.lead_unit, *m.co_units), copied_to=(), message=message,
                in_force=self.compiled.in_force_on(case_date(m))[0],
            )
        assert isinstance(context, LadderFact)
        step = rule.step
        clause = self.compiled.clauses[step.clause]
        tally = context.tally
        ladder = rule.active.rule
        assert isinstance(ladder, LadderRule)
        return Action(
            kind="问责", subject=context.unit, subject_type="unit", unit=context.unit, on=today,
            caused_by=event.id, pack=self.compiled.id, rule=rule.active.full_id,
            citation=clause.citation, clause_text=clause.text, outcome=step.outcome, force=ladder.force,
            level=step.level, window=tally.window, counted=len(tally.events), events=tuple(e.id for e in tally.events),
            targets=tuple(step.targets), copied_to=tuple(step.copied_to),
            message=accountability_message(ladder, tally, context.unit, today, step, clause.citation),
            in_force=context.in_force,
        )

    # -- the optional cross-check -----------------------------------------------------------------

    def _check(self, event: StreamEvent, context: MatterFact | LadderFact, names: list[str], worker_pid: int | None) -> None:
        """What durable-rules fired must be what the reference implies; if not, say so."""
        if not names and isinstance(context, MatterFact) and context.evaluation.status not in ACTION_STATUSES:
            return  # the common case, settled quickly: nothing due, nothing fired
        rules = [self.ruleset.rules.get(n) for n in names]
        if isinstance(context, MatterFact):
            status = context.evaluation.status
            expect_kind = next((k for k, s in ACTION_STATUS.items() if s == status and status != context.prev), None)
            expected: str | None = None
            if expect_kind is not None:
                owed = {a.full_id for a in self.compiled.obligations}
                if context.cite in owed:  # a recurring report stands in (no deadline rule runs)
                    expected = context.cite
                else:  # the deadline rule whose Python predicate applies first
                    m = context.entry.matter
                    expected = next((a.full_id for a in self.compiled.deadlines if a.applies(m)), None)
            got: list[tuple[str, str]] = [(r.kind, r.active.full_id) for r in rules if isinstance(r, MatterRule)]
            want = [(str(expect_kind), expected)] if expect_kind and expected else []
            subject = f"matter {context.entry.matter.id}"
        else:
            before, after = context.reference if context.reference is not None else (0, 0)
            got = [(f"level {r.step.level}", r.active.full_id) for r in rules if isinstance(r, LadderStepRule)]
            want = [(f"level {after}", self.compiled.ladders[context.ladder].full_id)] if after > before else []
            subject = f"unit {context.unit}"
        if sorted(got) != sorted(want) or len(rules) != len(got):
            unknown = f" and unknown rules {names}" if len(rules) != len(got) else ""
            self._incident(Incident(
                kind="disagreement",
                detail=f"{subject}: durable-rules fired {got or 'nothing'}{unknown}, the reference implies {want or 'nothing'}",
                events=(event.id,), worker_pid=worker_pid,
            ))
