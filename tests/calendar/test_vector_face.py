"""The calendar's two faces read one table: ``WorkCalendar.vectors`` answers every row exactly as
the scalar method answers that date, masks exactly the rows for which the scalar method raises
HolidayDataMissing, and passes NaT (an empty cell) through unmasked. The raising wrappers
(``add_workdays_array``, ``is_workday_array``) raise exactly when a row is masked, naming the
year the scalar method names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.errors import HolidayDataMissing

CALENDARS = {"built-in": WorkCalendar.default(), "provisional": WorkCalendar.default().provisional()}
# From before the provisional years (1990-2100) to after them, dense around the known years' edges,
# with None for an empty cell.
_DAY = (st.dates(date(1985, 1, 1), date(2106, 12, 31)) | st.dates(date(2003, 12, 1), date(2004, 1, 31))
        | st.dates(date(1989, 12, 1), date(1990, 1, 31)) | st.dates(date(2100, 12, 1), date(2101, 1, 31))
        | st.dates(date(2026, 11, 1), date(2027, 1, 31)))
DATES = st.lists(_DAY | st.none(), min_size=1, max_size=40)
MISSING = "missing"


def _column(days: list[date | None]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(["NaT" if d is None else d for d in days], dtype="datetime64[D]")


def _scalar(fn: Callable[..., object], *columns: list[Any]) -> list[object]:
    """The scalar face row by row: None for a row with an empty cell, MISSING where it raises."""
    out: list[object] = []
    for row in zip(*columns):
        if any(x is None for x in row):
            out.append(None)
            continue
        try:
            out.append(fn(*row))
        except HolidayDataMissing:
            out.append(MISSING)
    return out


def _vector(result: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]) -> list[object]:
    values, missing = result
    out: list[object] = []
    for v, m in zip(values, missing):
        if m:
            out.append(MISSING)
        elif v.dtype.kind == "M":
            out.append(None if np.isnat(v) else v.item())
        else:
            out.append(v.item())
    return out


@pytest.mark.parametrize("name", CALENDARS)
@given(days=DATES, n=st.integers(-40, 40), ns=st.lists(st.integers(-400, 400), min_size=40, max_size=40))
@settings(max_examples=80, deadline=None)
def test_the_vector_face_is_the_scalar_face(name: str, days: list[date | None], n: int, ns: list[int]) -> None:
    cal = CALENDARS[name]
    vec = cal.vectors
    col = _column(days)
    steps = ns[: len(days)]
    assert _vector(vec.add_workdays(col, n)) == _scalar(lambda d: cal.add_workdays(d, n), days)
    assert _vector(vec.add_workdays(col, np.array(steps, dtype=np.int64))) == _scalar(cal.add_workdays, days, steps)
    assert _vector(vec.roll_forward(col)) == _scalar(cal.roll_forward, days)
    assert _vector(vec.roll_back(col)) == _scalar(cal.roll_back, days)
    assert _vector(vec.add_days(col, n)) == _scalar(lambda d: cal.add_days(d, n), days)
    assert _vector(vec.add_months(col, n)) == _scalar(lambda d: cal.add_months(d, n), days)
    working, outside = vec.is_workday(col)
    assert _vector((working, outside)) == [False if x is None else x for x in _scalar(cal.is_workday, days)]
    assert outside.tolist() == [x == MISSING for x in _scalar(cal.is_workday, days)]
    assert (vec.outside(col) == outside).all()
    # a count has no NaT: rows with an empty cell carry no meaning, so only the others are compared
    other = days[::-1]
    got = _vector(vec.workdays_between(col, _column(other)))
    want = _scalar(cal.workdays_between, days, other)
    assert [g for g, w in zip(got, want) if w is not None] == [w for w in want if w is not None]
    if days[0] is not None:
        day = days[0]
        got = _vector(vec.workdays_from(np.datetime64(day, "D"), col))
        want = _scalar(lambda d: cal.workdays_between(day, d), days)
        assert [g for g, w in zip(got, want) if w is not None] == [w for w in want if w is not None]


@pytest.mark.parametrize("name", CALENDARS)
@given(days=DATES, n=st.integers(-40, 40))
@settings(max_examples=60, deadline=None)
def test_the_raising_wrappers_raise_exactly_when_a_row_is_masked(name: str, days: list[date | None], n: int) -> None:
    cal = CALENDARS[name]
    col = _column(days)
    answers = _scalar(lambda d: cal.add_workdays(d, n), days)
    if MISSING not in answers:
        assert _vector((cal.add_workdays_array(col, n), np.zeros(len(days), bool))) == answers
    else:
        with pytest.raises(HolidayDataMissing) as raised:
            cal.add_workdays_array(col, n)
        # the first date outside the covered years names its year; else the first answer off the end
        outside = [d for d in days if d is not None and cal.vectors.outside(_column([d]))[0]]
        first = outside[0] if outside else days[answers.index(MISSING)]
        assert first is not None
        with pytest.raises(HolidayDataMissing) as scalar:
            cal.add_workdays(first, n)
        assert raised.value.year == scalar.value.year
    working = _scalar(cal.is_workday, days)
    if MISSING in working:
        with pytest.raises(HolidayDataMissing):
            cal.is_workday_array(col)
    else:
        assert cal.is_workday_array(col).tolist() == [False if w is None else w for w in working]
