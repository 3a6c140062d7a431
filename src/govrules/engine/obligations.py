"""Recurring reports (周报, 季报, 月底报告): which were owed, which were missed, which is next."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from govrules.calendar import WorkCalendar
from govrules.models import Matter
from govrules.packs.schema import ObligationRule

# A matter supervised for decades is a data error; bounding the walk keeps evaluation bounded.
MAX_OCCURRENCES = 5000


class Occurrence(NamedTuple):  # a tuple: a walk makes one per period
    period_start: date
    period_end: date
    due: date


def occurrences(cal: WorkCalendar, rule: ObligationRule, start: date) -> Iterator[Occurrence]:
    """The reporting periods from ``start`` on, each with its due date, in order."""
    if rule.every == "day":
        day = start if rule.first_period == "containing" else start + timedelta(days=1)
        for _ in range(MAX_OCCURRENCES):
            if cal.is_workday(day):  # 日报: each working day
                yield Occurrence(day, day, day)
            day += timedelta(days=1)
        return
    if rule.every == "week":
        monday = start - timedelta(days=start.weekday())
        if rule.first_period == "next":
            monday += timedelta(days=7)
        for k in range(MAX_OCCURRENCES):
            first = monday + timedelta(weeks=k)
            due = cal.week_last_workday(first)
            if due is not None:  # a week with no working day owes no report
                yield Occurrence(first, first + timedelta(days=6), due)
        return
    months = 3 if rule.every == "quarter" else 1
    # periods are counted in months from year 0 (plain arithmetic: relativedelta costs ~25 µs a step)
    first_month = start.year * 12 + ((start.month - 1) // months) * months
    if rule.first_period == "next":
        first_month += months
    for k in range(MAX_OCCURRENCES):
        begin = _month_start(first_month + months * k)
        end = _month_start(first_month + months * (k + 1)) - timedelta(days=1)
        if rule.every == "quarter" and rule.days_after_period_end is not None:
            due = cal.quarter_end_plus(begin.year, (begin.month - 1) // 3 + 1, rule.days_after_period_end)
        else:  # 每月底 / 一季一… : the period's last working day
            due = cal.roll_back(end)
        yield Occurrence(begin, end, due)


def _month_start(months: int) -> date:
    """The first day of the month ``months`` months after January of year 0."""
    year, month0 = divmod(months, 12)
    return date(year, month0 + 1, 1)


class ObligationState(NamedTuple):
    missed: tuple[date, ...]  # dues passed (before as_of) with no report in their window
    next_due: date | None  # the first owed due on or after as_of not yet reported


def obligation_state(cal: WorkCalendar, rule: ObligationRule, matter: Matter, as_of: date) -> ObligationState:
    """A period's report must fall within the period (or its grace days) and after the previous due:
    a weekly report sent before its week began does not count for that week. A period ending
    on or after completion is not owed."""
    done = matter.completed_on if matter.completed_on is not None and matter.completed_on <= as_of else None
    if not rule.reports_required:  # a schedule only: the next occurrence, never a miss
        for occ in occurrences(cal, rule, matter.assigned_on):
            if done is not None and occ.period_end >= done:
                return ObligationState((), None)
            if occ.due >= as_of:
                return ObligationState((), occ.due)
        return ObligationState((), None)
    reports = sorted(r for r in matter.reports if r <= as_of)
    missed: list[date] = []
    earliest = matter.assigned_on
    for occ in occurrences(cal, rule, matter.assigned_on):
        if done is not None and occ.period_end >= done:
            return ObligationState(tuple(missed), None)
        # reports are sorted: the first one on or after the window's start decides
        i = bisect_left(reports, max(earliest, occ.period_start))
        reported = i < len(reports) and reports[i] <= occ.due
        if occ.due >= as_of and not reported:
            return ObligationState(tuple(missed), occ.due)
        if occ.due < as_of and not reported:
            missed.append(occ.due)
        earliest = occ.due + timedelta(days=1)
    return ObligationState(tuple(missed), None)
