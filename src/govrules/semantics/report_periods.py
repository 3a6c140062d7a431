"""The periods of a recurring report (周报, 季报, 月底报告, 日报) and the rules read from them, stated
once for both faces: which period a day falls in, when a period's report is due, whether a period
owes one, and which period a report counts for (docs/guide.md, "Recurring reports").

The reference (semantics/obligations.py) asks them for one matter, with Python ints and dates
and the calendar's scalar face (``WorkCalendar``, which raises HolidayDataMissing); the ledger path
(batch/obligations.py) for a column of matters, with int64 arrays and ``datetime64[D]`` and the
calendar's vector face (``WorkCalendar.vectors``, which answers with a mask of the rows it could
not answer). The numbering is integer arithmetic on day ordinals (``date.toordinal``) and months
since January of year 0 (``//``, ``%``, ``*``, ``+``: the same code for an int and an int64 array);
the rules are written over a ``DayFace``, the calendar as they read it (``ScalarDays``,
``VectorDays``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Final, Protocol

import numpy as np

from govrules.calendar import WorkCalendar
from govrules.calendar.day_tables import EPOCH_ORDINAL
from govrules.calendar.vectors import NAT, DayVectors, Days, Mask
from govrules.packs.schema import ObligationRule
from govrules.semantics.ops import SCALAR, VECTOR, Ops

Int = Any  # a Python int (one matter) or an int64 array (a column of matters)
Day = Any  # a date, or a datetime64[D] column

# A matter supervised for decades is a data error; bounding the walk keeps evaluation bounded.
MAX_OCCURRENCES: Final = 5000
_STEP: Final = {"day": 1, "week": 7, "month": 1, "quarter": 3}
# How many quarters back a report (or as_of) can count: a due is at most 90 grace days (the
# schema's bound) and a roll over a holiday after its quarter's end, and a quarter has ≥ 90 days.
GRACE_REACH: Final = 2


# -- months since January of year 0 <-> day ordinals, in integer arithmetic only ------------------

def month_start(months: Int) -> Int:
    """The ordinal of the first day of the month ``months`` months after January of year 0."""
    shifted = months - 2  # counted from March, so that the leap day ends the year
    year, month = shifted // 12, shifted % 12
    return year * 365 + year // 4 - year // 100 + year // 400 + (153 * month + 2) // 5 - 305


def month_of(ordinal: Int) -> Int:
    """The month (since January of year 0) of the day with this ordinal."""
    days = ordinal + 305  # since 0000-03-01
    era = days // 146097
    in_era = days - era * 146097
    year = (in_era - in_era // 1460 + in_era // 36524 - in_era // 146096) // 365
    in_year = in_era - (365 * year + year // 4 - year // 100)
    return (era * 400 + year) * 12 + (5 * in_year + 2) // 153 + 2


class Numbering:
    """A rule's periods from an assignment (an ordinal, or a column of them), numbered 0, 1, …:
    the first is the period holding the assignment, or the one after it (``first_period: next``).
    A period is ``step`` units: days (day, week; a week runs Monday to Sunday) or months (month,
    quarter, from January). Number k's bounds and a day's number are arithmetic, not a walk."""

    __slots__ = ("every", "in_months", "step", "first")

    def __init__(self, rule: ObligationRule, assigned: Int) -> None:
        self.every = every = rule.every
        self.step = step = _STEP[every]
        self.in_months = in_months = step != 7 and every != "day"
        if in_months:
            unit = month_of(assigned) // step * step
        else:  # a week begins on its Monday (ordinal 1, 0001-01-01, was a Monday)
            unit = assigned - (assigned - 1) % 7 if step == 7 else assigned
        self.first: Int = unit + step if rule.first_period == "next" else unit

    def index(self, ordinal: Int) -> Int:
        """The number of the period holding that day (negative before the first period)."""
        return ((month_of(ordinal) if self.in_months else ordinal) - self.first) // self.step

    def index_of(self, d: date) -> int:
        """``index`` of a date (one matter), its month read off the date rather than computed."""
        unit: int = d.year * 12 + d.month - 1 if self.in_months else d.toordinal()
        return (unit - self.first) // self.step  # type: ignore[no-any-return]

    def indices(self, ordinals: Sequence[int]) -> list[int]:
        """``index`` of each of many days (one matter's reports), without a call per day."""
        first, step = self.first, self.step
        if self.in_months:
            return [(month_of(day) - first) // step for day in ordinals]
        return [(day - first) // step for day in ordinals]

    def span(self, k: Int) -> tuple[Int, Int]:
        """Period k's first and last day (ordinals)."""
        unit = self.first + self.step * k
        if self.in_months:
            return month_start(unit), month_start(unit + self.step) - 1
        return unit, unit + self.step - 1

    def begin(self, k: Int) -> Int:
        return self.span(k)[0]

    def end(self, k: Int) -> Int:
        return self.span(k)[1]

    def bounds(self, k: int) -> tuple[date, date]:
        """Period k's first and last day, as dates (one matter)."""
        begin, end = self.span(k)
        return date.fromordinal(begin), date.fromordinal(end)

    def at(self, rows: Any) -> Numbering:
        """The numbering of some of a column's rows (``first`` indexed by ``rows``)."""
        part = Numbering.__new__(Numbering)
        part.every, part.in_months, part.step, part.first = self.every, self.in_months, self.step, self.first[rows]
        return part


# -- the calendar as the rules read it ----------------------------------------------------------

class DayFace(Protocol):
    """Working days on one face: dates and exceptions, or columns and a mask of unanswered rows."""

    x: Ops
    none: Any  # "no date": None, or NaT

    def day(self, ordinal: Int) -> Day: ...
    def ordinal(self, d: Day) -> Int: ...
    def require(self, d: Day) -> None: ...  # d is within the calendar's years
    def is_workday(self, d: Day) -> Any: ...
    def roll_back(self, d: Day) -> Day: ...
    def roll_forward(self, d: Day) -> Day: ...
    def add_days(self, d: Day, n: int) -> Day: ...  # n calendar days after d, rolled forward


class ScalarDays:
    """One matter: ``WorkCalendar``'s methods, which raise HolidayDataMissing."""

    __slots__ = ("cal", "is_workday", "roll_back", "roll_forward", "add_days")
    x: Ops = SCALAR
    none = None
    day = staticmethod(date.fromordinal)
    ordinal = staticmethod(date.toordinal)

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self.is_workday, self.roll_back = cal.is_workday, cal.roll_back
        self.roll_forward, self.add_days = cal.roll_forward, cal.add_days

    @staticmethod
    def of(cal: WorkCalendar) -> ScalarDays:
        """The face of ``cal``, kept for the calendar last asked for (a process mostly uses one)."""
        face = _LAST[0]
        if face is None or face.cal is not cal:
            face = _LAST[0] = ScalarDays(cal)
        return face

    def require(self, d: date) -> None:
        self.cal.is_workday(d)  # (raises outside the calendar's years)


_LAST: list[ScalarDays | None] = [None]


class VectorDays:
    """Columns: ``DayVectors``' methods; the rows they could not answer gather in ``missing``
    (where the scalar face raises), their answers NaT."""

    x: Ops = VECTOR
    none = NAT

    def __init__(self, vectors: DayVectors) -> None:
        self.vectors = vectors
        self.missing: Any = np.False_  # (broadcast to the columns' length by the first answer)

    def _note(self, answer: tuple[Any, Mask]) -> Any:
        self.missing = self.missing | answer[1]
        return answer[0]

    @staticmethod
    def day(ordinal: Int) -> Days:
        return (np.asarray(ordinal, dtype=np.int64) - EPOCH_ORDINAL).view("datetime64[D]")

    @staticmethod
    def ordinal(d: Day) -> Int:
        return np.asarray(d, dtype="datetime64[D]").view(np.int64) + EPOCH_ORDINAL

    def require(self, d: Days) -> None:
        self.missing = self.missing | self.vectors.outside(d)

    def is_workday(self, d: Days) -> Any:
        return self._note(self.vectors.is_workday(d))

    def roll_back(self, d: Days) -> Any:
        return self._note(self.vectors.roll_back(d))

    def roll_forward(self, d: Days) -> Any:
        return self._note(self.vectors.roll_forward(d))

    def add_days(self, d: Days, n: int) -> Any:
        return self._note(self.vectors.add_days(d, n))


# -- the rules ----------------------------------------------------------------------------------

def due_on(face: DayFace, rule: ObligationRule, begin: Day, end: Day) -> Day:
    """When the report of the period [begin, end] is due; ``face.none`` where the period owes none:
    日报 a working day itself (a day off owes none); 周报 the week's last working day (a week without
    one owes none); a quarter with grace days its end plus those days, rolled forward; otherwise
    (每月底, 一季一…) the period's last working day."""
    x = face.x
    if rule.every == "day":
        return x.where(face.is_workday(begin), begin, face.none)
    if rule.every == "week":
        face.require(begin)  # the week's Monday must be known too
        last = face.roll_back(end)
        return x.where(last >= begin, last, face.none)
    if rule.every == "quarter" and rule.days_after_period_end is not None:
        return face.add_days(end, rule.days_after_period_end)
    return face.roll_back(end)


def period_due(cal: WorkCalendar, rule: ObligationRule, begin: date, end: date) -> date | None:
    """``due_on`` for one period on the scalar face; raises HolidayDataMissing where the due
    needs a year the calendar does not know."""
    due: date | None = due_on(ScalarDays.of(cal), rule, begin, end)
    return due


def counts_within(face: DayFace, report: Day, end: Day) -> Any:
    """Without grace days a due is its period's last working day, so a report counts for the
    period it falls in, and does if a working day lies between it and the period's end (at once
    if the report's day is a working day)."""
    return face.roll_forward(report) <= end


def first_due_not_before(face: DayFace, due_of: Callable[[Int], Day], day: Day, k: Int) -> Int:
    """With grace days (a quarter + N days) a report counts for the first period whose due is not
    before it: from period k (the one the day falls in, whose due is not before it), at most
    GRACE_REACH periods back, as dues only grow. ``due_of(k)`` is period k's due (k ≥ 0)."""
    x = face.x
    for _ in range(GRACE_REACH):
        earlier = x.where(k > 0, k - 1, k)
        back = x.and_(k > 0, due_of(earlier) >= day)
        if not (back.any() if isinstance(back, np.ndarray) else back):
            break  # (mostly at once: a report is mostly past the previous period's due)
        k = x.where(back, earlier, k)
    return k


def first_owing(face: DayFace, numbering: Numbering, k: Int) -> Int:
    """The first period from k on that owes a report: one holding a working day (日报's working
    days, 周报's weeks that have one; every month and quarter has)."""
    if numbering.in_months:
        return k
    return numbering.index(face.ordinal(face.roll_forward(face.day(numbering.begin(k)))))
