"""A compiled pack as a durable-rules ruleset in JSON: the stream's rules, generated, never hand-written.

durable-rules' Python DSL silently miscompiles ``and``, ``or``, ``in``, ``not`` and chained
comparisons (shared/design/architecture.md), so nothing here goes through it: the rules are JSON
built from the validated pack, and every rule has exactly one pattern (no joins: two rules that
join facts can crash the engine).

Two kinds of fact are matched:

* a matter's status change ``{t: matter, status, prev, basis, f_<field>...}``: 催办 fires when the
  status becomes ``due_soon``, 逾期 when it becomes ``overdue`` (never from an advisory rule, whose
  status is never overdue). Which rule (and so which clause)
  the action cites is matched here too: each deadline rule's ``when`` condition is compiled from
  govrules' condition algebra, and its salience is its place in the pack, so that of the deadline
  rules that apply the first one fires, as in the reference evaluator. A matter no deadline rule
  runs for (none covers it, or a progress reply met its limit: ``replied``) is cited by the
  recurring-report rule (``basis``) its evaluation names.
* a unit's tally on a ladder ``{t: ladder, ladder, prev, c0..c6, p<level>_<i>...}``: the highest
  step whose trigger holds fires (salience from the top step down), if it is above the level the
  unit had reached (``prev``). The counts are engine.accountability.ladder_tally's; a trigger that
  requires a prior event (``requires_prior``) is matched on its own count ``p<level>_<i>``.

A posted fact is an event in durable-rules' terms: it fires at most one rule, the matching rule of
lowest ``pri``, and is consumed by it.

The condition compiler follows the Python predicate of ``govrules.packs.conditions`` exactly,
missing values included: an absent key is ``None``; an ordering comparison on it is false and its
negation true, as in Python. Negation is pushed down to the comparisons (durable-rules has no
``not`` inside one pattern). List fields are never posted as arrays (an array in a posted message
is one of the engine's crash sites): a list becomes its length and one boolean per ``contains``
operand the ruleset asks about.
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from govrules.semantics.compiled import Active, CompiledPack
from govrules.semantics.results import Status
from govrules.semantics.status import under_force
from govrules.errors import GovrulesError
from govrules.models import Matter
from govrules.models.categories import EventKind
from govrules.packs.conditions import All, Any_, Compare, Condition, Not
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
FIELD_PREFIX = "f_"

ScalarKind = Literal["str", "int", "bool", "date"]


class RulesetError(GovrulesError):
    """A pack (or condition) that cannot be expressed as a durable-rules ruleset."""


@dataclass(frozen=True)
class FieldKind:
    """What a condition's field holds: a scalar, or a list (tuple) of scalars; and whether it can
    be None (a required field never is, which keeps the compiled rules small)."""

    scalar: ScalarKind
    is_list: bool = False
    nullable: bool = True

    def __str__(self) -> str:
        kind = f"list[{self.scalar}]" if self.is_list else self.scalar
        return f"{kind} | None" if self.nullable else kind


def _scalar_kind(tp: Any) -> ScalarKind | None:
    if get_origin(tp) is Annotated:
        return _scalar_kind(get_args(tp)[0])
    if get_origin(tp) is Literal:
        values = get_args(tp)
        return "str" if all(isinstance(v, str) for v in values) else None
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is str:
        return "str"
    if tp is date:
        return "date"
    return None


def _field_kind(tp: Any, nullable: bool = False) -> FieldKind | None:
    if get_origin(tp) is Annotated:
        return _field_kind(get_args(tp)[0], nullable)
    if get_origin(tp) in (Union, types.UnionType):
        args = get_args(tp)
        inner = [a for a in args if a is not type(None)]
        return _field_kind(inner[0], nullable or len(inner) < len(args)) if len(inner) == 1 else None
    if get_origin(tp) in (tuple, list):
        items = [a for a in get_args(tp) if a is not Ellipsis]
        item = _scalar_kind(items[0]) if len(items) == 1 else None
        return FieldKind(item, True, nullable) if item else None
    scalar = _scalar_kind(tp)
    return FieldKind(scalar, False, nullable) if scalar else None


def model_field_kinds(model: type[BaseModel]) -> dict[str, FieldKind]:
    """The fields of a model a condition can be compiled on (nested objects are left out)."""
    out: dict[str, FieldKind] = {}
    for name, info in model.model_fields.items():
        kind = _field_kind(info.annotation)
        if kind is not None:
            out[name] = kind
    return out


MATTER_FIELDS = model_field_kinds(Matter)


def _operand_fits(value: object, kind: ScalarKind) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, str)


def encode_scalar(value: object) -> object:
    """How a value is posted: dates as day ordinals (so that $lt/$gt order them), the rest as is."""
    if isinstance(value, date):
        return value.toordinal()
    return value


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


_ORDER = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
_ORDER_NOT = {"lt": "$gte", "le": "$gt", "gt": "$lte", "ge": "$lt"}


@dataclass
class ConditionCompiler:
    """Compiles conditions on one kind of object to durable-rules expressions, and encodes such
    objects as the flat facts those expressions match. Compile every condition first: the encoder
    posts only the fields (and ``contains`` probes) the compiled conditions use."""

    kinds: Mapping[str, FieldKind]
    used: dict[str, FieldKind] = field(default_factory=dict)
    probes: dict[tuple[str, object], str] = field(default_factory=dict)  # (field, operand) -> key

    def compile(self, cond: Condition | None, negate: bool = False) -> Compiled:
        if cond is None:
            return not negate
        if isinstance(cond, Compare):
            return self._compare(cond, negate)
        if isinstance(cond, Not):
            return self.compile(cond.not_, not negate)
        if isinstance(cond, All):
            parts = [self.compile(c, negate) for c in cond.all]
            return _or(parts) if negate else _and(parts)
        assert isinstance(cond, Any_)
        parts = [self.compile(c, negate) for c in cond.any]
        return _and(parts) if negate else _or(parts)

    # -- comparisons ----------------------------------------------------------------------------

    def _kind(self, cmp: Compare) -> FieldKind:
        kind = self.kinds.get(cmp.field)
        if kind is None:
            raise RulesetError(
                f"condition on {cmp.field!r}: the stream cannot match this field "
                f"(it can: {', '.join(sorted(self.kinds))})"
            )
        self.used[cmp.field] = kind
        return kind

    def _unfit(self, cmp: Compare, kind: FieldKind, value: object) -> RulesetError:
        return RulesetError(
            f"condition {cmp.field} {cmp.operator} {value!r}: the field holds {kind}, the operand does not fit"
        )

    @staticmethod
    def _key(cmp: Compare) -> str:
        return FIELD_PREFIX + cmp.field

    @staticmethod
    def _absent(key: str, kind: FieldKind, absent: bool = True) -> Compiled:
        """The value is None (``absent``) or not; a field that cannot be None is never absent."""
        if not kind.nullable:
            return not absent
        return {"$nex": {key: 1}} if absent else {"$ex": {key: 1}}

    def _eq(self, cmp: Compare, kind: FieldKind, value: object, negate: bool) -> Compiled:
        key = self._key(cmp)
        if value is None:  # == None is "is null"
            return self._absent(key, kind, not negate)
        if kind.is_list or not _operand_fits(value, kind.scalar):
            raise self._unfit(cmp, kind, value)
        if negate:  # None != value is true in Python; $neq needs the key, so: absent or different
            return _or([self._absent(key, kind), {"$neq": {key: encode_scalar(value)}}])
        return {key: encode_scalar(value)}

    def _compare(self, cmp: Compare, negate: bool) -> Compiled:
        kind = self._kind(cmp)
        op, value, key = cmp.operator, cmp.operand, self._key(cmp)
        if op in ("eq", "ne"):
            return self._eq(cmp, kind, value, negate if op == "eq" else not negate)
        if op == "in":
            members = list(dict.fromkeys(value))  # as a frozenset: order and repeats do not matter
            parts = [self._eq(cmp, kind, v, negate) for v in members]
            return _and(parts) if negate else _or(parts)
        if op == "is_null":
            return self._absent(key, kind, bool(value) != negate)
        if op == "is_empty":
            return self._is_empty(cmp, kind, bool(value) != negate)
        if op == "contains":
            if not kind.is_list or value is None or not _operand_fits(value, kind.scalar):
                raise self._unfit(cmp, kind, value)
            probe = self.probes.setdefault((cmp.field, value), f"{key}__c{len(self.probes)}")
            return {probe: not negate}
        # lt le gt ge: false on a missing value, so the negation holds on a missing value
        if value is None or kind.is_list or not _operand_fits(value, kind.scalar):
            raise self._unfit(cmp, kind, value)
        if negate:
            return _or([self._absent(key, kind), {_ORDER_NOT[op]: {key: encode_scalar(value)}}])
        return {_ORDER[op]: {key: encode_scalar(value)}}

    def _is_empty(self, cmp: Compare, kind: FieldKind, empty: bool) -> Compiled:
        """Python's ``not value``: None, an empty list, "", 0 and False are empty."""
        key = self._key(cmp)
        if kind.is_list:
            return {f"{key}__n": 0} if empty else {"$gt": {f"{key}__n": 0}}
        falsy: dict[ScalarKind, object] = {"str": "", "int": 0, "bool": False}
        if kind.scalar not in falsy:  # a date is never falsy
            return self._absent(key, kind, empty)
        zero = falsy[kind.scalar]
        if empty:
            return _or([self._absent(key, kind), {key: zero}])
        return _and([self._absent(key, kind, False), {"$neq": {key: zero}}])

    # -- facts ----------------------------------------------------------------------------------

    def encode(self, obj: object) -> dict[str, object]:
        """The fields the compiled conditions use, flat: None is left out, dates are ordinals,
        lists become ``__n`` (their length) and one boolean per ``contains`` operand."""
        out: dict[str, object] = {}
        for name, kind in self.used.items():
            value = getattr(obj, name)
            key = FIELD_PREFIX + name
            if kind.is_list:
                out[f"{key}__n"] = len(value) if value else 0
            elif value is not None:
                out[key] = encode_scalar(value)
        for (name, operand), probe in self.probes.items():
            value = getattr(obj, name)
            out[probe] = operand in (value or ())
        return out


