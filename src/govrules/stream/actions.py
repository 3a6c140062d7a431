"""What the stream does when a rule fires: 催办, 逾期 and 问责, each citing its clause.

An action's JSON form follows the interchange contract's style (English snake_case keys, the
officials' Chinese terms as values, ISO dates) and is stable: the same stream gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from govrules.semantics.results import Status
from govrules.models.dates import IsoDate

ActionKind = Literal["催办", "逾期", "问责"]


class Action(BaseModel):
    """One action the stream takes, and why.

    * ``催办`` (urge): a matter entered its warning window (status ``due_soon``);
    * ``逾期`` (overdue): a matter passed its deadline (status ``overdue``);
    * ``问责`` (accountability): a unit reached a higher step of an accountability ladder.

    ``subject`` is the matter's id (催办, 逾期) or the unit (问责); ``unit`` is the responsible unit
    in both cases. ``targets`` are who the action falls on: the lead and co-operating units of a
    matter, or the step's targets as the clause names them (e.g. 主要责任人, 分管责任人);
    ``copied_to`` where the clause says it is reported (e.g. 市委组织部, 市监察局).
    ``caused_by`` is the id of the event that made the rule fire; ``on`` the stream's date then.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ActionKind
    subject: str
    subject_type: Literal["matter", "unit"]
    unit: str
    on: IsoDate
    caused_by: str
    pack: str
    rule: str
    citation: str
    clause_text: str
    outcome: str
    force: Literal["mandatory", "default", "advisory"]
    level: int | None = None
    status: Status | None = None
    deadline: IsoDate | None = None
    window: str | None = None
    counted: int | None = None
    events: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    copied_to: tuple[str, ...] = ()
    message: str
    in_force: bool = True

    @property
    def key(self) -> str:
        """What makes an action the same action again: with the causing event's id, the
        de-duplication key of a replay."""
        return f"{self.kind}|{self.subject}|{self.rule}|{self.level}"

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
