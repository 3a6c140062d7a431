"""Conditions as data: a closed algebra of all / any / not over field comparisons.

Nothing here is ever passed to eval or exec. The same tree compiles to a Python predicate
(the reference evaluator) and, in later executors, to numpy masks and durable-rules JSON;
that shared source is what lets the executors agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, model_validator

Scalar = Union[str, int, bool, date, None]
OPERATORS = ("eq", "ne", "in", "lt", "le", "gt", "ge", "is_null", "is_empty", "contains")
Predicate = Callable[[Any], bool]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Compare(_Node):
    """``{field: source, in: [上级批示, 上级督查]}``: exactly one operator per comparison."""

    field: str
    eq: Scalar = None
    ne: Scalar = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    lt: Scalar = None
    le: Scalar = None
    gt: Scalar = None
    ge: Scalar = None
    is_null: bool | None = None
    is_empty: bool | None = None  # for list fields: no items
    contains: Scalar = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_operator(self) -> Compare:
        given = [op for op in OPERATORS if op in self._present()]
        if len(given) != 1:
            raise ValueError(
                f"a comparison on {self.field!r} needs exactly one operator of {', '.join(OPERATORS)}"
                f" (got {', '.join(given) or 'none'})"
            )
        return self

    def _present(self) -> set[str]:
        return {"in" if k == "in_" else k for k in self.model_fields_set if k != "field"}

    @property
    def operator(self) -> str:
        (op,) = self._present()
        return op

    @property
    def operand(self) -> Any:
        op = self.operator
        return getattr(self, "in_" if op == "in" else op)


class All(_Node):
    all: list[Condition]


class Any_(_Node):
    any: list[Condition]


class Not(_Node):
    not_: Condition = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _node_tag(value: Any) -> str | None:
    """Which node a raw mapping is, from its one key: errors then speak of that node only."""
    if isinstance(value, dict):
        for key, tag in (("all", "all"), ("any", "any"), ("not", "not"), ("not_", "not"), ("field", "field")):
            if key in value:
                return tag
        return None
    tags: dict[type, str] = {All: "all", Any_: "any", Not: "not", Compare: "field"}
    return tags.get(type(value))


Condition = Annotated[
    Union[
        Annotated[All, Tag("all")],
        Annotated[Any_, Tag("any")],
        Annotated[Not, Tag("not")],
        Annotated[Compare, Tag("field")],
    ],
    Discriminator(
        _node_tag,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping with one of the keys all, any, not, field",
    ),
]
for _model in (All, Any_, Not):
    _model.model_rebuild()

_adapter: TypeAdapter[Condition] = TypeAdapter(Condition)


def parse_condition(raw: Any) -> Condition:
    return _adapter.validate_python(raw)


def walk(cond: Condition) -> list[Compare]:
    """Every comparison in the tree (for checking fields and values against the model)."""
    if isinstance(cond, Compare):
        return [cond]
    if isinstance(cond, All):
        return [c for sub in cond.all for c in walk(sub)]
    if isinstance(cond, Any_):
        return [c for sub in cond.any for c in walk(sub)]
    return walk(cond.not_)


def _compare(cmp: Compare) -> Predicate:
    name, op, val = cmp.field, cmp.operator, cmp.operand
    get: Callable[[Any], Any] = attrgetter(name)  # C-level: one Python frame less per comparison
    if op == "is_null":
        return (lambda o: get(o) is None) if val else (lambda o: get(o) is not None)
    if op == "is_empty":
        return (lambda o: not get(o)) if val else (lambda o: bool(get(o)))
    if op == "eq":
        return lambda o: get(o) == val
    if op == "ne":
        return lambda o: get(o) != val
    if op == "in":
        members = frozenset(val)
        return lambda o: get(o) in members
    if op == "contains":
        return lambda o: val in (get(o) or ())
    # Ordering comparisons are false on a missing value, as SQL's are.
    ordering: dict[str, Callable[[Any, Any], bool]] = {
        "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
        "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    }
    fn = ordering[op]
    return lambda o: (v := get(o)) is not None and fn(v, val)


def _and(a: Predicate, b: Predicate) -> Predicate:
    return lambda o: a(o) and b(o)


def _or(a: Predicate, b: Predicate) -> Predicate:
    return lambda o: a(o) or b(o)


def compile_predicate(cond: Condition | None) -> Predicate:
    if cond is None:
        return lambda o: True
    if isinstance(cond, Compare):
        return _compare(cond)
    if isinstance(cond, (All, Any_)):
        # chained closures short-circuit like all()/any() without a generator per call
        conjunction = isinstance(cond, All)
        parts = [compile_predicate(c) for c in (cond.all if isinstance(cond, All) else cond.any)]
        if not parts:
            return lambda o: conjunction
        pred = parts[-1]
        for part in reversed(parts[:-1]):
            pred = _and(part, pred) if conjunction else _or(part, pred)
        return pred
    inner = compile_predicate(cond.not_)
    return lambda o: not inner(o)


def describe(cond: Condition | None) -> str:
    """A readable rendering for explanations and the rule catalog."""
    if cond is None:
        return "always"
    if isinstance(cond, Compare):
        return f"{cond.field} {cond.operator} {cond.operand!r}"
    if isinstance(cond, All):
        return "(" + " and ".join(describe(c) for c in cond.all) + ")"
    if isinstance(cond, Any_):
        return "(" + " or ".join(describe(c) for c in cond.any) + ")"
    return f"not {describe(cond.not_)}"

