"""Working days precomputed once per calendar, so that every question is a lookup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from govrules.calendar.schedule import HolidaySchedule

# numpy's datetime64[D] counts days from 1970-01-01; Python's ordinals count from 0001-01-01.
EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()


def beyond_known(lo: Any, hi: Any, known_years: tuple[int, int]) -> Any:
    """Whether a span from ``lo`` to ``hi`` reaches past the known years, into a provisional one
    (they lie on both sides of the contiguous known years). One expression for two dates and for
    two ``datetime64[D]`` columns, so both faces of the calendar read "provisional" alike."""
    first, last = known_years
    return (lo < dt.date(first, 1, 1)) | (hi > dt.date(last, 12, 31))


@dataclass(frozen=True, slots=True)
class DayTables:
    """The working days of the covered years ``first_year``-``last_year``.

    ``is_working`` has one entry per day from 1 January of ``first_year``; ``workdays`` lists the
    working days in order, so that "the n-th working day after d" is a bisection plus n.
    ``workdays_through`` holds, per day, how many working days fall on or before it: the
    answer ``searchsorted`` would give, read by indexing, which is several times faster.
    """

    first_year: int
    last_year: int
    first_day: int  # ordinal of 1 January of first_year
    last_day: int  # ordinal of 31 December of last_year
    is_working: bytes
    workdays: tuple[int, ...]  # ordinals, ascending
    is_working_np: npt.NDArray[np.bool_]
    workdays_np: npt.NDArray[np.int64]  # days since 1970-01-01, ascending
    workdays_through: npt.NDArray[np.int64]


def build_day_tables(schedule: HolidaySchedule, covered: tuple[int, int]) -> DayTables:
    """Mon-Fri are working days, minus the holidays, plus the working weekends.

    Years in ``covered`` but outside ``schedule.known`` get weekends only (provisional mode).
    """
    first_year, last_year = covered
    first_day = dt.date(first_year, 1, 1).toordinal()
    last_day = dt.date(last_year, 12, 31).toordinal()
    ordinals = np.arange(first_day, last_day + 1, dtype=np.int64)
    # Ordinal 1 (0001-01-01) was a Monday, so (ordinal - 1) % 7 is the weekday, Monday = 0.
    working = (ordinals - 1) % 7 < 5
    for day in schedule.holidays:
        if first_day <= day.toordinal() <= last_day:
            working[day.toordinal() - first_day] = False
    for day in schedule.working_weekends:
        if first_day <= day.toordinal() <= last_day:
            working[day.toordinal() - first_day] = True
    workday_ordinals = ordinals[working]
    working.setflags(write=False)
    workdays_np = workday_ordinals - EPOCH_ORDINAL
    workdays_np.setflags(write=False)
    through = np.cumsum(working, dtype=np.int64)
    through.setflags(write=False)
    return DayTables(
        first_year=first_year,
        last_year=last_year,
        first_day=first_day,
        last_day=last_day,
        is_working=working.astype(np.uint8).tobytes(),
        workdays=tuple(workday_ordinals.tolist()),
        is_working_np=working,
        workdays_np=workdays_np,
        workdays_through=through,
    )
