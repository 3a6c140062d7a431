"""Turn JSON (or dicts) into case models, with errors that name file, object and field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, TypeVar, get_args, overload

from pydantic import ValidationError

from govrules.errors import EXCERPT_CHARS, InputError, excerpt
from govrules.json_reader import JsonRefused, parse_json_text, read_json_bytes
from govrules.models.base import CaseModel
from govrules.models.cases import CASE_TYPES, TYPE_ALIASES, TYPE_NAMES, Document, Event, Matter, Meeting
from govrules.textfile import UnreadableFile, read_bytes, size_refusal

M = TypeVar("M", bound=CaseModel)

MAX_INPUT_BYTES = 200 * 1024 * 1024
# of one object's problems, how many a message lists (an object with 100,000 unknown keys is one error)
MAX_PROBLEMS = 5


def describe_object(index: int | None, raw: object) -> str:
    ident = raw.get("id", raw.get("编号")) if isinstance(raw, dict) else None
    parts = [] if index is None else [f"[{index}]"]
    if isinstance(ident, str):
        parts.append(f"(id {excerpt(ident)})" if len(ident) > EXCERPT_CHARS or not ident.isprintable() else f"(id {ident})")
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
        if isinstance(part, str) and (len(part) > EXCERPT_CHARS or not part.isprintable()):
            part = excerpt(part)  # an unknown key is input too
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def explain_validation(error: ValidationError, model: type[CaseModel]) -> str:
    """One line per problem: the field, what was given, what was expected."""
    lines = []
    listed = False
    errors = error.errors(include_url=False)
    for err in errors[:MAX_PROBLEMS]:
        field = _field_name(_english(model, err["loc"]))
        kind = err["type"]
        given = err.get("input")
        if kind == "extra_forbidden":
            allowed = "" if listed else f"; allowed keys: {', '.join(model.model_fields)}"
            listed = True  # once per message
            lines.append(f"{field}: unknown key{allowed}")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            lines.append(f"{field}: unknown value {excerpt(given)}; allowed values: {expected}")
        elif kind == "missing":
            lines.append(f"{field}: required field is missing")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            # our own validators already quote the value; pydantic's messages do not
            shown = "" if kind == "value_error" or isinstance(given, dict) else f" (got {excerpt(given)})"
            lines.append(f"{field}: {msg}{shown}" if field else f"{msg}{shown}")
    if len(errors) > MAX_PROBLEMS:
        lines.append(f"and {len(errors) - MAX_PROBLEMS} more problem(s)")
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
        names = ", ".join(allowed)
        chinese = "、".join(k for k in TYPE_NAMES if TYPE_ALIASES[k] in allowed)
        expected = f"{names} ({chinese})" if chinese else names
        if kind is None:
            raise InputError(where, f"type: required; expected one of {expected}")
        raise InputError(where, f"type: unknown value {excerpt(kind)}; expected one of {expected}")
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


def read_json(path: str | Path, text: str | bytes | None = None) -> object:
    """Parse a JSON file (or the given bytes or text, e.g. stdin's) with the one JSON reader:
    at most ``MAX_INPUT_BYTES``, errors naming ``file:line:col`` (``govrules.json_reader``)."""
    name = str(path)
    if text is None:
        try:
            text = read_bytes(path, MAX_INPUT_BYTES, "an input file")
        except UnreadableFile as exc:
            raise InputError(name, exc.problem) from None
    if isinstance(text, str):  # already decoded by a Python caller: bounded by its length
        if len(text) > MAX_INPUT_BYTES:
            raise JsonRefused(name, size_refusal(f"over {MAX_INPUT_BYTES}", MAX_INPUT_BYTES, "the input"))
        return parse_json_text(name, text.removeprefix("\ufeff"))
    return read_json_bytes(name, text, MAX_INPUT_BYTES, "the input")


def read_stdin(stream: IO[Any], name: str = "<stdin>") -> bytes | str:
    """Standard input's bytes (its text where it has no byte buffer, e.g. a StringIO in a test),
    bounded like a file: one byte more than ``MAX_INPUT_BYTES`` is read, so that a longer input
    is refused rather than cut."""
    data: bytes | str = getattr(stream, "buffer", stream).read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise JsonRefused(name, size_refusal(f"more than {MAX_INPUT_BYTES}", MAX_INPUT_BYTES, "the input"))
    return data


@overload
def load_objects(path: str | Path, text: str | bytes | None = None, expect: None = None) -> list[AnyCase]: ...
@overload
def load_objects(path: str | Path, text: str | bytes | None, expect: type[M]) -> list[M]: ...
def load_objects(path: str | Path, text: str | bytes | None = None, expect: type[M] | None = None) -> list[AnyCase] | list[M]:
    return parse_objects(read_json(path, text), str(path), expect)
