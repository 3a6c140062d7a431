"""Accountability ladders' counting (engine.accountability.ladder_tally), in particular a trigger
that counts an event only after a prior one (requires_prior: 济南 第二十条（二）)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.engine import accountability
from govrules.semantics.ladder import ladder_kinds, ladder_tally
from govrules.models import Event
from govrules.models.categories import EventKind, allowed_values
from govrules.packs.schema import LadderRule, Pack

KINDS = allowed_values(EventKind)


def pack(window: str = "calendar_year", prior: list[str] | None = None) -> Pack:
    """通报批评 (level 1); 2 通报批评 or a 整改不力 (after ``prior``, if given) (level 2)."""
    rectification = {"kinds": ["整改不力"], "at_least": 1, "requires_prior": prior or []}
    return Pack.model_validate({
        "id": "test-ladder", "title": "t", "doc_number": None, "issuer": None, "issued": None, "source_file": "t.txt",
        "validity": {"status": "有效", "in_force_from": "2000-01-01", "end_known": False, "note": "test"},
        "clauses": [{"id": "c1", "citation": "第一条", "text": "第一条"}],
        "rules": [{"id": "ladder/x", "kind": "ladder", "clause": "c1", "force": "mandatory", "outcome": "o", "window": window,
                   "steps": [{"level": 1, "outcome": "通报批评", "clause": "c1", "triggers": [{"kinds": ["通报批评"]}]},
                             {"level": 2, "outcome": "诫勉谈话", "clause": "c1",
                              "triggers": [{"kinds": ["通报批评"], "at_least": 2}, rectification]}]}],
    })


def ev(eid: str, on: str, kind: str, unit: str = "市交通局") -> Event:
    return Event(type="event", id=eid, unit=unit, on=date.fromisoformat(on), kind=kind)  # type: ignore[arg-type]


AFTER_CRITICISM = pack(prior=["通报批评"])
AS_OF = date(2026, 6, 30)


def level(events: list[Event], p: Pack = AFTER_CRITICISM, as_of: date = AS_OF) -> tuple[int, int]:
    (result,) = accountability(events, as_of, p)
    return result.level, result.counted


def test_a_rectification_event_alone_counts_for_nothing() -> None:
    assert level([ev("E1", "2026-04-15", "整改不力")]) == (0, 0)
    assert level([ev("E1", "2026-04-15", "整改不力")], pack()) == (2, 1)  # without requires_prior it would


def test_it_counts_after_a_criticism_on_an_earlier_day_in_the_window() -> None:
    assert level([ev("E1", "2026-03-02", "通报批评"), ev("E2", "2026-04-15", "整改不力")]) == (2, 2)
    # the same day is not known to be after; a criticism after it does not reach back
    assert level([ev("E1", "2026-04-15", "通报批评"), ev("E2", "2026-04-15", "整改不力")]) == (1, 1)
    assert level([ev("E1", "2026-04-15", "整改不力"), ev("E2", "2026-05-06", "通报批评")]) == (1, 1)
    # last year's criticism is outside 年度内, but inside a cumulative window
    events = [ev("E1", "2025-11-20", "通报批评"), ev("E2", "2026-02-10", "整改不力")]
    assert level(events) == (0, 0)
    assert level(events, pack("cumulative", ["通报批评"])) == (2, 2)
    # a criticism later than as_of is not yet known
    assert level([ev("E1", "2026-03-02", "通报批评"), ev("E2", "2026-04-15", "整改不力")], as_of=date(2026, 3, 1)) == (0, 0)


def test_the_tally_names_what_did_not_count() -> None:
    rule = AFTER_CRITICISM.rules[0]
    assert isinstance(rule, LadderRule)
    tally = ladder_tally(rule, [ev("E1", "2026-03-02", "整改不力"), ev("E2", "2026-04-15", "通报批评"),
                                ev("E3", "2026-05-06", "整改不力")], AS_OF)
    assert [e.id for e in tally.events] == ["E2", "E3"] and [e.id for e in tally.not_counted] == ["E1"]
    assert tally.counts == {"通报批评": 1, "整改不力": 1} and tally.triggers == {(1, 0): 1, (2, 0): 1, (2, 1): 1}
    (result,) = accountability(tally.events + tally.not_counted, AS_OF, AFTER_CRITICISM)
    assert "通报批评1次、整改不力1次(整改不力1次:此前无通报批评,不计入);达到第2级:诫勉谈话" in result.message


def test_the_prior_kinds_can_move_a_unit_even_where_no_trigger_counts_them() -> None:
    rule = pack(prior=["约谈"]).rules[0]
    assert isinstance(rule, LadderRule)
    assert ladder_kinds(rule) == {"通报批评", "整改不力", "约谈"}


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    days = st.integers(0, 500).map(lambda n: (date(2025, 3, 1) + timedelta(days=n)).isoformat())
    n = draw(st.integers(0, 8))
    return [ev(f"E{i}", draw(days), draw(st.sampled_from(KINDS)), draw(st.sampled_from(["甲", "乙"]))) for i in range(n)]


@given(histories(), st.permutations(range(8)), st.sampled_from(["calendar_year", "cumulative"]))
@settings(max_examples=200, deadline=None)
def test_requiring_a_prior_event_never_raises_a_level_and_order_of_input_does_not_matter(
        events: list[Event], order: list[int], window: str) -> None:
    as_of = date(2026, 6, 30)
    strict, loose = pack(window, ["通报批评"]), pack(window)
    shuffled = [events[i] for i in order if i < len(events)]
    got = accountability(events, as_of, strict)
    assert [(r.unit, r.level, r.counted) for r in got] == [
        (r.unit, r.level, r.counted) for r in sorted(accountability(shuffled, as_of, strict), key=lambda r: [x.unit for x in got].index(r.unit))]
    for a, b in zip(got, accountability(events, as_of, loose)):
        assert a.level <= b.level and a.counted <= b.counted
        assert set(a.events) <= set(b.events)
