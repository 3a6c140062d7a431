"""From a rule's period and a start date to a due date, on a given working-day calendar."""

from __future__ import annotations

from datetime import date

from govrules.calendar import WorkCalendar
from govrules.packs.schema import Period


def period_end(cal: WorkCalendar, start: date, period: Period, explicit: date | None = None) -> date | None:
    """The last day of the period (semantics.md); None when an explicit deadline is needed but absent."""
    if period.explicit:
        return explicit
    if period.working_days is not None:
        return cal.add_workdays(start, period.working_days)
    if period.days is not None:
        return cal.add_days(start, period.days)
    if period.months is not None:
        return cal.add_months(start, period.months)
    return cal.add_workdays(start, 0)  # same_day: today, or the next working day


def describe_period(period: Period) -> str:
    if period.working_days is not None:
        return f"{period.working_days}个工作日"
    if period.days is not None:
        return f"{period.days}日"
    if period.months is not None:
        return f"{period.months}个月"
    if period.same_day:
        return "当日"
    return "明确时限"