# -- ladders --------------------------------------------------------------------------------------


def _sum_at_least(kinds: Sequence[str], at_least: int, negate: bool) -> Expr:
    """``c_k1 + c_k2 + … >= n`` as ``c_k1 >= n - c_k2 - …`` (durable-rules has arithmetic on the
    right-hand side only); negated, ``<``. A kind listed twice counts twice, as in the reference."""
    for kind in kinds:
        if kind not in KIND_KEY:
            raise RulesetError(f"ladder trigger kind {kind!r} is not an event kind ({', '.join(EVENT_KINDS)})")
    keys = [KIND_KEY[k] for k in kinds]
    bound: object = at_least
    for other in keys[1:]:
        bound = {"$sub": {"$l": bound, "$r": {"$m": other}}}
    return {"$lt" if negate else "$gte": {keys[0]: bound}}


def prior_key(level: int, index: int) -> str:
    """The ladder fact's key for the count of the ``index``-th trigger of step ``level`` when that
    trigger requires a prior event (counted by engine.accountability.ladder_tally, not here)."""
    return f"p{level}_{index}"


def trigger_expr(trigger: Trigger, negate: bool = False, key: str | None = None) -> Expr:
    """A trigger that requires a prior event is matched on its own count, posted as ``key``;
    any other on the sum of its kinds' counts."""
    for kind in trigger.requires_prior:
        if kind not in KIND_KEY:
            raise RulesetError(f"ladder trigger kind {kind!r} is not an event kind ({', '.join(EVENT_KINDS)})")
    if trigger.requires_prior:
        assert key is not None, "a trigger that requires a prior event is matched on its own count"
        return {"$lt" if negate else "$gte": {key: trigger.at_least}}
    return _sum_at_least(trigger.kinds, trigger.at_least, negate)


