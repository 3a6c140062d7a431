"""The ledger's working-day calendar: the calendar's own vector face plus precomputed period ends.

All the arithmetic (and the mask of rows a year without holiday data leaves unanswered) is
``WorkCalendar.vectors`` (calendar/vectors.py), read from the calendar's one table. What is
ledger-specific is the speed-up of ``end_of``: a pack's periods are few and its rows many, so
each period's end is computed once for every covered start day (by engine.periods'
``period_end_array``, where the period's meaning is written beside the scalar ``period_end``)
and a column's ends are then one gather.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Days, Mask
from govrules.calendar import WorkCalendar
from govrules.calendar.vectors import NAT as NAT
from govrules.calendar.vectors import DayVectors
from govrules.semantics.periods import period_end_array
from govrules.packs.schema import Period

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DayIndex(DayVectors):
    """``calendar.vectors``, with the same tables (shared, not copied), and ``end_of``."""

    calendar: WorkCalendar
    # period -> for every covered start day, where the period ends (see end_of)
    _ends: dict[str, npt.NDArray[np.int32]] = field(default_factory=dict, repr=False)

    @staticmethod
    def of(cal: WorkCalendar) -> DayIndex:
        hit = _CACHE.get(id(cal))
        if hit is not None and hit.calendar is cal:
            return hit
        face = cal.vectors
        if len(_CACHE) > 16:
            _CACHE.clear()
        index = _CACHE[id(cal)] = DayIndex(face.first_year, face.last_year, face.first, face.last, face.working,
                                           face.through, face.workdays, calendar=cal)
        return index

    def _period_ends(self, period: Period) -> npt.NDArray[np.int32]:
        """The period's end for every covered start day, as an offset from ``first``; -1 where
        the calendar cannot answer. Built once per calendar and period."""
        key = period.model_dump_json(exclude_none=True)
        ends = self._ends.get(key)
        if ends is None:
            span = np.arange(self.first, self.last + 1, dtype="datetime64[D]")
            end, missing = period_end_array(self, span, period)
            offsets = np.where(missing, 0, (end - self.first).astype(np.int64))
            ends = self._ends[key] = np.where(missing, -1, offsets).astype(np.int32)
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
