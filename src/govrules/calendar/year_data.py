"""One year's holiday schedule as a user supplies it (see docs/holiday-data.md).

The State Council publishes each year's 放假安排 around November of the year before, so a
deadline counted in late autumn can need a year that chinese-calendar does not know yet.
A ``YearData`` is valid only as a whole, complete year: a half-known year would silently
turn unknown holidays into working days.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Final

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from govrules.errors import excerpt

FIRST_SUPPORTED_YEAR: Final = 1990
LAST_SUPPORTED_YEAR: Final = 2100

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class YearDataProblem(ValueError):
    """A problem that spans several entries; ``field`` says where, e.g. ``holidays[2].date``.

    Pydantic reports errors of a whole-model check at the model itself; carrying the field here
    lets the file loader name the entry at fault.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def _plain_day(value: object) -> object:
    # YAML reads 2027-01-01 as a date and JSON leaves it a string; pydantic's lax mode would
    # also take a Unix timestamp or a midnight datetime, both of which are mistakes here.
    if isinstance(value, dt.datetime):
        raise ValueError("expected a day like 2027-01-01, without a time of day")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{excerpt(value)} is not a day of the calendar") from None
    raise ValueError(f"expected a day like 2027-01-01, got {excerpt(value)}")


Day = Annotated[dt.date, BeforeValidator(_plain_day)]
Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=40)]


class HolidayEntry(BaseModel):
    """A day off (``date``) or a run of days off (``start`` to ``end``, both included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Day | None = None
    start: Day | None = None
    end: Day | None = None
    name: Name

    @model_validator(mode="after")
    def _one_day_or_one_run(self) -> HolidayEntry:
        if self.date is not None:
            if self.start is not None or self.end is not None:
                raise ValueError("give either date, or start and end, not both")
        elif self.start is None or self.end is None:
            raise ValueError("expected date, or both start and end")
        elif self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    def days(self) -> list[dt.date]:
        if self.date is not None:
            return [self.date]
        assert self.start is not None and self.end is not None  # guaranteed by the validator
        span = (self.end - self.start).days
        return [self.start + dt.timedelta(days=i) for i in range(span + 1)]


class WorkingWeekend(BaseModel):
    """A Saturday or Sunday declared a working day (调休上班), and the holiday it pays for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Day
    name: Name

    @field_validator("date")
    @classmethod
    def _is_weekend(cls, day: dt.date) -> dt.date:
        if day.weekday() < 5:
            raise ValueError(f"{day} is a weekday; a working weekend must be a Saturday or Sunday")
        return day


class YearData(BaseModel):
    """A complete year's statutory holidays and working weekends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(strict=True, ge=FIRST_SUPPORTED_YEAR, le=LAST_SUPPORTED_YEAR)
    complete: bool = Field(strict=True)
    source: Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=500)
    ]
    # Every real year has at least 元旦; an empty list is far more likely a mistake.
    holidays: tuple[HolidayEntry, ...] = Field(min_length=1)
    # Required even when empty, so that forgetting the 调休 days cannot pass silently.
    working_weekends: tuple[WorkingWeekend, ...]

    @field_validator("complete")
    @classmethod
    def _must_be_complete(cls, complete: bool) -> bool:
        if not complete:
            raise ValueError(
                "must be true: a partial year cannot be used, since its missing holidays would "
                "count as working days"
            )
        return complete

    @model_validator(mode="after")
    def _consistent(self) -> YearData:
        # Whole-model checks raise YearDataProblem so that the loader can name the entry.
        seen: dict[dt.date, str] = {}
        for i, entry in enumerate(self.holidays):
            if entry.start is not None and entry.end is not None:
                self._check_in_year(entry.start, f"holidays[{i}].start")
                self._check_in_year(entry.end, f"holidays[{i}].end")
                field = f"holidays[{i}]"
            else:
                field = f"holidays[{i}].date"
            for day in entry.days():
                self._check_in_year(day, field)
                if day in seen:
                    raise YearDataProblem(field, f"{day} is already listed at {seen[day]}")
                seen[day] = f"holidays[{i}]"
        for i, weekend in enumerate(self.working_weekends):
            field = f"working_weekends[{i}].date"
            self._check_in_year(weekend.date, field)
            if weekend.date in seen:
                raise YearDataProblem(
                    field,
                    f"{weekend.date} is already listed at {seen[weekend.date]}; a day cannot be "
                    f"both a holiday and a working weekend",
                )
            seen[weekend.date] = f"working_weekends[{i}]"
        return self

    def _check_in_year(self, day: dt.date, field: str) -> None:
        if day.year != self.year:
            raise YearDataProblem(
                field, f"{day} is not in {self.year}; every date must fall in the file's year"
            )

    def holiday_days(self) -> dict[dt.date, str]:
        """Every day off, weekend days inside a break included, with its holiday's name."""
        return {day: entry.name for entry in self.holidays for day in entry.days()}

    def working_weekend_days(self) -> dict[dt.date, str]:
        return {weekend.date: weekend.name for weekend in self.working_weekends}
