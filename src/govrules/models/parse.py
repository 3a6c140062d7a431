"""Turn JSON (or dicts) into case models, with errors that name file, object and field."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar, get_args, overload

from pydantic import ValidationError

from govrules.errors import InputError
from govrules.models.base import CaseModel
from govrules.models.cases import CASE_TYPES, TYPE_ALIASES, Document, Event, Matter, Meeting
from govrules.textfile import UnreadableFile, read_text

M = TypeVar("M", bound=CaseModel)

MAX_INPUT_BYTES = 200 * 1024 * 1024


def describe_object(index: int | None, raw: object) -> str:
    ident = raw.get("id", raw.get("编号")) if isinstance(raw, dict) else None
    parts = [] if index is None else [f"[{index}]"]
    if isinstance(ident, str):
        parts.append(f"(id {ident})")
    return " ".join(parts)


def _english(model: type[CaseModel], loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Pydantic names a missing field by its first alias (Chinese); the contract's key is English."""
    out: list[int | str] = []
    current: type[CaseModel] | None = model
    for part in loc:
        if current is not None and isinstance(part, str):
            for name, field in current.model_fields.items():
                choices = getattr(field.validation_alias, "choices", ())
                if part == name or part in choices:
                    part = name
                    nested = [a for a in get_args(field.annotation) if isinstance(a, type) and issubclass(a, CaseModel)]
                    current = nested[0] if nested else None
                    break
        out.append(part)
    return tuple(out)


def _field_name(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def explain_validation(error: ValidationError, model: type[CaseModel]) -> str:
    """One line per problem: the field, what was given, what was expected."""
    lines = []
    for err in error.errors(include_url=False):
        field = _field_name(_english(model, err["loc"]))
        kind = err["type"]
        given = err.get("input")
        if kind == "extra_forbidden":
            allowed = ", ".join(model.model_fields)
            lines.append(f"{field}: unknown key; allowed keys: {allowed}")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            lines.append(f"{field}: unknown value {given!r}; allowed values: {expected}")
        elif kind == "missing":
            lines.append(f"{field}: required field is missing")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            # our own validators already quote the value; pydantic's messages do not
            shown = "" if kind == "value_error" or isinstance(given, dict) else f" (got {given!r})"
            lines.append(f"{field}: {msg}{shown}" if field else f"{msg}{shown}")
    return "; ".join(lines)


AnyCase = Matter | Meeting | Document | Event


@overload
def parse_object(raw: object, where: str = "", expect: None = None) -> AnyCase: ...
@overload
def parse_object(raw: object, where: str, expect: type[M]) -> M: ...
def parse_object(raw: object, where: str = "", expect: type[M] | None = None) -> AnyCase | M:
    """Validate one object; ``expect`` restricts it to one model (e.g. Event)."""
    if not isinstance(raw, dict):
        raise InputError(where, f"expected a JSON object, got {type(raw).__name__}")
    kind = raw.get("type", raw.get("类型"))
    kind = TYPE_ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    allowed = [expect.model_fields["type"].annotation.__args__[0]] if expect else list(CASE_TYPES)  # type: ignore[union-attr]
    if kind not in allowed:
        raise InputError(where, f"type: unknown value {kind!r}; allowed values: {', '.join(allowed)}")
    model = CASE_TYPES[kind]
    data = {**raw, "type": kind} if "type" in raw else {**{k: v for k, v in raw.items() if k != "类型"}, "type": kind}
    try:
        return model.model_validate(data)  # type: ignore[return-value]  # the model chosen by `type`
    except ValidationError as exc:
        raise InputError(where, explain_validation(exc, model)) from None


@overload
def parse_objects(data: object, source: str = "<input>", expect: None = None) -> list[AnyCase]: ...
@overload
def parse_objects(data: object, source: str, expect: type[M]) -> list[M]: ...
def parse_objects(data: object, source: str = "<input>", expect: type[M] | None = None) -> list[AnyCase] | list[M]:
    """A JSON object or a non-empty array of them; ids must be unique."""
    items: Sequence[Any] = data if isinstance(data, list) else [data]
    if not items:
        raise InputError(source, "the input is an empty array: there is nothing to evaluate")
    out: list[Any] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(items):
        where = f"{source}: {describe_object(i if isinstance(data, list) else None, raw)}".rstrip(": ")
        obj = parse_object(raw, where, expect)
        ident = getattr(obj, "id")
        if ident in seen:
            raise InputError(where, f"id: duplicate id {ident!r} (also at [{seen[ident]}])")
        seen[ident] = i
        out.append(obj)
    return out


def read_json(path: str | Path, text: str | None = None) -> object:
    """Parse a JSON file (or given text) with an error naming line and column."""
    name = str(path)
    if text is None:
        try:
            text = read_text(path, MAX_INPUT_BYTES, "an input file")
        except UnreadableFile as exc:
            raise InputError(name, exc.problem) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(name, "JSON nested too deeply") from None


@overload
def load_objects(path: str | Path, text: str | None = None, expect: None = None) -> list[AnyCase]: ...
@overload
def load_objects(path: str | Path, text: str | None, expect: type[M]) -> list[M]: ...
def load_objects(path: str | Path, text: str | None = None, expect: type[M] | None = None) -> list[AnyCase] | list[M]:
    return parse_objects(read_json(path, text), str(path), expect)
