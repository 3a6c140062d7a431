"""The ledger's day index (batch/days.py) is the calendar's vector face, and its precomputed period
ends answer exactly what engine.periods.period_end answers date by date, marking exactly the dates
for which it raises HolidayDataMissing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.batch.days import DayIndex
from govrules.calendar import WorkCalendar
from govrules.semantics.periods import period_end
from govrules.errors import HolidayDataMissing
from govrules.packs.schema import Period

CALENDARS = {"built-in": WorkCalendar.default(), "provisional": WorkCalendar.default().provisional()}
# from before the provisional years to after them, so that every edge is crossed
DATES = st.lists(st.dates(date(1985, 1, 1), date(2106, 12, 31)) | st.dates(date(2003, 12, 1), date(2004, 1, 31))
                 | st.dates(date(2026, 11, 1), date(2027, 1, 31)), min_size=1, max_size=60)
PERIODS = [Period(working_days=1), Period(working_days=7), Period(days=10), Period(days=3660), Period(months=3),
           Period(months=6), Period(same_day=True),
           # never before another count (提高效率 (七)): the later end, unknown if either end is
           Period(days=10, at_least=Period(working_days=5)), Period(working_days=3, at_least=Period(days=7))]


def _vector(result: tuple[np.ndarray, np.ndarray]) -> list[object]:  # type: ignore[type-arg]
    values, missing = result
    return ["missing" if m else (None if np.isnat(v) else v.item()) for v, m in zip(values, missing)]


@pytest.mark.parametrize("name", CALENDARS)
def test_the_index_is_the_calendars_vector_face(name: str) -> None:
    """The arithmetic is WorkCalendar.vectors (tested against the scalar face in
    tests/calendar/test_vector_face.py), read from the calendar's own arrays, not a rebuilt copy."""
    cal = CALENDARS[name]
    idx, face = DayIndex.of(cal), cal.vectors
    assert idx is DayIndex.of(cal) and idx.calendar is cal
    assert idx.through is face.through and idx.working is face.working and idx.workdays is face.workdays
    assert (idx.first, idx.last) == (face.first, face.last)


@pytest.mark.parametrize("name", CALENDARS)
@given(days=DATES)
@settings(max_examples=40, deadline=None)
def test_period_ends_are_lookups_of_period_end(name: str, days: list[date]) -> None:
    """end_of reads precomputed tables; they agree with engine.periods.period_end."""
    cal = CALENDARS[name]
    idx = DayIndex.of(cal)
    col = np.array(days, dtype="datetime64[D]")
    which = np.arange(len(days), dtype=np.int64) % len(PERIODS)
    got = _vector(idx.end_of(col, PERIODS, which))
    want = _scalar_pairs_period(cal, days, [PERIODS[w] for w in which])
    assert got == want


def _scalar_pairs_period(cal: WorkCalendar, days: list[date], periods: list[Period]) -> list[object]:
    out: list[object] = []
    for d, p in zip(days, periods):
        try:
            out.append(period_end(cal, d, p))
        except HolidayDataMissing:
            out.append("missing")
    return out


def test_empty_cells_pass_through() -> None:
    idx = DayIndex.of(WorkCalendar.default())
    col = np.array(["NaT", "2026-04-30"], dtype="datetime64[D]")
    values, missing = idx.add_workdays(col, 3)
    assert np.isnat(values[0]) and not missing[0]
    assert values[1] == np.datetime64("2026-05-08")
    values, missing = idx.end_of(col, [Period(days=10)], np.array([0, -1]))
    assert np.isnat(values).all() and not missing.any()


def test_a_million_dates_are_one_lookup() -> None:
    """architecture.md "Speed": a column of a million dates is one numpy operation (well under 1 s)."""
    import time

    idx = DayIndex.of(WorkCalendar.default())
    col = np.datetime64("2016-01-01") + (np.arange(1_000_000) % 3650)
    idx.end_of(col[:10], [Period(working_days=15)])
    start = time.perf_counter()
    idx.end_of(col, [Period(working_days=15)])
    assert time.perf_counter() - start < 1.0
