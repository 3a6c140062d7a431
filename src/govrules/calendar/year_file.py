"""Reading a holiday-data file (YAML or JSON) into a ``YearData``, with errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import ValidationError

from govrules.textfile import UnreadableFile, read_text
from govrules.calendar.year_data import YearData, YearDataProblem
from govrules.errors import InputError

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# A year's schedule is a few kilobytes; anything this large is the wrong file.
MAX_FILE_BYTES: Final = 1_000_000

_EXPECTED_KEYS: Final = "year, complete, source, holidays, working_weekends"


class _NoDuplicateKeysLoader(_SafeLoader):
    """The safe loader, refusing duplicate keys that PyYAML would silently overwrite."""


def _construct_mapping(loader: _NoDuplicateKeysLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: construct_mapping reports it below
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_NoDuplicateKeysLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def load_year_file(path: str | Path) -> YearData:
    """Read and validate a holiday-data file; raise ``InputError`` naming the file and field."""
    name = str(path)
    file = Path(path)
    try:
        text = read_text(file, MAX_FILE_BYTES, "a holiday-data file")
    except UnreadableFile as exc:
        raise InputError(name, exc.problem) from None
    content = _parse_json(text, name) if file.suffix.lower() == ".json" else _parse_yaml(text, name)
    if not isinstance(content, dict):
        raise InputError(name, f"expected a mapping with the keys {_EXPECTED_KEYS}")
    try:
        return YearData.model_validate(content)
    except ValidationError as error:
        raise _field_error(name, error) from None


def _parse_yaml(text: str, name: str) -> object:
    try:
        return yaml.load(text, Loader=_NoDuplicateKeysLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        raise InputError(where, f"not valid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise InputError(name, f"not valid YAML: {error}") from None
    except ValueError as error:  # PyYAML's own date parsing, e.g. 2027-02-30
        raise InputError(name, f"not valid YAML: {error}") from None


def _parse_json(text: str, name: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise InputError(f"{name}:{error.lineno}:{error.colno}", f"not valid JSON: {error.msg}") from None
    except _DuplicateKey as error:
        raise InputError(name, f"not valid JSON: duplicate key {error.key!r}") from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _field_error(name: str, error: ValidationError) -> InputError:
    # One clear message for the first problem: later ones are often consequences of it.
    first = error.errors()[0]
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, YearDataProblem):
        return InputError(f"{name}: {cause.field}", cause.problem)
    field = _field_path(first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        problem = "unknown key; see docs/holiday-data.md for the format"
    elif kind == "missing":
        problem = "required key is missing"
    else:
        problem = first["msg"].removeprefix("Value error, ")
        if kind not in ("value_error",):
            problem += f" (got {_short_repr(first['input'])})"
    return InputError(f"{name}: {field}" if field else name, problem)


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