def step_reached(step: LadderStep, negate: bool = False) -> Compiled:
    """Any one of the step's triggers holds (negated: none does)."""
    parts = [trigger_expr(t, negate, prior_key(step.level, j)) for j, t in enumerate(step.triggers)]
    return _and(parts) if negate else _or(parts)


def tally_fact(counts: Mapping[str, int], triggers: Mapping[tuple[int, int], int] | None = None,
               ladder: LadderRule | None = None) -> dict[str, int]:
    """A unit's counts per event kind as the ladder fact's ``c0..c6`` (every kind, 0 if none), and
    the count of each of ``ladder``'s triggers that requires a prior event (``triggers``: a
    LadderTally's, by (step level, trigger index))."""
    fact = {KIND_KEY[k]: counts.get(k, 0) for k in EVENT_KINDS}
    if ladder is not None:
        for step in ladder.steps:
            for j, t in enumerate(step.triggers):
                if t.requires_prior:
                    fact[prior_key(step.level, j)] = (triggers or {}).get((step.level, j), 0)
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
    """The durable-rules definition (rule name -> pattern and salience, without actions), what
    each rule means, and the encoder of matter facts."""

    definition: Mapping[str, Expr]
    rules: Mapping[str, MatterRule | LadderStepRule]
    matter_fields: ConditionCompiler

    def json(self) -> str:
        return json.dumps(self.definition, ensure_ascii=False, sort_keys=True)


