"""What is known about holidays: a contiguous run of years, each with its days off and 调休 days,
and where each year's data came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping

from govrules.calendar.year_data import YearData
from govrules.errors import InputError

# package: the chinese-calendar package; installed: `govrules calendar add`;
# file: a holiday-data file given for one run (--holiday-data, with_year_file); data: with_year_data.
SourceKind = Literal["package", "installed", "file", "data"]


@dataclass(frozen=True, slots=True)
class CalendarSource:
    """Where the holidays of ``first_year``-``last_year`` came from, so that an answer can be
    audited and reproduced: the package and its version, or the file's name and sha256."""

    first_year: int
    last_year: int
    kind: SourceKind
    source: str  # "chinese-calendar", or the year data's own `source` text (the notice it copies)
    version: str | None = None  # the package's version
    file: str | None = None  # the file's name (not its directory: results must not reveal a server's paths)
    sha256: str | None = None  # of the file's bytes

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, with every key always present (null where it does not apply)."""
        return {
            "years": [self.first_year, self.last_year],
            "kind": self.kind,
            "source": self.source,
            "version": self.version,
            "file": self.file,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class HolidaySchedule:
    """The statutory holidays and working weekends (Chinese names) of the years ``known``.

    The known years are contiguous so that "is this year known?" is a range check, and so that
    no year between two known ones can be mistaken for a year without holidays. ``sources``
    covers the known years, in the order they were added.
    """

    known: tuple[int, int]
    holidays: Mapping[dt.date, str]
    working_weekends: Mapping[dt.date, str]
    sources: tuple[CalendarSource, ...] = ()

    def with_year(self, data: YearData, where: str, source: CalendarSource | None = None) -> HolidaySchedule:
        """This schedule and one more year, next to the known ones; ``where`` names the source in
        errors, ``source`` records it (by default: ``data.source``, no file)."""
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
        if source is None:
            source = CalendarSource(data.year, data.year, "data", data.source)
        return HolidaySchedule(
            known=(min(first, data.year), max(last, data.year)),
            holidays=MappingProxyType({**self.holidays, **data.holiday_days()}),
            working_weekends=MappingProxyType({**self.working_weekends, **data.working_weekend_days()}),
            sources=(*self.sources, source),
        )
