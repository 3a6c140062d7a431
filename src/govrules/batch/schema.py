"""The columns of a ledger frame: one per field of the interchange contract, flattened.

A frame mixes 事项, 会议 and 公文 rows; each row uses the columns of its ``type`` and leaves the
others empty. Two fields are flattened for a table:

- the nested ``extension`` becomes ``extension_requested_on``, ``extension_new_deadline`` and
  ``extension_approved`` (a column ``extension`` of dicts, as ``pd.DataFrame(records)`` gives, is
  accepted too);
- list fields (``reports``, ``co_units``, ``approvals`` …) are one cell per row holding a list
  (a Python list/tuple/array, or an Arrow list column), or a string of items separated by
  ``、``, ``;`` or ``；``.

The categories come from the models (``govrules.models.categories``), so a value allowed there
is allowed here; a test checks that this table covers every field of the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from govrules.models import Document, Event, Extension, Matter, Meeting
from govrules.models.base import CaseModel
from govrules.models.categories import (
    Approval,
    Convener,
    DecisionProcedure,
    DocumentCategory,
    DocumentKind,
    Header,
    Issuer,
    MatterSource,
    MeetingFormat,
    MeetingKind,
    Urgency,
    allowed_values,
)

CaseType = Literal["matter", "meeting", "document"]
CASE_TYPES: tuple[CaseType, ...] = ("matter", "meeting", "document")
MODELS: dict[CaseType, type[CaseModel]] = {"matter": Matter, "meeting": Meeting, "document": Document}

Kind = Literal["text", "category", "date", "flag", "count"]


@dataclass(frozen=True)
class Spec:
    """One column: what its cells hold, and what an empty cell means."""

    kind: Kind
    required: bool = False
    default: object = None  # what an empty cell stands for (the model's default)
    domain: tuple[str, ...] = ()  # category values (simplified)
    listed: bool = False  # a list of items of ``kind``
    max_len: int = 200  # text: the models' limits
    min_len: int = 1
    bounds: tuple[int, int] = (0, 0)  # count: inclusive


def _cat(literal: object, required: bool = False, default: str | None = None, listed: bool = False) -> Spec:
    return Spec("category", required, default, allowed_values(literal), listed)


ID = Spec("text", required=True)
NAME = Spec("text", required=True)
OPTIONAL_NAME = Spec("text")
NAMES = Spec("text", listed=True)
DATE = Spec("date", required=True)
OPTIONAL_DATE = Spec("date")
FLAG = Spec("flag", default=False)

COLUMNS: dict[CaseType, dict[str, Spec]] = {
    "matter": {
        "id": ID,
        "source": _cat(MatterSource, required=True),
        "assigned_on": DATE,
        "explicit_deadline": OPTIONAL_DATE,
        "urgency": _cat(Urgency, default="一般"),
        "complex": FLAG,
        "needs_consultation": FLAG,
        "lead_unit": NAME,
        "co_units": NAMES,
        "responsible": OPTIONAL_NAME,
        "completed_on": OPTIONAL_DATE,
        "extension_requested_on": OPTIONAL_DATE,
        "extension_new_deadline": OPTIONAL_DATE,
        "extension_approved": FLAG,
        "reports": Spec("date", listed=True),
    },
    "meeting": {
        "id": ID,
        "kind": _cat(MeetingKind, required=True),
        "held_on": DATE,
        "convened_by": _cat(Convener),
        "in_name_of_city_government": FLAG,
        "attendees": Spec("count", bounds=(0, 1_000_000)),
        "format": _cat(MeetingFormat, default="现场"),
        "approvals": _cat(Approval, listed=True),
        "invites_county_heads": FLAG,
        "organizer": OPTIONAL_NAME,
        "minutes_comment_requested_on": OPTIONAL_DATE,
        "minutes_feedback_on": OPTIONAL_DATE,
        "absent_without_reason": NAMES,
        "major_decision": FLAG,
        "decision_procedures": _cat(DecisionProcedure, listed=True),
    },
    "document": {
        "id": ID,
        "kind": _cat(DocumentKind, required=True),
        "category": _cat(DocumentCategory, default="其他"),
        "issuer": _cat(Issuer, required=True),
        "external": FLAG,
        "header": _cat(Header),
        "text": Spec("text", max_len=1_000_000, min_len=0),
        "char_count": Spec("count", bounds=(0, 10_000_000)),
        "issued_on": DATE,
        "to_party_committee": FLAG,
        "approvals": _cat(Approval, listed=True),
    },
}

EXTENSION_COLUMNS = {"requested_on": "extension_requested_on", "new_deadline": "extension_new_deadline",
                     "approved": "extension_approved"}
# The date that decides whether the pack was in force for the case (engine.findings.case_date).
CASE_DATE: dict[CaseType, str] = {"matter": "assigned_on", "meeting": "held_on", "document": "issued_on"}
TYPE_NAMES = {"matter": "matter", "meeting": "meeting", "document": "document",
              "事项": "matter", "督查事项": "matter", "会议": "meeting", "公文": "document"}


def column_names(case_type: CaseType) -> dict[str, tuple[str, ...]]:
    """Each column of the type -> the names it may have in a frame: English, then the models'
    Chinese aliases (the extension's with a 延期 prefix). 主办单位 is lead_unit for a matter and
    organizer for a meeting, so names are resolved per type."""
    model = MODELS[case_type]
    out: dict[str, tuple[str, ...]] = {}
    for name in COLUMNS[case_type]:
        field = model.model_fields.get(name)
        aliases = getattr(field.validation_alias, "choices", ()) if field is not None else ()
        out[name] = (name, *(a for a in aliases if isinstance(a, str) and a != name))
    if case_type == "matter":
        for name, field in Extension.model_fields.items():
            column = EXTENSION_COLUMNS[name]
            aliases = getattr(field.validation_alias, "choices", ())
            out[column] = (column, *("延期" + a for a in aliases if isinstance(a, str)))
        out["extension"] = ("extension", "延期")
    return out


TYPE_COLUMN = ("type", "类型")


def event_columns() -> set[str]:
    """The columns of 问责事件 (unit, on, matter) and their Chinese names: a ledger file may hold
    events beside the cases (examples/generate_ledger.py writes one table for all four types).
    Their cells must be empty on a case's row, and an event row is not a case to evaluate."""
    out: set[str] = set()
    for name, field in Event.model_fields.items():
        if name not in ("type", "id", "kind"):
            out |= {name, *(a for a in getattr(field.validation_alias, "choices", ()) if isinstance(a, str))}
    return out
