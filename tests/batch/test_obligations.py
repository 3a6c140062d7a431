"""The recurring-report walk over columns (batch/obligations.py) gives each matter the reference's
ObligationState (first missed due, next due) for every kind of period, over spans from days to
decades (the reference stops after MAX_OCCURRENCES periods), or leaves the matter to it."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.batch.days import DayIndex
from govrules.batch.ledger import read_ledger
from govrules.batch.obligations import walk
from govrules.calendar import WorkCalendar
from govrules.semantics.obligations import obligation_state
from govrules.errors import HolidayDataMissing
from govrules.models import Matter, parse_object
from govrules.packs.schema import ObligationRule

CALENDARS = {"built-in": WorkCalendar.default(), "provisional": WorkCalendar.default().provisional()}


def _rule(every: str, first: str, after: int | None, required: bool) -> ObligationRule:
    return ObligationRule(id="r", kind="obligation", clause="c", force="mandatory", outcome="报告", every=every,  # type: ignore[arg-type]
                          first_period=first, days_after_period_end=after, reports_required=required)  # type: ignore[arg-type]


RULES = st.builds(
    _rule,
    st.sampled_from(["day", "week", "month", "quarter"]),
    st.sampled_from(["containing", "next"]),
    st.none(),
    st.booleans(),
) | st.builds(_rule, st.just("quarter"), st.sampled_from(["containing", "next"]), st.integers(1, 90), st.booleans())


@st.composite
def matters(draw: st.DrawFn, as_of: date) -> dict[str, object]:
    span = draw(st.sampled_from([40, 400, 6000]))  # days before as_of: a few periods to past the walk's limit
    assigned = as_of - timedelta(days=draw(st.integers(0, span)))
    later = st.dates(assigned, as_of + timedelta(days=30))
    raw: dict[str, object] = {"type": "matter", "source": "工作计划", "assigned_on": assigned.isoformat(), "lead_unit": "局",
                              "reports": [d.isoformat() for d in draw(st.lists(later, max_size=12))]}
    if draw(st.booleans()):
        raw["completed_on"] = draw(later).isoformat()
    return raw


@pytest.mark.parametrize("name", CALENDARS)
@given(data=st.data(), rule=RULES, as_of=st.dates(date(2005, 1, 1), date(2027, 2, 28)))
@settings(max_examples=60, deadline=None)
def test_walk_agrees_with_obligation_state(name: str, data: st.DataObject, rule: ObligationRule, as_of: date) -> None:
    cal = CALENDARS[name]
    rows = data.draw(st.lists(matters(as_of), min_size=1, max_size=8))
    for i, r in enumerate(rows):
        r["id"] = f"M{i}"
    table = read_ledger(pd.DataFrame(rows)).tables["matter"]
    got = walk(rule, table, np.arange(len(rows), dtype=np.int64), np.datetime64(as_of, "D"), DayIndex.of(cal))
    for i, raw in enumerate(rows):
        matter = parse_object(raw)
        assert isinstance(matter, Matter)
        try:
            state = obligation_state(cal, rule, matter, as_of)
        except HolidayDataMissing:
            assert got.unresolved[i], "the reference raises here: the row must be left to it"
            continue
        if got.unresolved[i]:
            continue  # left to the reference: nothing to compare (counted below)
        first_missed = state.missed[0] if state.missed else None
        as_got = (_day(got.first_missed[i]), _day(got.next_due[i]))
        assert as_got == (first_missed, state.next_due), (raw, rule)


def _day(value: np.datetime64) -> date | None:
    return None if np.isnat(value) else value.item()  # type: ignore[no-any-return]


def test_few_walks_are_left_to_the_reference() -> None:
    """Only walks that need a year without holiday data are unresolved in an ordinary ledger."""
    cal = WorkCalendar.default()
    rows = [{"type": "matter", "id": f"M{i}", "source": "工作计划", "lead_unit": "局",
             "assigned_on": (date(2020, 1, 1) + timedelta(days=7 * i)).isoformat()} for i in range(300)]
    table = read_ledger(pd.DataFrame(rows)).tables["matter"]
    for every in ("day", "week", "month", "quarter"):
        rule = _rule(every, "next", None, True)
        got = walk(rule, table, np.arange(300, dtype=np.int64), np.datetime64("2026-06-30"), DayIndex.of(cal))
        assert not got.unresolved.any(), every
