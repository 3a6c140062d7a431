"""Recurring reports (周报, 季报, 月底报告): which were owed, which were missed, which is next."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from govrules.calendar import WorkCalendar
from govrules.errors import HolidayDataMissing
from govrules.models import Matter
from govrules.packs.schema import ObligationRule

# A matter supervised for decades is a data error; bounding the walk keeps evaluation bounded.
MAX_OCCURRENCES = 5000


def periods(rule: ObligationRule, start: date) -> Iterator[tuple[date, date]]:
    """The reporting periods (first day, last day) from ``start`` on, in order; no calendar needed."""
    if rule.every == "day":
        day = start if rule.first_period == "containing" else start + timedelta(days=1)
        for k in range(MAX_OCCURRENCES):
            yield day + timedelta(days=k), day + timedelta(days=k)
        return
    if rule.every == "week":
        monday = start - timedelta(days=start.weekday())
        if rule.first_period == "next":
            monday += timedelta(days=7)
        for k in range(MAX_OCCURRENCES):
            first = monday + timedelta(weeks=k)
            yield first, first + timedelta(days=6)
        return
    months = 3 if rule.every == "quarter" else 1
    # periods are counted in months from year 0 (plain arithmetic: relativedelta costs ~25 µs a step)
    first_month = start.year * 12 + ((start.month - 1) // months) * months
    if rule.first_period == "next":
        first_month += months
    for k in range(MAX_OCCURRENCES):
        begin = _month_start(first_month + months * k)
        yield begin, _month_start(first_month + months * (k + 1)) - timedelta(days=1)


def period_due(cal: WorkCalendar, rule: ObligationRule, begin: date, end: date) -> date | None:
    """When the period's report is due; None where the period owes none (a day off for 日报, a
    week without a working day). Raises HolidayDataMissing where that needs an unknown year."""
    if rule.every == "day":
        return begin if cal.is_workday(begin) else None
    if rule.every == "week":
        return cal.week_last_workday(begin)
    if rule.every == "quarter" and rule.days_after_period_end is not None:
        return cal.quarter_end_plus(begin.year, (begin.month - 1) // 3 + 1, rule.days_after_period_end)
    return cal.roll_back(end)  # 每月底 / 一季一… : the period's last working day


def _month_start(months: int) -> date:
    """The first day of the month ``months`` months after January of year 0."""
    year, month0 = divmod(months, 12)
    return date(year, month0 + 1, 1)


class ObligationState(NamedTuple):
    missed: tuple[date, ...]  # dues passed (before as_of) with no report in their window
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
    the walk stops there and says so (``unknown``)."""
    missed: list[date] = []
    done = matter.completed_on if matter.completed_on is not None and matter.completed_on <= as_of else None
    reports = sorted(r for r in matter.reports if r <= as_of)
    earliest = matter.assigned_on
    for begin, end in periods(rule, matter.assigned_on):
        # completion is checked before the due date is computed: a period not owed needs no calendar
        if done is not None and end >= done:
            return ObligationState(tuple(missed), None)
        try:
            due = period_due(cal, rule, begin, end)
        except HolidayDataMissing as exc:
            return ObligationState(tuple(missed), None, exc, rule.reports_required and begin < as_of)
        if due is None:
            continue
        if not rule.reports_required:  # a schedule only: the next occurrence, never a miss
            if due >= as_of:
                return ObligationState((), due)
            continue
        # reports are sorted: the first one on or after the window's start decides
        i = bisect_left(reports, max(earliest, begin))
        reported = i < len(reports) and reports[i] <= due
        if due >= as_of and not reported:
            return ObligationState(tuple(missed), due)
        if due < as_of and not reported:
            missed.append(due)
        earliest = due + timedelta(days=1)
    return ObligationState(tuple(missed), None)
