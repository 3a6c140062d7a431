"""What an evaluation returns: the JSON of shared/design/interchange.md, key order included."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Literal

from pydantic.json_schema import SkipJsonSchema

from govrules.labels import STATUS_ZH as STATUS_ZH  # re-exported; its home is below display and semantics
from govrules.semantics.trace import Trace

# "unknown": the rule's answer needs a year the calendar does not know (semantics.md, "Working days").
FindingKind = Literal["deadline", "violation", "obligation", "deemed", "accountability", "advice", "unknown"]
# "replied": a progress reply met a 办结或回复进展情况 limit, the matter awaits completion (济南 第十六条).
# "unknown": the matter's own deadline needs such a year; only a ledger row can have it (a single
# evaluation is refused instead), and the row's ``unknown`` finding says which year and how to supply it.
Status = Literal["on_track", "due_soon", "overdue", "done", "done_late", "replied", "unknown"]


def _plain(value: object) -> object:
    """JSON-ready form: dates as ISO strings, nested results as dicts, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Output):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Output:
    """Results are plain frozen dataclasses: the engine builds them from validated parts, so
    re-validating (pydantic) would only cost time; the field order is the JSON key order."""

    def to_dict(self) -> dict[str, object]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.compare}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class InterpretationUsed(Output):
    id: str
    choice: str
    reading: str


@dataclass(frozen=True, slots=True)
class Finding(Output):
    """One rule's verdict on a case: what it requires, its force, its clause and why it applies."""

    rule: str
    kind: FindingKind
    outcome: str
    force: Literal["mandatory", "default", "advisory"]
    citation: str
    clause_text: str
    due: date | None
    message: str
    interpretations: tuple[InterpretationUsed, ...]
    in_force: bool = True
    # what the semantics decided, as data (semantics.trace): the message is rendered from it. Not
    # part of the JSON contract nor of equality (the ledger path's findings carry none: it asks the
    # reference for explanations on demand).
    trace: SkipJsonSchema[Trace | None] = field(default=None, compare=False, repr=False)

    def _repr_html_(self) -> str:
        from govrules.display import finding_html  # notebooks only: keep importing results light

        return finding_html(self)


@dataclass(frozen=True, slots=True)
class CalendarSourceUsed(Output):
    """Where the holidays of some years came from: a package and its version, or a file's name and sha256."""

    years: tuple[int, int]
    kind: Literal["package", "installed", "file", "data"]
    source: str
    version: str | None
    file: str | None
    sha256: str | None


@dataclass(frozen=True, slots=True)
class CalendarUsed(Output):
    """The working-day calendar an answer used, so that it can be audited and reproduced later:
    the years it knows, the source of each, and the span counted with weekends only (provisional)."""

    years: tuple[int, int]
    sources: tuple[CalendarSourceUsed, ...]
    provisional_years: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class Evaluation(Output):
    """A case as of a date under one pack: its deadline, status (null without a deadline) and findings."""

    id: str
    type: Literal["matter", "meeting", "document"]
    pack: str
    as_of: date
    deadline: date | None
    status: Status | None
    provisional: bool
    findings: tuple[Finding, ...]
    # false when some finding is "unknown" (it needs a year the calendar does not know)
    complete: bool = True
    calendar: CalendarUsed | None = None  # None only for an Evaluation built by hand

    def _repr_html_(self) -> str:
        from govrules.display import evaluation_html  # notebooks only: keep importing results light

        return evaluation_html(self)


@dataclass(frozen=True, slots=True)
class UnitAccountability(Output):
    """A responsible unit's step on one accountability ladder as of a date (level 0: none reached)."""

    unit: str
    pack: str
    rule: str
    as_of: date
    level: int
    outcome: str | None
    counted: int
    window: str
    citation: str
    clause_text: str
    force: Literal["mandatory", "default", "advisory"]
    targets: tuple[str, ...]
    copied_to: tuple[str, ...]
    events: tuple[str, ...]
    message: str
    interpretations: tuple[InterpretationUsed, ...]
    in_force: bool = True


def results_json(items: list[Evaluation] | list[UnitAccountability]) -> str:
    """The machine format: a JSON array, one object per line, stable bytes for stable input."""
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(item.to_json() for item in items) + "\n]\n"


def date_or_none(d: date | None) -> str:
    return d.isoformat() if d else "—"
