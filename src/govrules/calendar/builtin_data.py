"""The holiday schedule shipped with the chinese-calendar package."""

from __future__ import annotations

import datetime as dt
import functools
from importlib.metadata import PackageNotFoundError, version
from types import MappingProxyType

from govrules.calendar.holiday_names import chinese_holiday_name
from govrules.calendar.schedule import CalendarSource, HolidaySchedule


@functools.cache
def chinese_calendar_schedule() -> HolidaySchedule:
    """Read chinese-calendar's tables once; its per-day functions are far too slow to call often."""
    from chinese_calendar import constants  # imported here so that importing govrules stays cheap

    holidays: dict[dt.date, str] = dict(constants.holidays)
    workdays: dict[dt.date, str] = dict(constants.workdays)
    years = sorted({day.year for day in holidays})
    first, last = years[0], years[-1]
    # Known years must be contiguous; a gap would silently read as a year without holidays.
    gaps = sorted(set(range(first, last + 1)) - set(years))
    if gaps:
        raise RuntimeError(f"chinese-calendar has no holidays for {gaps[0]}; its data looks broken")
    stray = [day for day in workdays if not first <= day.year <= last]
    if stray:
        raise RuntimeError(f"chinese-calendar lists working day {stray[0]} outside {first}-{last}")
    return HolidaySchedule(
        known=(first, last),
        holidays=MappingProxyType({d: chinese_holiday_name(n) for d, n in holidays.items()}),
        working_weekends=MappingProxyType({d: chinese_holiday_name(n) for d, n in workdays.items()}),
        sources=(CalendarSource(first, last, "package", "chinese-calendar", _package_version()),),
    )


def _package_version() -> str | None:
    try:
        return version("chinese-calendar")
    except PackageNotFoundError:  # imported from a source tree without metadata
        return None
