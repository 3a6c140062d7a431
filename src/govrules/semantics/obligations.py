"""Recurring reports (周报, 季报, 月底报告, 日报): which were owed, which were missed, which is next.

The meaning is a walk through the periods from the assignment (docs/guide.md, "Recurring
reports"); ``obligation_state`` gives the walk's answer without taking its steps, so that its
cost does not grow with the matter's age. Periods are numbered 0, 1, … from the first; a
period's bounds, its due date and the period a report counts for are the rules of
semantics/report_periods.py, which the ledger path (batch/obligations.py) reads over columns.
Between two reports every owed period is missed, so a run of them is counted (``_owed``), not
walked, and their dates are produced only when read (``MissedDues``). Only the periods the
reports fall in and the few around as_of and completion are looked at.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import islice
from typing import NamedTuple, overload

from govrules.calendar import WorkCalendar
from govrules.errors import HolidayDataMissing
from govrules.models import Matter
from govrules.packs.schema import ObligationRule
import numpy as np

from govrules.semantics.report_periods import (MAX_OCCURRENCES, Numbering, ScalarDays, VectorDays, counts_within, due_on,
                                               first_due_not_before, period_due)

__all__ = ["MAX_OCCURRENCES", "MissedDues", "ObligationState", "obligation_state", "period_due", "periods"]


def periods(rule: ObligationRule, start: date) -> Iterator[tuple[date, date]]:
    """The reporting periods (first day, last day) from ``start`` on, in order; no calendar needed."""
    grid = Numbering(rule, start.toordinal())
    return (grid.bounds(k) for k in range(MAX_OCCURRENCES))


class _Dues:
    """Period dues by number, each computed once. Which periods need a year the calendar does not
    know is monotone: the calendar covers one span of days, and if period 0 is inside it (checked
    first), the periods that are not are all those from some number on (``first_unknown``)."""

    __slots__ = ("cal", "face", "rule", "grid", "known", "ok", "bad", "errors")

    def __init__(self, cal: WorkCalendar, rule: ObligationRule, grid: Numbering) -> None:
        self.cal, self.face, self.rule, self.grid = cal, ScalarDays.of(cal), rule, grid
        self.known: dict[int, date | None] = {}
        self.ok = -1  # the highest number known to have a due (or none) without an unknown year
        self.bad: int | None = None  # the lowest number known to need one
        self.errors: dict[int, HolidayDataMissing] = {}

    def __call__(self, k: int) -> date | None:
        """Period k's due (report_periods.due_on); raises HolidayDataMissing where it needs an unknown year."""
        if k in self.known:
            return self.known[k]
        if k in self.errors:
            raise self.errors[k]
        try:
            due: date | None = due_on(self.face, self.rule, *self.grid.bounds(k))
        except HolidayDataMissing as exc:
            self.errors[k] = exc
            self.bad = k if self.bad is None else min(self.bad, k)
            raise
        self.known[k] = due
        self.ok = max(self.ok, k)
        return due

    def first_unknown(self) -> int | None:
        """The first period whose due needs an unknown year, if any period looked at needed one."""
        if self.bad is None:
            return None
        low, high = self.ok, self.bad  # low has a due, high needs an unknown year
        while high - low > 1:
            mid = (low + high) // 2
            try:
                self(mid)
                low = mid
            except HolidayDataMissing:
                high = mid
        return high


def _owed(cal: WorkCalendar, grid: Numbering, a: int, b: int) -> int:
    """How many of periods a … b-1 owe a report (their due is not None); all are within the
    calendar's years. A month or quarter always owes one."""
    if b <= a:
        return 0
    if grid.every == "day":
        first, last = grid.bounds(a)[0], grid.bounds(b - 1)[0]
        return cal.workdays_between(first, last) + cal.is_workday(first)
    if grid.every == "week":
        return cal.weeks_with_workdays(grid.bounds(a)[0], b - a)
    return b - a


