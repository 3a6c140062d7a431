"""The calendar's vector face: its working-day arithmetic over datetime64[D] columns.

Built from the same DayTables as the scalar face (work_calendar.py), so the two are two readings
of one table. Every operation returns its answer and a mask of the rows it could not answer,
exactly the rows for which the scalar method raises HolidayDataMissing: a ledger must know
*which* rows need an unknown year. NaT (an empty cell) passes through as NaT and is never
masked. ``WorkCalendar.vectors`` is the face of a calendar; its ``add_workdays_array`` and
``is_workday_array`` are the raising wrappers below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import numpy.typing as npt

from govrules.calendar.day_tables import EPOCH_ORDINAL, DayTables
from govrules.errors import HolidayDataMissing

Days = npt.NDArray[np.datetime64]  # datetime64[D], NaT for no date
Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Missing = Callable[[int], HolidayDataMissing]

NAT = np.datetime64("NaT", "D")
_NAT_INT = np.iinfo(np.int64).min


@dataclass(frozen=True)
class DayVectors:
    """A calendar's arithmetic over columns: get it as ``WorkCalendar.vectors``. Each method
    mirrors the scalar method of the same name and returns (answer, rows it could not answer)."""

    first_year: int
    last_year: int
    first: np.datetime64  # first covered day
    last: np.datetime64
    working: Mask  # per covered day
    through: Ints  # per covered day: working days on or before it
    workdays: Days  # the working days, ascending

    @staticmethod
    def of_tables(tables: DayTables) -> DayVectors:
        first = np.datetime64(tables.first_day - EPOCH_ORDINAL, "D")
        return DayVectors(tables.first_year, tables.last_year, first, np.datetime64(tables.last_day - EPOCH_ORDINAL, "D"),
                          tables.is_working_np, tables.workdays_through, tables.workdays_np.view("datetime64[D]"))

    def outside(self, d: Days) -> Mask:
        """Dates the calendar would refuse (NaT is no date, so never outside)."""
        return self._locate(d)[1]

    def _locate(self, d: Days) -> tuple[Ints, Mask, Mask]:
        """(position in the tables, outside, NaT): one unsigned comparison finds both kinds of
        row the tables cannot answer, since NaT and days before the first wrap to huge values."""
        x = d.astype("datetime64[D]", copy=False).view(np.int64)
        offset = x - self.first.astype(np.int64)
        unreadable = offset.view(np.uint64) >= np.uint64(len(self.through))
        nat = x == _NAT_INT
        return np.where(unreadable, 0, offset), unreadable & ~nat, nat

    def add_workdays(self, d: Days, n: int | Ints) -> tuple[Days, Mask]:
        """``add_workdays``: the n-th working day after d (n == 0 rolls forward, n < 0 goes back);
        n may differ per row."""
        pos, outside, nat = self._locate(d)
        through = self.through[pos]  # bisect_right(workdays, d), as the scalar method has it
        index = np.where(np.asarray(n) > 0, through + n - 1, through - self.working[pos] + n)
        missing = outside | (index < 0) | (index >= len(self.workdays))
        result = self.workdays[np.clip(index, 0, len(self.workdays) - 1)]
        return np.where(nat | missing, NAT, result), missing & ~nat

    def is_workday(self, d: Days) -> tuple[Mask, Mask]:
        """(is a working day, outside the calendar)."""
        pos, outside, nat = self._locate(d)
        working: Mask = self.working[pos] & ~outside & ~nat
        return working, outside

    def roll_forward(self, d: Days) -> tuple[Days, Mask]:
        return self.add_workdays(d, 0)

    def roll_back(self, d: Days) -> tuple[Days, Mask]:
        """The last working day on or before d."""
        pos, outside, nat = self._locate(d)
        index = self.through[pos] - 1
        missing = outside | ((index < 0) & ~nat)
        result = self.workdays[np.clip(index, 0, len(self.workdays) - 1)]
        return np.where(nat | missing, NAT, result), missing

    def add_days(self, d: Days, n: int) -> tuple[Days, Mask]:
        """n calendar days after d, rolled forward (民法典 第二百零三条)."""
        outside = self.outside(d)
        rolled, missing = self.roll_forward(np.where(outside, NAT, d + np.timedelta64(n, "D")))
        return rolled, missing | outside

    def add_months(self, d: Days, n: int) -> tuple[Days, Mask]:
        """The same day n months later, or that month's last day (第二百零二条), rolled forward."""
        month = d.astype("datetime64[M]")
        day = (d - month.astype("datetime64[D]")).astype(np.int64)  # 0-based
        target = month + np.timedelta64(n, "M")
        length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
        same_day = target.astype("datetime64[D]") + np.minimum(day, length - 1)
        outside = self.outside(d)
        rolled, missing = self.roll_forward(np.where(outside, NAT, same_day))
        return rolled, missing | outside

    def workdays_between(self, a: Days, b: Days) -> tuple[Ints, Mask]:
        """Working days in (a, b]; negative when b < a."""
        pa_, outside_a, nat_a = self._locate(a)
        pb, outside_b, nat_b = self._locate(b)
        missing = (outside_a | outside_b) & ~nat_a & ~nat_b
        return self.through[pb] - self.through[pa_], missing

    def workdays_from(self, day: np.datetime64, due: Days) -> tuple[Ints, Mask]:
        """workdays_between(day, due) for one day and a column of dues."""
        pos, outside, nat = self._locate(due)
        start, start_outside, _ = self._locate(np.array([day], dtype="datetime64[D]"))
        missing = (outside | bool(start_outside[0])) & ~nat
        return self.through[pos] - self.through[start[0]], missing


# -- the raising wrappers: WorkCalendar.add_workdays_array / is_workday_array ---------------------


def add_workdays_array(
    vectors: DayVectors, dates: npt.ArrayLike, n: int | npt.NDArray[np.integer[Any]], missing: Missing
) -> Days:
    """``WorkCalendar.add_workdays`` for every element; ``n`` broadcasts against ``dates``."""
    days = _as_days(dates)
    steps = np.asarray(n)
    if steps.dtype.kind not in "iu":
        raise TypeError(f"n must be an integer or an array of integers, not {steps.dtype}")
    days, steps = np.broadcast_arrays(days, steps.astype(np.int64))
    result, refused = vectors.add_workdays(days, steps)
    if refused.any():
        _raise_first(vectors, days, refused, missing, steps)
    return result


def is_workday_array(vectors: DayVectors, dates: npt.ArrayLike, missing: Missing) -> Mask:
    days = _as_days(dates)
    working, outside = vectors.is_workday(days)
    if outside.any():
        _raise_first(vectors, days, outside, missing, None)
    return working


def _as_days(dates: npt.ArrayLike) -> Days:
    values = np.asarray(dates)
    if values.dtype.kind != "M":
        raise TypeError(f"expected an array of datetime64 dates, not {values.dtype}")
    return values.astype("datetime64[D]", copy=False)


def _raise_first(vectors: DayVectors, days: Days, refused: Mask, missing: Missing, steps: Ints | None) -> None:
    """The scalar face's error: the first date outside the covered years names its own year;
    failing that, the first answer off the table's end names the year it would fall in."""
    outside = vectors.outside(days)
    if outside.any():
        day = days.flat[int(np.argmax(outside.ravel()))]
        raise missing(int(day.astype("datetime64[Y]").astype(np.int64)) + 1970)
    assert steps is not None
    first = int(np.argmax(refused.ravel()))
    raise missing(vectors.first_year - 1 if steps.flat[first] < 0 else vectors.last_year + 1)