def _rule(expr: Compiled, salience: int) -> Expr:
    assert isinstance(expr, dict), "a rule that always or never holds is not emitted"
    return {"all": [{"m": expr}], "pri": salience}


def compile_ruleset(cp: CompiledPack) -> Ruleset:
    """Every 催办/逾期 rule per deadline and recurring-report rule, and every ladder step, of the
    compiled pack (its interpretation choices made), as single-pattern durable-rules rules.

    A posted fact fires at most one rule: the matching rule of lowest ``pri`` (durable-rules'
    salience; the fact, an event, is consumed by it). That is how "the first deadline rule that
    applies" is matched (``pri`` = the rule's place in the pack) and how a ladder fires only its
    highest step reached (``pri`` = from the top step down). It keeps every pattern small:
    durable-rules refuses a pattern of more than about 32 expressions (error 113).
    """
    compiler = ConditionCompiler(MATTER_FIELDS)
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

    for active in cp.deadlines:
        deadline = active.rule
        assert isinstance(deadline, DeadlineRule)
        applies = compiler.compile(deadline.when)
        pri = next(salience)
        for kind in KINDS:
            if under_force(deadline.force, ACTION_STATUS[kind]) != ACTION_STATUS[kind]:
                continue  # e.g. no 逾期 from an advisory rule: its status is never overdue
            # basis -1: the deadline rule gives the status (not a recurring report after a reply)
            add(MatterRule(f"m{len(rules)}", kind, active), _and([*transition(kind), {"basis": -1}, applies]), pri)
    # a matter no deadline rule covers: the recurring report its evaluation names (basis >= 0 only
    # then) drives its status
    for index, active in enumerate(cp.obligations):
        obligation = active.rule
        assert isinstance(obligation, ObligationRule)
        if not obligation.reports_required:
            continue  # someone else's schedule never makes the matter late
        pri = next(salience)
        for kind in KINDS:
            add(MatterRule(f"m{len(rules)}", kind, active), _and([*transition(kind), {"basis": index}]), pri)
    for index, active in enumerate(cp.ladders):
        ladder = active.rule
        assert isinstance(ladder, LadderRule)
        for step in sorted(ladder.steps, key=lambda s: -s.level):  # the highest step first
            expr = _and([{"t": "ladder"}, {"ladder": index}, {"$lt": {"prev": step.level}}, step_reached(step)])
            add(LadderStepRule(f"l{len(rules)}", index, active, step), expr, next(salience))
    if not definition:
        raise RulesetError(
            f"pack {cp.id} has no deadline, recurring-report or ladder rule under its chosen readings: "
            "the stream would have nothing to match"
        )
    return Ruleset(definition=definition, rules=rules, matter_fields=compiler)


def status_key(status: str | None) -> str:
    return status if status is not None else NO_STATUS