class MissedDues(Sequence[date]):
    """The missed dues, in order: periods 0 … stop-1 that owe a report, less the reported ones.
    Its length is counted; the dates are computed when read (a message reads the first five)."""

    __slots__ = ("_dues", "_stop", "_reported", "_length", "_head")
    HEAD = 5  # what a message shows, kept once read

    def __init__(self, dues: _Dues, stop: int, reported: Sequence[int], length: int) -> None:
        # (reported: ascending, below stop)
        self._dues, self._stop, self._reported, self._length = dues, stop, reported, length
        self._head: tuple[date, ...] | None = None

    def head(self) -> tuple[date, ...]:
        """The first (up to) five."""
        if self._head is None:
            self._head = tuple(islice(self, self.HEAD))
        return self._head

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[date]:
        dues, begin = self._dues, 0
        for end in (*self._reported, self._stop):  # the runs of periods between the reported ones
            for k in range(begin, end):
                due = dues(k)
                if due is not None:
                    yield due
            begin = end + 1

    @overload
    def __getitem__(self, i: int) -> date: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[date, ...]: ...
    def __getitem__(self, i: int | slice) -> date | tuple[date, ...]:
        if isinstance(i, slice):
            start, stop, step = i.indices(self._length)
            if step == 1 and stop <= self.HEAD:
                return self.head()[start:stop]
            if step == 1:
                return tuple(islice(self, start, stop))
            return tuple(self)[i]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("missed due index out of range")
        if i < self.HEAD:
            return self.head()[i]
        return next(islice(self, i, None))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (MissedDues, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"MissedDues({tuple(self)!r})"


class ObligationState(NamedTuple):
    # dues passed (before as_of) with no report in their window, in order (a tuple, or MissedDues)
    missed: Sequence[date]
    next_due: date | None  # the first owed due on or after as_of not yet reported
    # the walk reached a period whose due date needs a year the calendar does not know: the
    # misses before it stand (dues come in order), the next due is unknown
    unknown: HolidayDataMissing | None = None
    # ... and that period began before as_of, so more misses may lie beyond it: ``missed`` is a floor
    more_missed: bool = False


def obligation_state(cal: WorkCalendar, rule: ObligationRule, matter: Matter, as_of: date) -> ObligationState:
    """A period's report must fall within the period (or its grace days) and after the previous due:
    a weekly report sent before its week began does not count for that week. A period ending
    on or after completion is not owed. Where a due date needs a year the calendar does not know,
    the walk stops there and says so (``unknown``).

    The walk: for each period in order, stop (nothing next) if it ends on or after completion;
    stop (``unknown``) if its due needs an unknown year; skip it if it owes nothing; else it is
    reported if the first report on or after max(previous due + 1, its first day) is on or
    before its due; stop at the first unreported due on or after as_of (``next_due``); an
    unreported due before as_of is missed. A schedule only (``reports_required: false``) stops
    at its first due on or after as_of and misses nothing. At most MAX_OCCURRENCES periods."""
    grid = Numbering(rule, matter.assigned_on.toordinal())
    done = matter.completed_on if matter.completed_on is not None and matter.completed_on <= as_of else None
    # periods from ``limit`` on end on or after completion (or lie past the walk's bound): not owed
    limit = MAX_OCCURRENCES if done is None else max(0, min(MAX_OCCURRENCES, grid.index_of(done)))
    if limit == 0:
        return ObligationState((), None)
    dues = _Dues(cal, rule, grid)
    try:
        dues(0)
    except HolidayDataMissing as exc:
        return ObligationState((), None, exc, rule.reports_required and grid.bounds(0)[0] < as_of)
    reported = _reported(dues, rule, matter, as_of, limit) if rule.reports_required else []
    next_k = _next_unreported(dues, rule, as_of, limit, reported)
    stop = limit if next_k is None else next_k
    try:
        if next_k is None and stop > 0:  # (a due found at next_k means none before needs an unknown year)
            dues(stop - 1)  # if the last period before the stop needs an unknown year, the walk stops sooner
    except HolidayDataMissing:
        pass
    unknown_k = dues.first_unknown()  # (it may lie past the stop: a report's period beyond it was looked at)
    stopped_unknown = unknown_k is not None and unknown_k < stop
    if unknown_k is not None and stopped_unknown:
        stop, next_k = unknown_k, None
    missed: Sequence[date] = ()
    if rule.reports_required:
        counted = reported[:bisect_left(reported, stop)]  # (ascending)
        length = _owed(cal, grid, 0, stop) - len(counted)
        if length:
            missed = MissedDues(dues, stop, counted, length)
    if stopped_unknown:
        error = dues.errors[stop]
        return ObligationState(missed, None, error, rule.reports_required and grid.bounds(stop)[0] < as_of)
    if next_k is not None:
        return ObligationState(missed, dues(next_k))
    return ObligationState(missed, None)


def _reported(dues: _Dues, rule: ObligationRule, matter: Matter, as_of: date, limit: int) -> list[int]:
    """The numbers of the periods below ``limit`` whose window holds a report, ascending (up to
    where a due needs an unknown year). A window runs from the day after the previous due (from
    the assignment for the first) and from the period's first day, to its due."""
    # (a report before the assignment is refused when the matter is read; it would be in no window)
    low, high = matter.assigned_on.toordinal(), as_of.toordinal()
    if rule.days_after_period_end is None and len(matter.reports) >= _MANY:
        found = _reported_at_once(dues, matter.reports, low, high, limit)
        if found is not None:
            return found
    days = sorted([report.toordinal() for report in matter.reports])
    days = days[bisect_left(days, low):bisect_right(days, high)]
    if rule.days_after_period_end is None:
        return _reported_within(dues, days, limit)
    return _reported_with_grace(dues, [date.fromordinal(day) for day in days], limit)


def _reported_within(dues: _Dues, days: list[int], limit: int) -> list[int]:
    """Without grace days a due is its period's last working day (日报: the day itself), so a report
    counts only for the period it falls in, and does if a working day lies between it and the
    period's end: at once if the report's day (an ordinal here) is a working day, as reports mostly are."""
    cal, grid = dues.cal, dues.grid
    try:
        working: list[bool] | None = cal.are_workday_ordinals(days)
    except HolidayDataMissing:  # some report in an unknown year: ask day by day below
        working = None
    numbers = grid.indices(days)
    if working is not None:  # a report on a working day counts for its period, whatever else
        found = {k for k, works in zip(numbers, working) if works}
        rest = [i for i, works in enumerate(working) if not works]
    else:
        found, rest = set(), list(range(len(days)))
    for i in rest:  # a report on a day off (or near an unknown year)
        k, day = numbers[i], date.fromordinal(days[i])
        if k < 0 or k >= limit or k in found:
            continue  # before the first period (first_period: next), not owed, or already counted
        try:
            if counts_within(dues.face, day, grid.bounds(k)[1]):
                found.add(k)
        except HolidayDataMissing:  # ask the period's due itself
            try:
                due = dues(k)
            except HolidayDataMissing:
                break  # this period and all later ones need the unknown year: the walk stops before
            if due is not None and day <= due:
                found.add(k)
    # (a period past the first whose due needs an unknown year is dropped by the caller)
    ordered = sorted(found)
    return ordered[bisect_left(ordered, 0):bisect_left(ordered, limit)]


_MANY = 300  # reports from which a matter's are read as one column (a 日报 since 2019 has ~1,700)


def _reported_at_once(dues: _Dues, reports: Sequence[date], low: int, high: int, limit: int) -> list[int] | None:
    """``_reported_within`` for many reports at once: the same rule (report_periods.counts_within)
    on the calendar's vector face. None where some report's answer needs a year the calendar does
    not know: ``_reported_within`` then asks report by report."""
    days = np.fromiter(map(date.toordinal, reports), np.int64, len(reports))
    days = days[(days >= low) & (days <= high)]
    face, grid = VectorDays(dues.cal.vectors), dues.grid
    k = grid.index(days)
    counts = counts_within(face, face.day(days), face.day(grid.end(k)))
    if np.any(face.missing):
        return None
    found: list[int] = np.unique(k[counts & (k >= 0) & (k < limit)]).tolist()
    return found


def _holds(ordered: list[int], k: int) -> bool:
    """Whether the ascending list holds k."""
    i = bisect_left(ordered, k)
    return i < len(ordered) and ordered[i] == k


def _reported_with_grace(dues: _Dues, days: list[date], limit: int) -> list[int]:
    """With grace days (quarter + N days) a report counts for the first period whose due is not
    before it (the window opens the day after the previous due, which is past the period's start)."""
    grid = dues.grid
    found: list[int] = []
    last_due: date | None = None
    for day in days:
        if last_due is not None and day <= last_due:
            continue  # within the window already counted
        k = grid.index_of(day)
        if k < 0:
            continue  # before the first period (first_period: next): in no window
        try:
            # (a period from ``limit`` on is not owed; only an earlier one can take it)
            k = first_due_not_before(dues.face, dues, day, min(k, limit))
            if k >= limit:
                break  # in no owed period's window, nor are later reports
            due = dues(k)
        except HolidayDataMissing:
            break  # this period and all later ones need the unknown year: the walk stops before
        if due is not None and day <= due:
            found.append(k)
            last_due = due
    return found


def _next_unreported(dues: _Dues, rule: ObligationRule, as_of: date, limit: int, reported: list[int]) -> int | None:
    """The first period below ``limit`` owing a report due on or after as_of that none counts for."""
    grid = dues.grid
    k: int = max(0, min(limit, grid.index_of(as_of)))  # without grace days, earlier periods' dues are before as_of
    try:
        if rule.days_after_period_end is not None:
            k = first_due_not_before(dues.face, dues, as_of, k)
        while k < limit:
            due = dues(k)
            if due is not None and due >= as_of and not _holds(reported, k):
                return k
            k += 1
    except HolidayDataMissing:
        pass  # the walk stops at the first unknown due, before this one
    return None
