"""A compiled pack as a durable-rules ruleset in JSON: the stream's rules, generated, never hand-written.

durable-rules' Python DSL silently miscompiles ``and``, ``or``, ``in``, ``not`` and chained
comparisons (shared/design/architecture.md), so nothing here goes through it: the rules are JSON
built from the validated pack, and every rule has exactly one pattern (no joins: two rules that
join facts can crash the engine).

durable-rules matches the stream's transitions and ladder steps; the meanings it is fed are the
engine's, stated once there (the stream's prepare.py reads them). Two kinds of fact are matched:

* a matter's status change ``{t: matter, status, prev, cite}``: 催办 fires when the status becomes
  ``due_soon``, 逾期 when it becomes ``overdue`` (none from an advisory deadline rule, whose status is
  never overdue: semantics.status.under_force), citing the rule ``cite`` names -- the rule whose date gives
  the matter its status as the reference evaluator decided it (the deadline rule that applies, or
  the recurring report standing in for it). Which rule applies is not decided a second time here.
* a unit's tally on a ladder after and before the event ``{t: ladder, ladder, c0..c6, p<level>_<i>,
  o0..o6, q<level>_<i>...}``: the highest step whose trigger holds after the event fires (salience
  from the top step down), if neither it nor a step above it held before. The counts are
  semantics.ladder.ladder_tally's; a trigger that requires a prior event (``requires_prior``) is
  matched on its own count ``p<level>_<i>`` (``q`` before).

A posted fact is an event in durable-rules' terms: it fires at most one rule, the matching rule of
lowest ``pri``, and is consumed by it. No list is ever posted inside a fact (an array in a posted
message is one of the engine's crash sites).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any, Literal, Union, get_args

from govrules.semantics.compiled import Active, CompiledPack
from govrules.semantics.results import Status
from govrules.semantics.status import under_force
from govrules.errors import GovrulesError
from govrules.models.categories import EventKind
from govrules.packs.schema import DeadlineRule, LadderRule, LadderStep, ObligationRule, Trigger

# A durable-rules expression; ``True`` / ``False`` are constants simplified away before output.
Expr = dict[str, Any]
Compiled = Union[Expr, bool]

STATUSES: tuple[str, ...] = get_args(Status)
NO_STATUS = "none"  # posted for a matter without a status (null) and as ``prev`` of a new matter
MatterActionKind = Literal["催办", "逾期"]
KINDS: tuple[MatterActionKind, ...] = ("催办", "逾期")
ACTION_STATUS: dict[MatterActionKind, Status] = {"催办": "due_soon", "逾期": "overdue"}
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
KIND_KEY: dict[str, str] = {kind: f"c{i}" for i, kind in enumerate(EVENT_KINDS)}


class RulesetError(GovrulesError):
    """A pack that cannot be expressed as a durable-rules ruleset."""


def _join(parts: Sequence[Compiled], op: str, identity: bool) -> Compiled:
    """$and (identity True) or $or (identity False) of the parts, flattened: a part equal to the
    identity drops out, its opposite decides the whole, nested joins of the same op merge."""
    out: list[Expr] = []
    for p in parts:
        if p is (not identity):
            return not identity
        if p is identity:
            continue
        assert isinstance(p, dict)
        out.extend(p[op] if set(p) == {op} else [p])
    if not out:
        return identity
    return out[0] if len(out) == 1 else {op: out}


def _and(parts: Sequence[Compiled]) -> Compiled:
    return _join(parts, "$and", True)


def _or(parts: Sequence[Compiled]) -> Compiled:
    return _join(parts, "$or", False)


# -- ladders --------------------------------------------------------------------------------------
#
# A ladder fact carries a unit's tally twice, as of the event's date and in its window: after the
# event (``c<k>``, ``p<level>_<i>``) and before it (``o<k>``, ``q<level>_<i>``). A step fires when
# the tally after reaches it and the tally before reached neither it nor any step above it: a
# newly reached step, decided by durable-rules alone from the two tallies.


def _kind_key(kind: str, before: bool) -> str:
    if kind not in KIND_KEY:
        raise RulesetError(f"ladder trigger kind {kind!r} is not an event kind ({', '.join(EVENT_KINDS)})")
    return ("o" if before else "c") + KIND_KEY[kind][1:]


def _sum_at_least(kinds: Sequence[str], at_least: int, negate: bool, before: bool = False) -> Expr:
    """``c_k1 + c_k2 + … >= n`` as ``c_k1 >= n - c_k2 - …`` (durable-rules has arithmetic on the
    right-hand side only); negated, ``<``. A kind listed twice counts twice, as in the reference."""
    keys = [_kind_key(k, before) for k in kinds]
    bound: object = at_least
    for other in keys[1:]:
        bound = {"$sub": {"$l": bound, "$r": {"$m": other}}}
    return {"$lt" if negate else "$gte": {keys[0]: bound}}


def prior_key(level: int, index: int, before: bool = False) -> str:
    """The ladder fact's key for the count of the ``index``-th trigger of step ``level`` when that
    trigger requires a prior event (counted by semantics.ladder.ladder_tally, not here)."""
    return f"{'q' if before else 'p'}{level}_{index}"


def trigger_expr(trigger: Trigger, negate: bool = False, key: str | None = None, before: bool = False) -> Expr:
    """A trigger that requires a prior event is matched on its own count, posted as ``key``;
    any other on the sum of its kinds' counts."""
    for kind in trigger.requires_prior:
        _kind_key(kind, before)
    if trigger.requires_prior:
        assert key is not None, "a trigger that requires a prior event is matched on its own count"
        return {"$lt" if negate else "$gte": {key: trigger.at_least}}
    return _sum_at_least(trigger.kinds, trigger.at_least, negate, before)


