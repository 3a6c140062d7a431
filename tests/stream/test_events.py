"""Stream events and actions are Pydantic models with JSON forms in the interchange's style:
English snake_case keys, Chinese aliases for keys and types, ISO dates, unknown keys refused."""

from __future__ import annotations

import json
from datetime import date

import pytest

from govrules.stream import (
    AccountabilityOccurred, ClockTick, EventRejected, ExtensionRequested, MatterAssigned, event_json_schema,
    parse_event,
)


def test_each_event_type_parses_from_its_json_form() -> None:
    assigned = parse_event({"type": "matter_assigned", "id": "E1", "on": "2026-04-30", "matter": {
        "type": "matter", "id": "DC-1", "source": "市領導批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}})
    assert isinstance(assigned, MatterAssigned) and assigned.matter.source == "市领导批示"  # traditional accepted
    ext = parse_event({"类型": "延期申请", "编号": "E2", "日期": "2026-05-06", "事项编号": "DC-1", "延长至": "2026-05-20", "批准": True})
    assert isinstance(ext, ExtensionRequested) and ext.new_deadline == date(2026, 5, 20) and ext.approved
    acc = parse_event({"type": "问责事件", "id": "E3", "on": "2026-05-07",
                       "event": {"type": "event", "id": "ev1", "unit": "市交通局", "on": "2026-05-07", "kind": "通报批评"}})
    assert isinstance(acc, AccountabilityOccurred) and acc.event.kind == "通报批评"
    tick = parse_event({"type": "clock", "id": "E4", "on": "2026-05-08"})
    assert isinstance(tick, ClockTick)
    assert json.loads(tick.to_json()) == {"id": "E4", "on": "2026-05-08", "type": "clock"}
    assert parse_event(tick) is tick


def test_a_date_is_iso_and_nothing_else() -> None:
    with pytest.raises(EventRejected, match="on: expected a date as YYYY-MM-DD, got 1700000000"):
        parse_event({"type": "clock", "id": "E1", "on": 1700000000})
    with pytest.raises(EventRejected, match="approved: Input should be a valid boolean"):
        parse_event({"type": "extension", "id": "E1", "on": "2026-05-06", "matter_id": "DC-1",
                     "new_deadline": "2026-05-20", "approved": "yes"})


def test_errors_name_the_nested_field() -> None:
    with pytest.raises(EventRejected) as info:
        parse_event({"type": "matter_assigned", "id": "E1", "on": "2026-04-30",
                     "matter": {"type": "matter", "id": "DC-1", "source": "市领导批示", "lead_unit": "x"}})
    assert str(info.value) == "event E1: matter.assigned_on: required field is missing"


def test_the_event_json_schema_lists_every_type() -> None:
    schema = event_json_schema()
    kinds = {v["properties"]["type"]["const"] for v in schema["$defs"].values() if "type" in v.get("properties", {})
             and "const" in v["properties"]["type"]}
    assert {"matter_assigned", "report", "extension", "completed", "clock", "accountability_event"} <= kinds
