"""WorkCalendar's arithmetic over datetime64[D] columns, built from its public API.

The calendar's own vector methods raise on the first date outside the years it covers; a ledger
needs to know *which* rows those are (the reference evaluator raises HolidayDataMissing for
each), so every operation here returns its answer and a mask of the rows it could not answer.
The tables are rebuilt once per calendar from ``is_workday_array`` over the covered years, so
they agree with the calendar by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Days, Mask
from govrules.calendar import WorkCalendar
from govrules.packs.schema import Period

NAT = np.datetime64("NaT", "D")
_NAT_INT = np.iinfo(np.int64).min
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DayIndex:
    calendar: WorkCalendar
    first: np.datetime64  # first covered day
    last: np.datetime64
    working: Mask  # per covered day
    through: Ints  # per covered day: working days on or before it
    workdays: Days  # the working days, ascending
    # period -> for every covered start day, where the period ends (see end_of)
    _ends: dict[str, npt.NDArray[np.int32]] = field(default_factory=dict, repr=False)

    @staticmethod
    def of(cal: WorkCalendar) -> DayIndex:
        hit = _CACHE.get(id(cal))
        if hit is not None and hit.calendar is cal:
            return hit
        years = set(cal.provisional_years) | set(cal.known_years)
        first = np.datetime64(date(min(years), 1, 1), "D")
        last = np.datetime64(date(max(years), 12, 31), "D")
        span = np.arange(first, last + 1, dtype="datetime64[D]")
        working = cal.is_workday_array(span)
        if len(_CACHE) > 16:
            _CACHE.clear()
        index = _CACHE[id(cal)] = DayIndex(cal, first, last, working, np.cumsum(working, dtype=np.int64), span[working])
        return index

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

    def _period_ends(self, period: Period) -> npt.NDArray[np.int32]:
        """The period's end for every covered start day, as an offset from ``first``; -1 where
        the calendar cannot answer. Built once per calendar and period with the methods above."""
        key = period.model_dump_json(exclude_none=True)
        ends = self._ends.get(key)
        if ends is None:
            span = np.arange(self.first, self.last + 1, dtype="datetime64[D]")
            if period.working_days is not None:
                end, missing = self.add_workdays(span, period.working_days)
            elif period.days is not None:
                end, missing = self.add_days(span, period.days)
            elif period.months is not None:
                end, missing = self.add_months(span, period.months)
            else:  # same_day; explicit periods never get here
                end, missing = self.add_workdays(span, 0)
            offsets = np.where(missing, 0, (end - self.first).astype(np.int64))
            ends = np.where(missing, -1, offsets).astype(np.int32)
            if period.at_least is not None:  # the later of the two ends; unknown if either is
                floor = self._period_ends(period.at_least)
                ends = np.where((ends < 0) | (floor < 0), -1, np.maximum(ends, floor)).astype(np.int32)
            self._ends[key] = ends
        return ends

    def end_of(self, start: Days, periods: Sequence[Period], which: Ints | None = None) -> tuple[Days, Mask]:
        """engine.periods.period_end for counted periods: row i's period is ``periods[which[i]]``
        (the first if ``which`` is None; -1 for none: NaT). One gather from precomputed ends
        (architecture.md, "Speed"): adding N working days is an index lookup."""
        pos, outside, nat = self._locate(start)
        span = len(self.through)
        table = np.concatenate([self._period_ends(p) for p in periods]) if periods else np.zeros(0, np.int32)
        row = np.zeros(len(start), dtype=np.int64) if which is None else which
        none = nat | (row < 0)
        at = table[np.where(none, 0, row) * span + pos] if len(table) else np.full(len(start), -1, np.int32)
        missing = (outside | (at < 0)) & ~none
        end = self.first + at.astype(np.int64)
        return np.where(none | missing, NAT, end), missing


_CACHE: dict[int, DayIndex] = {}
