"""Reading a holiday-data file (YAML or JSON) into a ``YearData``, with errors that name the file,
the line and column where known, and the field.

YAML goes through the same hardened reader as rule packs (``govrules.yaml_reader``): no anchors
or aliases, no tags beyond the core ones, no duplicate keys, bounded nesting and size. The file's
bytes are read once, so that its sha256 (recorded as the calendar's provenance) is of exactly the
text that was checked.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import ValidationError

from govrules.calendar.schedule import CalendarSource, SourceKind
from govrules.calendar.year_data import YearData, YearDataProblem
from govrules.errors import InputError, excerpt
from govrules.json_reader import decode_utf8, read_json_bytes
from govrules.textfile import UnreadableFile, read_bytes
from govrules.yaml_reader import Path_, Positions, YamlRefused, read_yaml_text

# A year's schedule is a few kilobytes; anything this large is the wrong file.
MAX_FILE_BYTES: Final = 1_000_000

_EXPECTED_KEYS: Final = "year, complete, source, holidays, working_weekends"
_WHAT: Final = "a holiday-data file"


@dataclass(frozen=True)
class YearFile:
    """A checked holiday-data file: its year, the path it was read from, its bytes and their sha256."""

    data: YearData
    path: str
    sha256: str
    raw: bytes = field(repr=False)

    def calendar_source(self, kind: SourceKind) -> CalendarSource:
        year = self.data.year
        return CalendarSource(year, year, kind, self.data.source, file=Path(self.path).name, sha256=self.sha256)


def read_year_file(path: str | Path) -> YearFile:
    """Read and validate a holiday-data file; raise ``InputError`` naming the file and field."""
    name = str(path)
    try:
        raw = read_bytes(path, MAX_FILE_BYTES, _WHAT)
    except UnreadableFile as exc:
        raise InputError(name, exc.problem) from None
    positions: Positions | None = None
    if Path(path).suffix.lower() == ".json":
        content = read_json_bytes(name, raw, MAX_FILE_BYTES, _WHAT)  # the one JSON reader
    else:
        text = decode_utf8(name, raw)
        try:
            content, positions = read_yaml_text(name, text, _WHAT)
        except YamlRefused as exc:
            raise InputError(str(exc.location), exc.problem) from None
    if not isinstance(content, dict):
        raise InputError(name, f"expected a mapping with the keys {_EXPECTED_KEYS}")
    try:
        data = YearData.model_validate(content)
    except ValidationError as error:
        raise _field_error(name, positions, error) from None
    return YearFile(data, name, hashlib.sha256(raw).hexdigest(), raw)


def load_year_file(path: str | Path) -> YearData:
    """``read_year_file``'s ``YearData`` alone."""
    return read_year_file(path).data


def _field_error(name: str, positions: Positions | None, error: ValidationError) -> InputError:
    # One clear message for the first problem: later ones are often consequences of it.
    first = error.errors()[0]
    cause = first.get("ctx", {}).get("error")
    kind = first["type"]
    if isinstance(cause, YearDataProblem):
        field, problem = cause.field, cause.problem
        path = _parse_field(field)
    else:
        path = tuple(first["loc"])
        field = _field_path(path)
        if kind == "extra_forbidden":
            problem = "unknown key; see docs/holiday-data.md for the format"
        elif kind == "missing":
            problem = "required key is missing"
        else:
            problem = first["msg"].removeprefix("Value error, ")
            if kind not in ("value_error",):
                problem += f" (got {excerpt(first['input'])})"
    where = name
    if positions is not None:
        # A missing key is placed at the mapping that lacks it, an unknown one at the key itself.
        at = path[:-1] if kind == "missing" else path
        where = str(positions.at_key(at) if kind == "extra_forbidden" else positions.at(at))
    return InputError(f"{where}: {field}" if field else where, problem)


def _field_path(loc: Path_) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def _parse_field(field: str) -> Path_:
    """``holidays[2].date`` -> ("holidays", 2, "date"), the inverse of ``_field_path``."""
    return tuple(int(index) if index else key for key, index in re.findall(r"(\w+)|\[(\d+)\]", field))
