"""Load a pack: YAML -> plain data -> Pack, then the checks a schema alone cannot make.

Every error is one PackError at file:line:column: unknown keys, duplicate keys and ids, a rule
whose clause does not exist, an interpretation that is not declared, and a condition on a field
the model does not have or with a category value it does not allow.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from govrules.errors import PackError
from govrules.models.cases import CASE_TYPES
from govrules.packs.conditions import Compare, Condition, walk
from govrules.packs.schema import CheckRule, DeemedRule, ExtensionRule, LadderRule, Pack, QuotaRule, Rule
from govrules.packs.yaml_source import Path_, Positions, read_yaml


def telling_error(exc: ValidationError) -> Any:
    """The error to report of several: a typo'd key shows up as an unknown key and a missing one;
    the unknown key is the news."""
    errors = exc.errors(include_url=False)
    return next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])


def error_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Map a pydantic error location onto the data's path, skipping union tags it inserts."""
    best: Path_ = ()

    def search(node: Any, rest: tuple[Any, ...], path: Path_) -> None:
        nonlocal best
        if len(path) > len(best):
            best = path
        if not rest:
            return
        head, tail = rest[0], rest[1:]
        key = "in" if head == "in_" else "not" if head == "not_" else head
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            search(node[key], tail, path + (key,))
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            search(node[key], tail, path + (key,))
        search(node, tail, path)  # the segment may be a union tag, not a key

    search(data, tuple(loc), ())
    return best


def explain_error(err: Any) -> str:
    kind, msg = err["type"], str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r}"
    if kind == "missing":
        return f"required key {err['loc'][-1]!r} is missing"
    if kind in ("literal_error", "union_tag_invalid"):
        return f"{msg} (got {err.get('input')!r})"
    return msg


def _field_types(model: type[BaseModel]) -> dict[str, Any]:
    return {name: f.annotation for name, f in model.model_fields.items()}


def _allowed_values(annotation: Any) -> tuple[Any, ...] | None:
    """The Literal values a field (or its list items) may take, if it is a category."""
    origin = get_origin(annotation)
    if origin is typing.Literal:
        return get_args(annotation)
    if origin is typing.Annotated:
        return _allowed_values(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple, list):
        for arg in get_args(annotation):
            found = _allowed_values(arg)
            if found:
                return found
    return None


def _is_date(annotation: Any) -> bool:
    if annotation is date:
        return True
    return any(_is_date(a) for a in get_args(annotation))