def step_reached(step: LadderStep, negate: bool = False, before: bool = False) -> Compiled:
    """Any one of the step's triggers holds (negated: none does), on the tally after the event
    (or, ``before``, on the tally before it)."""
    parts = [trigger_expr(t, negate, prior_key(step.level, j, before), before) for j, t in enumerate(step.triggers)]
    return _and(parts) if negate else _or(parts)


def tally_fact(counts: Mapping[str, int], triggers: Mapping[tuple[int, int], int] | None = None,
               ladder: LadderRule | None = None, before: bool = False) -> dict[str, int]:
    """A unit's counts per event kind as the ladder fact's ``c0..c6`` (every kind, 0 if none;
    ``o0..o6`` for the tally ``before`` the event), and the count of each of ``ladder``'s triggers
    that requires a prior event (``triggers``: a LadderTally's, by (step level, trigger index))."""
    fact = {_kind_key(k, before): counts.get(k, 0) for k in EVENT_KINDS}
    if ladder is not None:
        for step in ladder.steps:
            for j, t in enumerate(step.triggers):
                if t.requires_prior:
                    fact[prior_key(step.level, j, before)] = (triggers or {}).get((step.level, j), 0)
    return fact


# -- the ruleset ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatterRule:
    """Fires ``kind`` (催办 or 逾期) for a matter whose status is cited by ``active``."""

    name: str
    kind: MatterActionKind
    active: Active


@dataclass(frozen=True)
class LadderStepRule:
    """Fires 问责 at ``step`` of the ``index``-th ladder of the compiled pack."""

    name: str
    index: int
    active: Active
    step: LadderStep


@dataclass(frozen=True)
class Ruleset:
    """The durable-rules definition (rule name -> pattern and salience, without actions) and what
    each rule means."""

    definition: Mapping[str, Expr]
    rules: Mapping[str, MatterRule | LadderStepRule]

    def json(self) -> str:
        return json.dumps(self.definition, ensure_ascii=False, sort_keys=True)


def _rule(expr: Compiled, salience: int) -> Expr:
    assert isinstance(expr, dict), "a rule that always or never holds is not emitted"
    return {"all": [{"m": expr}], "pri": salience}


def compile_ruleset(cp: CompiledPack) -> Ruleset:
    """Every 催办/逾期 rule per deadline and owed recurring-report rule, and every ladder step, of
    the compiled pack (its interpretation choices made), as single-pattern durable-rules rules.

    A posted fact fires at most one rule: the matching rule of lowest ``pri`` (durable-rules'
    salience; the fact, an event, is consumed by it). That is how a ladder fires only its highest
    step reached (``pri`` = from the top step down) while every pattern stays small: durable-rules
    refuses a pattern of more than about 32 expressions (error 113).
    """
    definition: dict[str, Expr] = {}
    rules: dict[str, MatterRule | LadderStepRule] = {}
    salience = count(1)  # 1, 2, 3 …: durable-rules' own default is 0; keep clear of it

    def transition(kind: MatterActionKind) -> list[Compiled]:
        status = ACTION_STATUS[kind]
        return [{"t": "matter"}, {"status": status}, {"$neq": {"prev": status}}]

    def add(rule: MatterRule | LadderStepRule, expr: Compiled, pri: int) -> None:
        if expr is False:
            return
        definition[rule.name] = _rule(expr, pri)
        rules[rule.name] = rule

    for active in (*cp.deadlines, *cp.obligations):
        rule = active.rule
        if isinstance(rule, ObligationRule) and not rule.reports_required:
            continue  # someone else's schedule never makes the matter late
        assert isinstance(rule, (DeadlineRule, ObligationRule))
        pri = next(salience)
        for kind in KINDS:
            if isinstance(rule, DeadlineRule) and under_force(rule.force, ACTION_STATUS[kind]) != ACTION_STATUS[kind]:
                continue  # no 逾期 from an advisory deadline rule: the status it gives is never overdue
            add(MatterRule(f"m{len(rules)}", kind, active), _and([*transition(kind), {"cite": active.full_id}]), pri)
    for index, active in enumerate(cp.ladders):
        ladder = active.rule
        assert isinstance(ladder, LadderRule)
        for step in sorted(ladder.steps, key=lambda s: -s.level):  # the highest step first
            not_before = [step_reached(s, negate=True, before=True) for s in ladder.steps if s.level >= step.level]
            expr = _and([{"t": "ladder"}, {"ladder": index}, step_reached(step), *not_before])
            add(LadderStepRule(f"l{len(rules)}", index, active, step), expr, next(salience))
    if not definition:
        raise RulesetError(
            f"pack {cp.id} has no deadline, recurring-report or ladder rule under its chosen readings: "
            "the stream would have nothing to match"
        )
    return Ruleset(definition=definition, rules=rules)


def status_key(status: str | None) -> str:
    return status if status is not None else NO_STATUS
