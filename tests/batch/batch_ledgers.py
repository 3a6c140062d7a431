"""Random ledgers for the batch tests: valid cases of every type, as the JSON objects of the
interchange contract, dated close together so that every status and finding occurs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.engine import Options
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
from govrules.packs import bundled_ids
from kinds_packs import KINDS_DAILY_ID, KINDS_ID, KINDS_SOURCES, pack_of

UNITS = ("市交通局", "市教育局", "历下区政府")
PROVISIONAL = WorkCalendar.default().provisional()
# the sources the packs' deadline rules name, drawn more often than the rest
RULED_SOURCES = ("市领导批示", "上级批示", "常务会议", "专题会议", "人大代表建议", "来文", "重点项目", "工作计划")


def _iso(d: date) -> str:
    return d.isoformat()


@st.composite
def days_after(draw: st.DrawFn, start: date, span: int) -> date:
    return start + timedelta(days=draw(st.integers(0, span)))


@st.composite
def matter(draw: st.DrawFn, first: date, last: date, ruled: tuple[str, ...] = RULED_SOURCES) -> dict[str, Any]:
    assigned = draw(st.dates(first, last))
    later = days_after(assigned, 200)
    raw: dict[str, Any] = {
        "type": "matter", "source": draw(st.sampled_from(ruled) | st.sampled_from(allowed_values(MatterSource))),
        "assigned_on": _iso(assigned), "lead_unit": draw(st.sampled_from(UNITS)),
    }
    if draw(st.booleans()):
        raw["explicit_deadline"] = _iso(draw(later))
    if draw(st.booleans()):
        raw["urgency"] = draw(st.sampled_from(allowed_values(Urgency)))
    for flag in ("complex", "needs_consultation"):
        if draw(st.integers(0, 3)) == 0:
            raw[flag] = True
    if draw(st.booleans()):
        raw["responsible"] = "张三"
    if draw(st.booleans()):
        raw["completed_on"] = _iso(draw(later))
    if draw(st.integers(0, 2)) == 0:
        requested = draw(later)
        raw["extension"] = {"requested_on": _iso(requested), "new_deadline": _iso(draw(days_after(requested, 250))),
                            "approved": draw(st.booleans())}
    raw["reports"] = [_iso(d) for d in draw(st.lists(later, max_size=3))]
    return raw


@st.composite
def meeting(draw: st.DrawFn, first: date, last: date) -> dict[str, Any]:
    held = draw(st.dates(first, last))
    kinds = st.sampled_from(allowed_values(MeetingKind))
    raw: dict[str, Any] = {"type": "meeting", "kind": draw(st.sampled_from(["专题会议", "常务会议", "全市综合性会议"]) | kinds),
                           "held_on": _iso(held)}
    if draw(st.booleans()):
        raw["convened_by"] = draw(st.sampled_from(allowed_values(Convener)))
    for flag in ("in_name_of_city_government", "invites_county_heads", "major_decision"):
        if draw(st.booleans()):
            raw[flag] = True
    if draw(st.booleans()):
        raw["attendees"] = draw(st.integers(0, 300))
    if draw(st.booleans()):
        raw["format"] = draw(st.sampled_from(allowed_values(MeetingFormat)))
    raw["approvals"] = draw(st.lists(st.sampled_from(allowed_values(Approval)), max_size=3, unique=True))
    raw["decision_procedures"] = draw(st.lists(st.sampled_from(allowed_values(DecisionProcedure)), max_size=4, unique=True))
    if draw(st.booleans()):
        raw["organizer"] = draw(st.sampled_from(UNITS))
    if draw(st.booleans()):
        asked = draw(days_after(held, 20))
        raw["minutes_comment_requested_on"] = _iso(asked)
        if draw(st.booleans()):
            raw["minutes_feedback_on"] = _iso(draw(days_after(asked, 8)))
    raw["absent_without_reason"] = draw(st.lists(st.sampled_from(UNITS), max_size=2))
    return raw


@st.composite
def document(draw: st.DrawFn, first: date, last: date) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "type": "document", "kind": draw(st.sampled_from(allowed_values(DocumentKind))),
        "issuer": draw(st.sampled_from(allowed_values(Issuer))), "issued_on": _iso(draw(st.dates(first, last))),
    }
    if draw(st.booleans()):
        raw["category"] = draw(st.sampled_from(allowed_values(DocumentCategory)))
    for flag in ("external", "to_party_committee"):
        if draw(st.booleans()):
            raw[flag] = True
    if draw(st.booleans()):
        raw["header"] = draw(st.sampled_from(allowed_values(Header)))
    size = draw(st.integers(0, 2))
    if size == 1:
        raw["char_count"] = draw(st.integers(0, 6000))
    elif size == 2:
        raw["text"] = "关于" * draw(st.integers(0, 2600))
    raw["approvals"] = draw(st.lists(st.sampled_from(allowed_values(Approval)), max_size=2, unique=True))
    return raw


@st.composite
def ledger(draw: st.DrawFn, first: date, last: date, ruled: tuple[str, ...] = RULED_SOURCES) -> tuple[list[dict[str, Any]], date]:
    """Rows dated within a few months of each other, and an as_of among them, so that every
    status occurs; the span reaches years without holiday data (2027) and before it (2003)."""
    center = draw(st.dates(first, last))
    low, high = max(first, center - timedelta(days=120)), min(last, center + timedelta(days=60))
    make = st.one_of(matter(low, high, ruled), matter(low, high, ruled), meeting(low, high), document(low, high))
    rows = draw(st.lists(make, min_size=1, max_size=25))
    for i, raw in enumerate(rows):
        raw["id"] = f"R{i}"
    return rows, center + timedelta(days=draw(st.integers(-30, 90)))


@st.composite
def options(draw: st.DrawFn, pack_id: str) -> Options:
    pack = pack_of(pack_id)
    chosen = {i.id: draw(st.sampled_from(sorted(i.options))) for i in pack.interpretations if draw(st.booleans())}
    return Options(
        warning_workdays=draw(st.integers(0, 8)),
        interpretations=chosen,
        allow_not_in_force=pack_id != "jinan-2016-30" or draw(st.booleans()),
        calendar=PROVISIONAL if draw(st.integers(0, 4)) == 0 else None,
    )


SPANS = {"chuzhou-2009-8": (date(2008, 6, 1), date(2010, 6, 30))}
SPAN = (date(2003, 6, 1), date(2027, 3, 31))
RULED: dict[str, tuple[str, ...]] = {}


# the engine's pack of every rule kind (in force from 2016-12-23) and its variant, run like bundled ones
PACK_IDS = [*bundled_ids(), KINDS_ID, KINDS_DAILY_ID]
for _kinds in (KINDS_ID, KINDS_DAILY_ID):
    SPANS[_kinds] = (date(2016, 12, 23), SPAN[1])
    RULED[_kinds] = (*KINDS_SOURCES, "交办")
