"""Bad input gets a clear error for that event; the stream keeps going and loses nothing accepted.

An event for an unknown matter, a clock that goes backwards, a duplicate event id, an empty batch,
a malformed event or JSON line: each is refused with a message naming the event and the problem,
and the stream afterwards behaves exactly as if the bad event had never been posted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from govrules import GovrulesError
from govrules.stream import EventRejected, Supervisor, parse_event, parse_event_json
from stream_helpers import assigned, clock, completed, deadline_set, extension, problem, report

GOOD = [
    assigned("G1", "2026-03-02", "DC-1", "市领导批示", "市交通局"),
    clock("G2", "2026-03-06"),
    problem("G3", "2026-03-09", "市交通局", "通报批评"),
    report("G4", "2026-03-10", "DC-1"),
    clock("G5", "2026-03-20"),
    problem("G6", "2026-03-23", "市交通局", "通报批评"),
]

BAD: list[tuple[dict[str, Any] | object, str]] = [
    (report("B1", "2026-03-06", "NOPE"), "unknown matter 'NOPE'"),
    (clock("B2", "2026-03-01"), "the clock cannot go backwards: the stream's date is already 2026-03-0"),
    (report("B3", "2026-02-01", "DC-1"), "events must come in date order"),
    (clock("G1", "2026-03-06"), "duplicate event id 'G1'"),
    ({"type": "clock", "id": "B5"}, "on: required field is missing"),
    ({"type": "tick", "id": "B6", "on": "2026-03-06"}, "type: unknown value 'tick'; allowed values: matter_assigned"),
    ({"type": "clock", "id": "B7", "on": "2026-13-01"}, "on: '2026-13-01' is not a real date"),
    ({"type": "clock", "id": "B8", "on": "2026-03-06", "colour": "red"}, "colour: unknown key"),
    ({"type": "report", "id": "B9", "on": "2026-03-06"}, "matter_id: required field is missing"),
    ("not an object", "expected a JSON object"),
    (assigned("B10", "2026-03-06", "DC-1", "市领导批示"), "matter DC-1 is already under supervision"),
    (assigned("B11", "2026-03-06", "DC-9", "市领导批示", completed_on="2026-03-09"), "dates after the event's date"),
    (assigned("B12", "2026-03-06", "DC-9", "市长批示"), "matter.source: unknown value '市长批示'"),
    (extension("B13", "2026-03-06", "DC-1", "2026-03-01"), "new_deadline 2026-03-01 is before"),
    (problem("B14", "2026-03-06", "市交通局", "批评"), "event.kind: unknown value '批评'"),
    (deadline_set("B15", "2026-03-06", "DC-1", "2026-03-05"), "deadline 2026-03-05 is before the event's date 2026-03-06"),
    (deadline_set("B16", "2026-03-06", "DC-404", "2026-03-31"), "unknown matter 'DC-404'"),
    ({"type": "deadline_set", "id": "B17", "on": "2026-03-06", "matter_id": "DC-1"}, "deadline: required field is missing"),
]


def run_good(sup: Supervisor, events: list[dict[str, Any]]) -> list[str]:
    return [a.to_json() for e in events for a in sup.post(e)]


@pytest.fixture(scope="module")
def clean() -> list[str]:
    with Supervisor("jinan-2016-30") as sup:
        return run_good(sup, GOOD)


@pytest.fixture
def sup() -> Iterator[Supervisor]:
    with Supervisor("jinan-2016-30") as s:
        yield s


@pytest.mark.parametrize(("bad", "message"), BAD, ids=[m[:40] for _, m in BAD])
def test_a_bad_event_is_refused_clearly_and_the_stream_goes_on_as_if_it_never_came(
        sup: Supervisor, clean: list[str], bad: Any, message: str) -> None:
    got = run_good(sup, GOOD[:2])
    before = (sup.state(), sup.journal)
    with pytest.raises(EventRejected) as info:
        sup.post(bad)
    assert message in str(info.value), str(info.value)
    assert isinstance(info.value, GovrulesError)
    assert (sup.state(), sup.journal) == before  # nothing of it applied, nothing accepted lost
    got += run_good(sup, GOOD[2:])
    assert got == clean


def test_the_error_names_the_event(sup: Supervisor) -> None:
    sup.post(clock("C1", "2026-03-06"))
    with pytest.raises(EventRejected) as info:
        sup.post(report("R9", "2026-03-06", "NOPE"))
    assert str(info.value).startswith("event R9 (report, 2026-03-06): unknown matter 'NOPE'")
    assert info.value.event_id == "R9"


def test_an_empty_batch_is_an_error_and_durable_rules_never_sees_an_empty_list(sup: Supervisor) -> None:
    with pytest.raises(EventRejected, match="empty batch"):
        sup.post_all([])
    assert sup.post(clock("C1", "2026-03-06")) == []  # and the stream goes on


def test_a_batch_refuses_only_its_bad_events(sup: Supervisor, clean: list[str]) -> None:
    batch: list[Any] = [GOOD[0], report("B1", "2026-03-02", "NOPE"), GOOD[1], clock("B2", "2026-03-01"), *GOOD[2:]]
    outcomes = sup.post_all(batch)
    assert [o.accepted for o in outcomes] == [True, False, True, False, True, True, True, True]
    assert [o.event_id for o in outcomes] == ["G1", "B1", "G2", "B2", "G3", "G4", "G5", "G6"]
    assert [a.to_json() for o in outcomes for a in o.actions] == clean
    assert "unknown matter" in str(outcomes[1].error) and "backwards" in str(outcomes[3].error)


def test_a_completed_matter_cannot_be_completed_again(sup: Supervisor) -> None:
    sup.post(GOOD[0])
    sup.post(completed("C1", "2026-03-03", "DC-1"))
    with pytest.raises(EventRejected, match="already completed on 2026-03-03"):
        sup.post(completed("C2", "2026-03-04", "DC-1"))
    with pytest.raises(EventRejected, match="already completed"):
        sup.post(extension("C3", "2026-03-04", "DC-1", "2026-04-01"))
    with pytest.raises(EventRejected, match="already completed"):
        sup.post(deadline_set("C5", "2026-03-04", "DC-1", "2026-04-01"))
    assert sup.post(report("C4", "2026-03-04", "DC-1")) == []  # a late report is harmless


def test_a_matter_due_in_a_year_without_holiday_data_is_refused_naming_the_year(sup: Supervisor) -> None:
    sup.post(clock("Y0", "2026-11-30"))
    with pytest.raises(EventRejected, match="no holiday data for 2027"):  # 3 months from 2026-12-01
        sup.post(assigned("Y1", "2026-12-01", "DC-7", "人大代表建议", "市交通局"))
    assert sup.state().matters == ()
    assert sup.post(assigned("Y2", "2026-12-01", "DC-8", "市领导批示", "市交通局"))[0].kind == "催办"


def test_malformed_json_lines_are_refused_clearly() -> None:
    with pytest.raises(EventRejected, match=r"events.jsonl:3:2: not valid JSON: Expecting property name"):
        parse_event_json("{x", "events.jsonl:3")
    event = parse_event_json('{"类型": "时钟", "编号": "T1", "日期": "2026-03-02"}')
    assert (event.type, event.id, str(event.on)) == ("clock", "T1", "2026-03-02")
    assert parse_event({"type": "进展报告", "id": "T2", "on": "2026-03-02", "事项编号": "DC-1"}).type == "report"
