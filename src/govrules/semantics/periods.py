"""From a rule's period and a start date to a due date, on a given working-day calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from govrules.calendar import WorkCalendar
from govrules.calendar.vectors import NAT, Days, DayVectors, Mask
from govrules.packs.schema import Period


def _count_end(face: Any, start: Any, period: Period) -> Any:
    """The end of the period's own count, before any at_least, on either face of the calendar
    (their methods share names): a date from a WorkCalendar, (column, rows it could not answer)
    from its DayVectors."""
    if period.working_days is not None:
        return face.add_workdays(start, period.working_days)
    if period.days is not None:
        return face.add_days(start, period.days)
    if period.months is not None:
        return face.add_months(start, period.months)
    return face.add_workdays(start, 0)  # same_day: today, or the next working day


def period_end(cal: WorkCalendar, start: date, period: Period, explicit: date | None = None) -> date | None:
    """The last day of the period (semantics.md); None when an explicit deadline is needed but absent.
    A period with ``at_least`` ends on the later of its own end and that count's end."""
    if period.explicit:
        return explicit
    end: date = _count_end(cal, start, period)
    if period.at_least is not None:
        end = max(end, _count_end(cal, start, period.at_least))
    return end


def period_end_array(vectors: DayVectors, start: Days, period: Period) -> tuple[Days, Mask]:
    """``period_end`` of a counted period for a column of starts, read the same way, with the mask
    of the rows for which ``period_end`` raises HolidayDataMissing (an at_least end is unknown if
    either count is). The batch ledger precomputes these per start day (batch/days.py)."""
    end, missing = _count_end(vectors, start, period)
    if period.at_least is not None:
        floor, floor_missing = _count_end(vectors, start, period.at_least)
        missing = missing | floor_missing
        end = np.where(missing, NAT, np.maximum(end, floor))
    return end, missing


def floor_applied(cal: WorkCalendar, start: date, period: Period) -> tuple[date, date] | None:
    """(the period's own end, the at_least end) when at_least moved the end later, else None:
    what a message says when the later of the two decided."""
    if period.explicit or period.at_least is None:
        return None
    own, floor = _count_end(cal, start, period), _count_end(cal, start, period.at_least)
    return (own, floor) if floor > own else None
