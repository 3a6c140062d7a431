"""The calendar against independent computations: a day-by-day walk, invariants, a second source."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

import chinese_calendar
from holidays.countries.china import China
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.errors import HolidayDataMissing

CAL = WorkCalendar.default()
FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)
ALL_DAYS = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]

# Start dates whose answers stay inside 2004-2026 for every n used below (n <= 200).
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 12, 31))
late_starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 12, 31))
counts = st.integers(min_value=1, max_value=200)
examples = settings(max_examples=200, deadline=None)


# -- (1) every start date, every n from 1 to 60, against a day-by-day walk -----------------------


def test_add_workdays_equals_a_day_by_day_walk_for_every_start_and_n_up_to_60() -> None:
    horizon = 60
    # chinese_calendar.is_workday costs ~20 µs: ask it once per day, then walk over the answers.
    works = [chinese_calendar.is_workday(day) for day in ALL_DAYS]
    for start_index, start in enumerate(ALL_DAYS):
        expected: list[date] = []
        later = start_index + 1
        while len(expected) < horizon and later < len(ALL_DAYS):
            if works[later]:
                expected.append(ALL_DAYS[later])
            later += 1
        got = [CAL.add_workdays(start, n) for n in range(1, len(expected) + 1)]
        assert got == expected, f"from {start}"
        # The walk ran off the end of 2026: the rest of the answers need 2027.
        for n in range(len(expected) + 1, horizon + 1):
            with pytest.raises(HolidayDataMissing, match="2027"):
                CAL.add_workdays(start, n)


# -- (2) invariants of working-day counting ------------------------------------------------------


@examples
@given(starts, counts)
def test_the_result_is_a_working_day_strictly_after_the_start(start: date, n: int) -> None:
    result = CAL.add_workdays(start, n)
    assert result > start
    assert CAL.is_workday(result)


@examples
@given(starts, counts)
def test_the_result_strictly_increases_with_n(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n) < CAL.add_workdays(start, n + 1)


@examples
@given(starts, counts)
def test_workdays_between_inverts_add_workdays(start: date, n: int) -> None:
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    assert CAL.workdays_between(end, start) == -n


@examples
@given(late_starts, counts)
def test_negative_n_inverts_positive_n(start: date, n: int) -> None:
    # Back from the n-th working day after d lands on d, or on the working day before it.
    if start <= date(2025, 12, 31):
        assert CAL.add_workdays(CAL.add_workdays(start, n), -n) == CAL.roll_back(start)
    assert CAL.add_workdays(CAL.add_workdays(start, -n), n) == CAL.roll_forward(start)


@examples
@given(st.lists(st.tuples(starts, st.integers(min_value=-200, max_value=200)), min_size=1, max_size=50))
def test_the_array_version_agrees_with_the_scalar(pairs: list[tuple[date, int]]) -> None:
    pairs = [(day, n) for day, n in pairs if n >= 0 or day >= date(2005, 1, 1)]
    dates = np.array([day for day, _ in pairs], dtype="datetime64[D]")
    ns = np.array([n for _, n in pairs], dtype=np.int64)
    expected = [CAL.add_workdays(day, n) for day, n in pairs]
    assert CAL.add_workdays_array(dates, ns).astype(object).tolist() == expected
    assert CAL.is_workday_array(dates).tolist() == [CAL.is_workday(day) for day, _ in pairs]
    if pairs:
        assert CAL.add_workdays_array(dates, 7).astype(object).tolist() == [
            CAL.add_workdays(day, 7) for day, _ in pairs
        ]


# -- (3) calendar days, months and quarters as semantics.md reads them ---------------------------


def assert_rolled_forward(raw: date, result: date) -> None:
    """The first working day on or after raw: raw itself when raw is a working day."""
    assert result >= raw
    assert CAL.is_workday(result)
    if CAL.is_workday(raw):
        assert result == raw
    day = raw
    while day < result:
        assert not CAL.is_workday(day), f"{day} is a working day before {result}"
        day += timedelta(days=1)


def months_later(start: date, n: int) -> date:
    """The same day n months later, or that month's last day (民法典 第二百零二条)."""
    year, month = divmod(start.month - 1 + n, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


@examples
@given(starts, st.integers(min_value=0, max_value=180))
def test_add_days_is_the_raw_date_rolled_forward(start: date, n: int) -> None:
    assert_rolled_forward(start + timedelta(days=n), CAL.add_days(start, n))


@examples
@given(starts, st.integers(min_value=0, max_value=6))
def test_add_months_is_the_clamped_date_rolled_forward(start: date, n: int) -> None:
    result = CAL.add_months(start, n)
    assert_rolled_forward(months_later(start, n), result)


@examples
@given(st.integers(min_value=2004, max_value=2025), st.integers(min_value=1, max_value=4), st.integers(0, 60))
def test_quarter_end_plus_is_the_quarter_end_plus_days_rolled_forward(year: int, quarter: int, days: int) -> None:
    quarter_end = months_later(date(year, 3 * quarter, 1), 1) - timedelta(days=1)
    assert_rolled_forward(quarter_end + timedelta(days=days), CAL.quarter_end_plus(year, quarter, days))


@examples
@given(st.integers(min_value=2004, max_value=2026), st.integers(min_value=1, max_value=12))
def test_month_end_is_the_last_working_day_of_the_month(year: int, month: int) -> None:
    result = CAL.month_end(year, month)
    assert (result.year, result.month) == (year, month)
    assert CAL.is_workday(result)
    last = date(year, month, monthrange(year, month)[1])
    assert not any(CAL.is_workday(result + timedelta(days=i)) for i in range(1, (last - result).days + 1))


# -- (4) a second, independent source: the holidays package --------------------------------------


def test_the_holidays_package_agrees_on_every_day_of_2004_to_2026_but_one() -> None:
    # holidays.China lists days off (observed and 调休 rest days included) as its keys and the
    # 调休 working weekends in `weekend_workdays`; is_working_day combines the two with weekends.
    china = China(years=range(2004, 2027))  # type: ignore[no-untyped-call]
    assert china.weekend_workdays, "holidays.China no longer exposes its working weekends"
    disagreements = {day for day in ALL_DAYS if china.is_working_day(day) != CAL.is_workday(day)}
    assert disagreements == {date(2005, 12, 31)}
