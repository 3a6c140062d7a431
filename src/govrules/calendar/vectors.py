"""Working-day arithmetic over numpy arrays of dates: vectorised lookups, no Python loop.

NaT (a missing date) passes through as NaT, so that a column with gaps needs no special case.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import numpy.typing as npt

from govrules.calendar.day_tables import EPOCH_ORDINAL, DayTables
from govrules.errors import HolidayDataMissing

Missing = Callable[[int], HolidayDataMissing]

_NAT = np.iinfo(np.int64).min


def add_workdays_array(
    tables: DayTables, dates: npt.ArrayLike, n: int | npt.NDArray[np.integer[Any]], missing: Missing
) -> npt.NDArray[np.datetime64]:
    """``WorkCalendar.add_workdays`` for every element; ``n`` broadcasts against ``dates``."""
    days, absent = _epoch_days(dates)
    steps = np.asarray(n)
    if steps.dtype.kind not in "iu":
        raise TypeError(f"n must be an integer or an array of integers, not {steps.dtype}")
    days, steps = np.broadcast_arrays(days, steps.astype(np.int64))
    absent = np.broadcast_to(absent, days.shape)
    offsets = _offsets(tables, days, absent, missing)
    # Count of working days up to and including each day; minus 1 if the day itself works,
    # that is the index of the first working day on or after it (the roll forward).
    through = tables.workdays_through[offsets]  # == searchsorted(workdays, days, side="right")
    from_day = through - tables.is_working_np[offsets]
    index = np.where(steps > 0, through + steps - 1, from_day + steps)
    count = len(tables.workdays_np)
    beyond = ((index < 0) | (index >= count)) & ~absent
    if beyond.any():
        first = int(np.argmax(beyond.ravel()))
        raise missing(tables.first_year - 1 if index.flat[first] < 0 else tables.last_year + 1)
    result = np.where(absent, _NAT, tables.workdays_np[np.clip(index, 0, count - 1)])
    return result.view("datetime64[D]")


def is_workday_array(tables: DayTables, dates: npt.ArrayLike, missing: Missing) -> npt.NDArray[np.bool_]:
    days, absent = _epoch_days(dates)
    offsets = _offsets(tables, days, absent, missing)
    return np.where(absent, False, tables.is_working_np[offsets])


def _epoch_days(dates: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    values = np.asarray(dates)
    if values.dtype.kind != "M":
        raise TypeError(f"expected an array of datetime64 dates, not {values.dtype}")
    days = values.astype("datetime64[D]").view(np.int64)
    return days, days == _NAT


def _offsets(
    tables: DayTables, days: npt.NDArray[np.int64], absent: npt.NDArray[np.bool_], missing: Missing
) -> npt.NDArray[np.int64]:
    """Each day's position in the tables; raises for the first day outside the covered years."""
    first = tables.first_day - EPOCH_ORDINAL
    last = tables.last_day - EPOCH_ORDINAL
    outside = ((days < first) | (days > last)) & ~absent
    if outside.any():
        day = days.flat[int(np.argmax(outside.ravel()))]
        raise missing(int(np.datetime64(int(day), "D").astype("datetime64[Y]").astype(np.int64)) + 1970)
    return np.where(absent, 0, days - first)