class _Checker:
    def __init__(self, pack: Pack, data: Any, positions: Positions) -> None:
        self.pack, self.data, self.pos = pack, data, positions

    def fail(self, path: Path_, problem: str) -> PackError:
        return PackError(self.pos.at(path), problem)

    def run(self) -> None:
        self.unique("clauses", [c.id for c in self.pack.clauses])
        self.unique("interpretations", [i.id for i in self.pack.interpretations])
        self.unique("rules", [r.id for r in self.pack.rules])
        clauses = {c.id for c in self.pack.clauses}
        interps = {i.id: i for i in self.pack.interpretations}
        for i, rule in enumerate(self.pack.rules):
            base: Path_ = ("rules", i)
            if rule.clause not in clauses:
                raise self.fail(base + ("clause",), f"rule {rule.id!r} cites clause {rule.clause!r}, which the pack does not have")
            for j, also in enumerate(getattr(rule, "also_cites", ())):
                if also not in clauses:
                    raise self.fail(base + ("also_cites", j), f"rule {rule.id!r} also cites clause {also!r}, which the pack does not have")
            for j, ref in enumerate(rule.interpretations):
                if ref not in interps:
                    raise self.fail(base + ("interpretations", j), f"interpretation {ref!r} is not declared in the pack")
            for ref, option in rule.only_under.items():
                if ref not in interps:
                    raise self.fail(base + ("only_under", ref), f"interpretation {ref!r} is not declared in the pack")
                if option not in interps[ref].options:
                    raise self.fail(base + ("only_under", ref), f"{option!r} is not an option of interpretation {ref!r} ({', '.join(interps[ref].options)})")
            if isinstance(rule, LadderRule):
                for k, step in enumerate(rule.steps):
                    if step.clause not in clauses:
                        raise self.fail(base + ("steps", k, "clause"), f"step {step.level} cites clause {step.clause!r}, which the pack does not have")
                    self.check_event_kinds(base + ("steps", k), step.triggers)
                continue
            model = CASE_TYPES[rule.applies_to]
            for key, cond in self.conditions(rule):
                self.check_condition(base + (key,), cond, model)
            if isinstance(rule, DeemedRule):
                for key in ("start", "answered_by"):
                    name = getattr(rule, key)
                    if name is not None and (name not in model.model_fields or not _is_date(model.model_fields[name].annotation)):
                        raise self.fail(base + (key,), f"{name!r} is not a date field of {rule.applies_to}")
            if isinstance(rule, QuotaRule) and (rule.group_by not in model.model_fields or rule.group_by == "type"):
                raise self.fail(base + ("group_by",), f"{rule.applies_to} has no field {rule.group_by!r}")
        self.coverage(clauses)

    def coverage(self, clauses: set[str]) -> None:
        """Every clause is encoded by a rule or left to people with a reason, never both or neither."""
        cited = {c for r in self.pack.rules for c in r.cites()}
        left: dict[str, int] = {}
        for i, item in enumerate(self.pack.not_encoded):
            path: Path_ = ("not_encoded", i, "clause")
            if item.clause not in clauses:
                raise self.fail(path, f"not_encoded names clause {item.clause!r}, which the pack does not have")
            if item.clause in left:
                raise self.fail(path, f"clause {item.clause!r} is listed twice in not_encoded")
            if item.clause in cited:
                raise self.fail(path, f"clause {item.clause!r} is encoded by a rule, so it is not 'not_encoded'")
            left[item.clause] = i
        for i, clause in enumerate(self.pack.clauses):
            if clause.id not in cited and clause.id not in left:
                raise self.fail(("clauses", i, "id"), f"clause {clause.id!r} is neither cited by a rule nor listed in not_encoded with a reason")

    def unique(self, section: str, ids: list[str]) -> None:
        seen: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in seen:
                raise self.fail((section, i, "id"), f"duplicate id {ident!r} in {section} (first at index {seen[ident]})")
            seen[ident] = i

    @staticmethod
    def conditions(rule: Rule) -> Iterator[tuple[str, Condition]]:
        if rule.when is not None:  # type: ignore[union-attr]
            yield "when", rule.when  # type: ignore[union-attr]
        if isinstance(rule, CheckRule):
            yield "breach_when", rule.breach_when
        if isinstance(rule, DeemedRule) and rule.unless is not None:
            yield "unless", rule.unless
        if isinstance(rule, ExtensionRule) and rule.allowed_when is not None:
            yield "allowed_when", rule.allowed_when

    def check_condition(self, path: Path_, cond: Condition, model: type[BaseModel]) -> None:
        fields = _field_types(model)
        for cmp in walk(cond):
            where = self.find_compare(path, cmp)
            if cmp.field not in fields or cmp.field == "type":
                raise self.fail(where, f"{model.__name__.lower()} has no field {cmp.field!r}; fields: {', '.join(f for f in fields if f != 'type')}")
            allowed = _allowed_values(fields[cmp.field])
            operand = cmp.operand
            values = operand if isinstance(operand, list) else [operand]
            if allowed and cmp.operator not in ("is_null", "is_empty"):
                for v in values:
                    if v not in allowed:
                        raise self.fail(where, f"{v!r} is not a value of {model.__name__.lower()}.{cmp.field}; allowed: {', '.join(map(str, allowed))}")

    def check_event_kinds(self, path: Path_, triggers: Any) -> None:
        allowed = _allowed_values(CASE_TYPES["event"].model_fields["kind"].annotation) or ()
        for t, trig in enumerate(triggers):
            for key in ("kinds", "requires_prior"):
                for k, kind in enumerate(getattr(trig, key)):
                    if kind not in allowed:
                        raise self.fail(path + ("triggers", t, key, k), f"{kind!r} is not an event kind; allowed: {', '.join(allowed)}")

    def find_compare(self, path: Path_, cmp: Compare) -> Path_:
        """The path of the comparison in the data, for a precise line:column."""
        def search(node: Any, at: Path_) -> Path_ | None:
            if isinstance(node, dict):
                if node.get("field") == cmp.field:
                    return at
                for k, v in node.items():
                    if (found := search(v, at + (k,))) is not None:
                        return found
            if isinstance(node, list):
                for i, v in enumerate(node):
                    if (found := search(v, at + (i,))) is not None:
                        return found
            return None

        node: Any = self.data
        for part in path:
            node = node[part]
        return search(node, path) or path


def load_pack(path: str | Path, text: str | None = None) -> Pack:
    """Read and fully check one pack file; raise one PackError naming file:line:column."""
    data, positions = read_yaml(path, text)
    if not isinstance(data, dict):
        raise PackError(positions.at(()), "a pack is a mapping with id, title, clauses, rules …")
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        err = telling_error(exc)
        at = error_path(data, err["loc"])
        where = positions.at_key(at) if err["type"] == "extra_forbidden" else positions.at(at)
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise PackError(where, explain_error(err) + suffix) from None
    _Checker(pack, data, positions).run()
    return pack
