"""What an evaluation returns: the JSON of shared/design/interchange.md, key order included."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from govrules.models.dates import IsoDate

FindingKind = Literal["deadline", "violation", "obligation", "deemed", "accountability", "advice"]
Status = Literal["on_track", "due_soon", "overdue", "done", "done_late"]
STATUS_ZH = {"on_track": "办理中", "due_soon": "临期", "overdue": "逾期", "done": "按期办结", "done_late": "逾期办结"}


class Output(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False)


class InterpretationUsed(Output):
    id: str
    choice: str
    reading: str


class Finding(Output):
    rule: str
    kind: FindingKind
    outcome: str
    force: Literal["mandatory", "default", "advisory"]
    citation: str
    clause_text: str
    due: IsoDate | None
    message: str
    interpretations: tuple[InterpretationUsed, ...]
    in_force: bool = True


class Evaluation(Output):
    id: str
    type: Literal["matter", "meeting", "document"]
    pack: str
    as_of: IsoDate
    deadline: IsoDate | None
    status: Status | None
    provisional: bool
    findings: tuple[Finding, ...]


class UnitAccountability(Output):
    unit: str
    pack: str
    rule: str
    as_of: IsoDate
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
