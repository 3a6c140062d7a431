"""What-if variants of a pack: a rule's parameter changed, or another reading chosen, without
editing its YAML.

A variant is not the document. It gets its own id (``<pack id>.<label>``), and every rule it
changes carries a marker interpretation ``<label>/<rule id>`` whose chosen option says, in the
findings' ``interpretations``, that the value is assumed and not the clause's. The rule as
written stays in the variant (id ``<rule id>/as-written``) under the marker's other option, so
choosing ``as-written`` gives back the document's own reading. The variant is then re-read by
``load_pack``, so it passes every check a pack file must pass.

    vary(pack, rules={"deadline/topic-meeting": {"period": {"working_days": 10}}})
    vary(pack, readings={"immediate": "next-working-day"})
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from govrules.semantics.phrases import describe_period
from govrules.errors import GovrulesError, PackError
from govrules.packs.conditions import Condition
from govrules.packs.loader import error_path, explain_error, load_pack, telling_error
from govrules.packs.schema import LadderRule, Pack, Period, Rule

# What a rule is, not how it behaves: changing these would misquote or re-file the clause.
FIXED = ("id", "kind", "clause", "outcome", "exception", "interpretations", "only_under", "applies_to", "measure")
AS_WRITTEN, VARIED = "as-written", "varied"
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
_RULE = TypeAdapter(Rule)
_DUMPER: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when present: 10x faster
_PERIOD_HINT = ("a period: exactly one of working_days, days, months (a whole number >= 1), same_day: true, explicit: true;"
                " optionally at_least: another count it never ends before")
_CONDITION_HINT = "a condition: {field: …, eq: …} (or in, ne, lt, le, gt, ge, is_null, is_empty, contains), {all: […]}, {any: […]} or {not: …}"


class VariationError(GovrulesError):
    """A change a variant cannot make: names the pack, the rule or reading, the field, and what
    was expected."""

    def __init__(self, pack: str, where: str, problem: str, expected: str = "") -> None:
        self.pack, self.where, self.problem, self.expected = pack, where, problem, expected
        tail = f"; expected {expected}" if expected else ""
        super().__init__(f"vary {pack}: {where}: {problem}{tail}")


def vary(pack: Pack, *, rules: Mapping[str, Mapping[str, Any]] | None = None,
         readings: Mapping[str, str] | None = None, label: str = "what-if") -> Pack:
    """The pack with some rules' parameters changed and/or some readings chosen differently.

    ``rules`` maps a rule id to {field: new value}, values as in the YAML (``{"period":
    {"working_days": 10}}``, ``{"max": 80}``, ``{"force": "advisory"}``); ``readings`` maps an
    interpretation id to the option to choose. ``label`` (lowercase letters, digits, -) names the
    variant: its id is ``<pack id>.<label>``. Raises VariationError naming what is wrong.
    """
    rules, readings = dict(rules or {}), dict(readings or {})
    if not _LABEL.match(label):
        raise VariationError(pack.id, "label", f"{label!r} cannot name a variant",
                             "lowercase letters, digits and -, starting with a letter or digit, at most 30")
    if not rules and not readings:
        raise VariationError(pack.id, "changes", "nothing to vary",
                             "rules={rule id: {field: value}} and/or readings={interpretation id: option}")
    data = pack.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data["id"] = f"{pack.id}.{label}"
    data["title"] = f"{pack.title}(假设变体 {label},非原文)"
    _choose_readings(pack, data, readings, label)
    # each rule's change is checked on its own, so a failing check names the rule that caused it
    current = _reload(pack, data, "readings") if readings or not rules else pack
    for rule_id, changes in rules.items():
        if not isinstance(changes, Mapping):
            raise VariationError(pack.id, f"rule {rule_id!r}", f"got {changes!r}", "{field: new value}, e.g. {'period': {'working_days': 10}}")
        data = _change_rule(current, data, rule_id, dict(changes), label)
        current = _reload(pack, data, f"rule {rule_id!r}")
    return current


def _choose_readings(pack: Pack, data: dict[str, Any], readings: Mapping[str, str], label: str) -> None:
    known = {i["id"]: i for i in data.get("interpretations", [])}
    for ident, option in readings.items():
        if ident not in known:
            raise VariationError(pack.id, f"reading {ident!r}", "the pack has no such interpretation",
                                 _one_of(ident, list(known)))
        interp = known[ident]
        if option not in interp["options"]:
            raise VariationError(pack.id, f"reading {ident!r}", f"{option!r} is not one of its options",
                                 _one_of(option, list(interp["options"])))
        if option != interp["chosen"]:
            note = f"(假设变体 {label}:改选 {option},本规则包原选 {interp['chosen']})"
            interp["basis"] = (interp.get("basis") or "") + note
            interp["chosen"] = option


def _change_rule(pack: Pack, data: dict[str, Any], rule_id: str, changes: dict[str, Any], label: str
                 ) -> dict[str, Any]:
    where = f"rule {rule_id!r}"
    index = next((i for i, r in enumerate(pack.rules) if r.id == rule_id), None)
    if index is None:
        raise VariationError(pack.id, where, "the pack has no such rule", _one_of(rule_id, [r.id for r in pack.rules]))
    rule = pack.rules[index]
    if not changes:
        raise VariationError(pack.id, where, "no field to change", "{field: new value}")
    changeable = [f for f in type(rule).model_fields if f not in FIXED]
    for name in changes:
        if name in FIXED:
            raise VariationError(pack.id, f"{where}: {name}", "cannot be varied: it is what the rule is or what the clause says",
                                 f"one of {', '.join(changeable)}")
        if name not in changeable:
            raise VariationError(pack.id, f"{where}: {name}", f"a {rule.kind} rule has no such field",
                                 f"one of {', '.join(changeable)}")
    interps = {i.id: i for i in pack.interpretations}
    if any(set(interps[k].options) == {AS_WRITTEN, VARIED} for k in rule.only_under):
        # its "as written" would then be the earlier variant's value, not the document's
        raise VariationError(pack.id, where, "is already varied in this variant",
                             "every change to the document's own pack in one vary call")
    chosen = {i.id: i.chosen for i in pack.interpretations}
    off = {k: v for k, v in rule.only_under.items() if chosen[k] != v}
    if off:
        raise VariationError(pack.id, where, "the rule does not apply under the readings the pack chooses "
                             f"(it needs {', '.join(f'{k}: {v}' for k, v in off.items())}), so changing it changes nothing",
                             "a rule that applies, or the reading chosen too: readings="
                             + "{" + ", ".join(f"{k!r}: {v!r}" for k, v in off.items()) + "}")
    written = data["rules"][index]
    new = {**written, **changes}
    try:
        checked = _RULE.validate_python(new)
    except ValidationError as exc:
        err = telling_error(exc)
        path = error_path(new, err["loc"])
        field = ".".join(map(str, path)) or next(iter(changes))
        top = str(path[0]) if path else next(iter(changes))
        problem = explain_error(err)
        if "(got " not in problem:
            problem += f" (got {_got(new, path)})"
        raise VariationError(pack.id, f"{where}: {field}", problem, _hint(type(rule), top)) from None
    marker = f"{label}/{rule_id}"
    if len(marker) > 120:
        raise VariationError(pack.id, where, f"cannot be marked as {marker!r}: longer than an id may be", "a shorter label")
    citation = next(c.citation for c in pack.clauses if c.id == rule.clause)
    was = "、".join(f"{k} {_show(getattr(rule, k))}" for k in changes)
    now = "、".join(f"{k} {_show(getattr(checked, k))}" for k in changes)
    asked = "、".join(f"{k} 为 {_show(getattr(checked, k))}" for k in changes)
    as_written = {**written, "id": f"{rule_id}/as-written",
                  "interpretations": [*written.get("interpretations", []), marker],
                  "only_under": {**written.get("only_under", {}), marker: AS_WRITTEN}}
    varied = {**checked.model_dump(mode="json", by_alias=True, exclude_unset=True),
              "outcome": f"{rule.outcome}(假设变体 {label}:{now},非原文;{citation}原为 {was})",
              "interpretations": [*written.get("interpretations", []), marker],
              "only_under": {**written.get("only_under", {}), marker: VARIED}}
    data["rules"][index:index + 1] = [varied, as_written]  # the varied rule first: it is the one chosen
    data.setdefault("interpretations", []).append({
        "id": marker,
        "question": f"假设分析(非原文):若{citation}的规则 {rule_id} 的 {asked},结果会怎样?",
        "chosen": VARIED,
        "options": {AS_WRITTEN: f"按原文:{was}({citation})",
                    VARIED: f"假设,非原文:{now};{citation}并未如此规定"},
        "basis": f"govrules 假设变体 {label}(vary),仅供分析,不是文件的规定",
    })
    return data


def _reload(pack: Pack, data: dict[str, Any], where: str) -> Pack:
    """The variant read back through load_pack: the same checks as any pack file."""
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    try:
        return load_pack(f"<variant {data['id']}>", text)
    except PackError as exc:
        raise VariationError(pack.id, where, f"the varied pack fails the pack checks: {exc.problem}",
                             "a change that leaves the pack valid") from None


def _one_of(given: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(given, choices, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"one of {', '.join(choices) or 'none'}{hint}"


def _got(data: Any, path: tuple[Any, ...]) -> str:
    if not path:
        return "the rule as a whole"
    for part in path:
        data = data[part]
    return repr(data)


def _show(value: Any) -> str:
    if isinstance(value, Period):
        return describe_period(value)
    if isinstance(value, BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    return str(value)


def _mentions(annotation: Any, kind: Any) -> bool:
    if annotation is kind:
        return True
    return any(_mentions(a, kind) for a in get_args(annotation))


def _hint(model: type[BaseModel], name: str) -> str:
    """What a field takes, in the words a pack author uses."""
    field = model.model_fields.get(name)
    if field is None:
        return ""
    annotation = field.annotation
    if _mentions(annotation, Period):
        return _PERIOD_HINT
    if _mentions(annotation, Condition) or name in ("when", "breach_when", "unless", "allowed_when"):
        return _CONDITION_HINT
    if model is LadderRule and name == "steps":
        return "a list of steps as in the pack's YAML"
    literal = _literal(annotation)
    if literal:
        return "one of " + ", ".join(map(str, literal))
    if annotation is bool:
        return "true or false"
    return ""


def _literal(annotation: Any) -> tuple[Any, ...]:
    origin = get_origin(annotation)
    if origin is typing.Literal:
        return get_args(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in get_args(annotation):
            if found := _literal(arg):
                return found
    return ()
