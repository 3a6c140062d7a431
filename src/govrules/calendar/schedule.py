"""What is known about holidays: a contiguous run of years, each with its days off and 调休 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from govrules.calendar.year_data import YearData
from govrules.errors import InputError


@dataclass(frozen=True)
class HolidaySchedule:
    """The statutory holidays and working weekends (Chinese names) of the years ``known``.

    The known years are contiguous so that "is this year known?" is a range check, and so that
    no year between two known ones can be mistaken for a year without holidays.
    """

    known: tuple[int, int]
    holidays: Mapping[dt.date, str]
    working_weekends: Mapping[dt.date, str]

    def with_year(self, data: YearData, where: str) -> HolidaySchedule:
        """This schedule and one more year, next to the known ones; ``where`` names the source."""
        first, last = self.known
        if first <= data.year <= last:
            raise InputError(where, f"{data.year} is already known (known years: {first}-{last})")
        if data.year not in (first - 1, last + 1):
            raise InputError(
                where,
                f"{data.year} is not next to the known years {first}-{last}: supply "
                f"{last + 1 if data.year > last else first - 1} first, so that no year in "
                f"between is left unknown",
            )
        return HolidaySchedule(
            known=(min(first, data.year), max(last, data.year)),
            holidays=MappingProxyType({**self.holidays, **data.holiday_days()}),
            working_weekends=MappingProxyType({**self.working_weekends, **data.working_weekend_days()}),
        )
