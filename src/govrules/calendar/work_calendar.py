"""The working-day calendar (工作日) and the deadline arithmetic of 民法典 第二百条至第二百零四条.

See shared/design/semantics.md, "Working days" and "Calendar days, months and periods".
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from calendar import monthrange
from datetime import date, timedelta
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from govrules.calendar import vectors as vector_face
from govrules.calendar.day_tables import DayTables, beyond_known, build_day_tables
from govrules.calendar.describe import describe
from govrules.calendar import installed
from govrules.calendar.installed import installed_schedule
from govrules.calendar.schedule import CalendarSource, HolidaySchedule
from govrules.calendar.year_data import FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, YearData
from govrules.calendar.year_file import read_year_file
from govrules.errors import HolidayDataMissing


class WorkCalendar:
    """Which days are working days, and deadlines counted in working days, days or months.

    Immutable: ``with_year_data``, ``with_year_file`` and ``provisional`` return new calendars.
    Every method raises ``HolidayDataMissing`` when a date it is given, or a date it would need
    to reach its answer, falls in a year it does not cover. Get one with ``WorkCalendar.default()``.
    """

    __slots__ = (
        "_schedule", "_provisional_mode", "_provisional_years", "_tables", "_vectors",
        "_first_day", "_last_day", "_workdays", "_is_working",
        "_holiday_days", "_holiday_names", "_weekend_days", "_weekend_names", "_descriptions",
        "_workless_mondays",
    )
    _schedule: HolidaySchedule
    _provisional_mode: bool
    _provisional_years: frozenset[int]
    _tables: DayTables
    _vectors: vector_face.DayVectors
    _first_day: int
    _last_day: int
    _workdays: tuple[int, ...]
    _is_working: bytes
    _holiday_days: tuple[int, ...]
    _holiday_names: tuple[str, ...]
    _weekend_days: tuple[int, ...]
    _weekend_names: tuple[str, ...]
    _descriptions: dict[tuple[date, date], str]
    _workless_mondays: tuple[int, ...] | None

    def __init__(self, schedule: HolidaySchedule, *, provisional: bool = False) -> None:
        first, last = schedule.known
        covered = (first, last)
        if provisional:
            covered = (min(first, FIRST_SUPPORTED_YEAR), max(last, LAST_SUPPORTED_YEAR))
        tables = build_day_tables(schedule, covered)
        holidays = sorted(schedule.holidays.items())
        weekends = sorted(schedule.working_weekends.items())
        provisional_years = frozenset(range(covered[0], covered[1] + 1)) - frozenset(range(first, last + 1))
        fields: dict[str, object] = {
            "_schedule": schedule,
            "_provisional_mode": provisional,
            "_provisional_years": provisional_years,
            "_tables": tables,
            "_vectors": vector_face.DayVectors.of_tables(tables),  # views of the same arrays: no copy
            # The hot paths read these directly rather than through _tables.
            "_first_day": tables.first_day,
            "_last_day": tables.last_day,
            "_workdays": tables.workdays,
            "_is_working": tables.is_working,
            "_holiday_days": tuple(day.toordinal() for day, _ in holidays),
            "_holiday_names": tuple(name for _, name in holidays),
            "_weekend_days": tuple(day.toordinal() for day, _ in weekends),
            "_weekend_names": tuple(name for _, name in weekends),
            # The calendar never changes, so a span's description can be remembered; a ledger
            # repeats the same (assigned, due) pairs many times.
            "_descriptions": {},
            "_workless_mondays": None,  # built on first use (weeks_with_workdays)
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("a WorkCalendar is immutable; with_year_data and provisional return new ones")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("a WorkCalendar is immutable")

    def __repr__(self) -> str:
        first, last = self.known_years
        tables = self._tables
        extra = f", provisional {tables.first_year}-{tables.last_year}" if self._provisional_mode else ""
        return f"WorkCalendar(known {first}-{last}{extra})"

    # -- construction -------------------------------------------------------------------------

    @staticmethod
    def default() -> WorkCalendar:
        """The calendar of chinese-calendar's years and the installed ones (`govrules calendar add`),
        built on first use and then shared by the process: a process started before a year was
        installed does not see it until restarted (``clear_default_calendar`` in tests)."""
        return _default_calendar(installed.changes())

    def with_year_data(self, data: YearData) -> WorkCalendar:
        """A calendar that also knows ``data.year``, which must be next to the known years."""
        schedule = self._schedule.with_year(data, "holiday data: year")
        return WorkCalendar(schedule, provisional=self._provisional_mode)

    def with_year_file(self, path: str | Path) -> WorkCalendar:
        """``with_year_data`` for a holiday-data file (see docs/holiday-data.md); the provenance
        records the file's name and sha256."""
        found = read_year_file(path)
        schedule = self._schedule.with_year(found.data, f"{path}: year", found.calendar_source("file"))
        return WorkCalendar(schedule, provisional=self._provisional_mode)

    def provisional(self) -> WorkCalendar:
        """An explicit opt-in: years outside the known ones, from 1990 through 2100, are counted
        with weekends only. Callers must mark any result that ``touches_provisional``."""
        return WorkCalendar(self._schedule, provisional=True)

    # -- what is known ------------------------------------------------------------------------

    @property
    def known_years(self) -> tuple[int, int]:
        return self._schedule.known

    @property
    def provisional_years(self) -> frozenset[int]:
        return self._provisional_years

    @property
    def sources(self) -> tuple[CalendarSource, ...]:
        """Where the known years' holidays came from, in the order they were added."""
        return self._schedule.sources

    def provenance(self) -> dict[str, object]:
        """Which calendar an answer used, JSON-ready, so that it can be audited and reproduced::

            {"years": [2004, 2027],
             "sources": [{"years": [2004, 2026], "kind": "package", "source": "chinese-calendar",
                          "version": "1.11.0", "file": null, "sha256": null},
                         {"years": [2027, 2027], "kind": "installed", "source": "<the file's source>",
                          "version": null, "file": "2027.yaml", "sha256": "<hex>"}],
             "provisional_years": null}

        ``provisional_years`` is null, or (after ``provisional()``) the span [first, last] within
        which every year outside ``years`` is counted with weekends only. A new dict each call (about
        a microsecond), so that a caller may keep or change it.
        """
        return {
            "years": list(self._schedule.known),
            "sources": [source.to_dict() for source in self._schedule.sources],
            "provisional_years": [self._tables.first_year, self._tables.last_year] if self._provisional_mode else None,
        }

    def is_provisional(self, d: date) -> bool:
        self._ordinal(d)
        return d.year in self._provisional_years

    def touches_provisional(self, a: date, b: date) -> bool:
        """Whether any day from a to b (either order, both included) is in a provisional year."""
        self._ordinal(a)
        self._ordinal(b)
        return bool(self._provisional_years) and bool(beyond_known(min(a, b), max(a, b), self.known_years))

    # -- working days -------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        return self._is_working[self._ordinal(d) - self._first_day] == 1

    def are_workday_ordinals(self, days: Sequence[int]) -> list[bool]:
        """``is_workday`` for many days given as ordinals (``date.toordinal()``), in one call: for
        a loop over many days (a matter's reports), where the calls would cost more than the answers."""
        first, last, working = self._first_day, self._last_day, self._is_working
        if days and (min(days) < first or max(days) > last):
            outside = next(day for day in days if not first <= day <= last)
            self._raise_missing(date.fromordinal(outside).year if 0 < outside <= date.max.toordinal() else 0)
        return [working[day - first] == 1 for day in days]

    def roll_forward(self, d: date) -> date:
        """d if it is a working day, else the next one (民法典 第二百零三条)."""
        return self._workday_at(bisect_left(self._workdays, self._ordinal(d)))

    def roll_back(self, d: date) -> date:
        """d if it is a working day, else the previous one."""
        return self._workday_at(bisect_right(self._workdays, self._ordinal(d)) - 1)

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after d, d itself not counted even when it is a working day.

        n == 0 rolls d forward; n < 0 gives the |n|-th working day before d.
        """
        day = d.toordinal()
        if not self._first_day <= day <= self._last_day:
            self._raise_missing(d.year)
        workdays = self._workdays
        i = bisect_right(workdays, day) + n - 1 if n > 0 else bisect_left(workdays, day) + n
        if 0 <= i < len(workdays):
            return date.fromordinal(workdays[i])
        return self._workday_at(i)

    def workdays_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]; the negative of (b, a] when b < a."""
        first, last = self._ordinal(a), self._ordinal(b)
        return bisect_right(self._workdays, last) - bisect_right(self._workdays, first)

    # -- calendar days, months, periods ---------------------------------------------------------

    def add_days(self, d: date, n: int) -> date:
        """n calendar days after d (d not counted), rolled forward to a working day."""
        self._ordinal(d)
        return self.roll_forward(d + timedelta(days=n))

    def add_months(self, d: date, n: int) -> date:
        """The same day n months later, or that month's last day if it has no such day
        (民法典 第二百零二条), rolled forward to a working day."""
        self._ordinal(d)
        # Plain arithmetic: relativedelta costs ~6 µs here, ten times the rest of the call.
        year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
        last = monthrange(year, month0 + 1)[1]
        return self.roll_forward(date(year, month0 + 1, min(d.day, last)))

    def quarter_end_plus(self, year: int, quarter: int, days: int) -> date:
        """``days`` days after the quarter's last day, rolled forward ("每季度结束后15日内")."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1, 2, 3 or 4, not {quarter}")
        last_month = 3 * quarter
        return self.add_days(date(year, last_month, monthrange(year, last_month)[1]), days)

    def month_end(self, year: int, month: int) -> date:
        """The month's last working day: its last day rolled BACK ("每月底")."""
        return self.roll_back(date(year, month, monthrange(year, month)[1]))

    def week_last_workday(self, d: date) -> date | None:
        """The last working day of d's Monday-to-Sunday week, or None if the week has none."""
        day = self._ordinal(d)
        monday = day - d.weekday()
        last = self.roll_back(date.fromordinal(monday + 6))
        return last if last.toordinal() >= monday else None

    def weeks_with_workdays(self, monday: date, weeks: int) -> int:
        """How many of the ``weeks`` Monday-to-Sunday weeks from ``monday``'s week on have a working
        day: the weeks a weekly report is owed for (``week_last_workday`` is not None), counted
        without looking at each week."""
        if weeks <= 0:
            return 0
        first = self._ordinal(monday) - monday.weekday()
        self._ordinal(date.fromordinal(first + 7 * weeks - 1))
        workless = self._workless_mondays
        if workless is None:
            workless = self._find_workless_mondays()
        return weeks - (bisect_left(workless, first + 7 * weeks) - bisect_left(workless, first))

    # -- vectors --------------------------------------------------------------------------------

    @property
    def vectors(self) -> vector_face.DayVectors:
        """This calendar's vector face (calendar/vectors.py): the same arithmetic over datetime64[D]
        columns, read from the same table, each answer with a mask of the rows it cannot answer."""
        return self._vectors

    def add_workdays_array(
        self, dates: npt.NDArray[np.datetime64], n: int | npt.NDArray[np.integer[Any]]
    ) -> npt.NDArray[np.datetime64]:
        """``add_workdays`` over datetime64[D] values (n broadcasts); NaT stays NaT."""
        return vector_face.add_workdays_array(self._vectors, dates, n, self._missing)

    def is_workday_array(self, dates: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
        """``is_workday`` over datetime64[D] values; NaT gives False."""
        return vector_face.is_workday_array(self._vectors, dates, self._missing)

    # -- explanations ---------------------------------------------------------------------------

    def holidays_in(self, a: date, b: date) -> list[tuple[date, str]]:
        """The statutory holiday days in (a, b] (or (b, a]) with their Chinese names."""
        return self._named_days_in(a, b, self._holiday_days, self._holiday_names)

    def working_weekends_in(self, a: date, b: date) -> list[tuple[date, str]]:
        """The 调休上班 days in (a, b] (or (b, a]), each with the holiday it belongs to."""
        return self._named_days_in(a, b, self._weekend_days, self._weekend_names)

    def describe_holidays(self, a: date, b: date) -> str:
        """E.g. "跳过劳动节假期2026-05-01至2026-05-05；2026-05-09(星期六)调休上班"; "" if none."""
        text = self._descriptions.get((a, b))
        if text is None:
            if len(self._descriptions) >= 100_000:
                self._descriptions.clear()
            text = self._descriptions[(a, b)] = describe(self.holidays_in(a, b), self.working_weekends_in(a, b))
        return text

    # -- internals ------------------------------------------------------------------------------

    def _named_days_in(
        self, a: date, b: date, days: tuple[int, ...], names: tuple[str, ...]
    ) -> list[tuple[date, str]]:
        low, high = sorted((self._ordinal(a), self._ordinal(b)))
        found = range(bisect_right(days, low), bisect_right(days, high))
        return [(date.fromordinal(days[i]), names[i]) for i in found]

    def _find_workless_mondays(self) -> tuple[int, ...]:
        """The Mondays (ordinals) of the weeks within the covered days that have no working day:
        only where consecutive working days (or a working day and the covered span's edge) lie
        eight or more days apart."""
        found: list[int] = []
        bounds = (self._first_day - 1, *self._workdays, self._last_day + 1)
        for before, after in zip(bounds, bounds[1:]):
            if after - before > 7:
                monday = before + 1 + (-date.fromordinal(before + 1).weekday()) % 7
                found.extend(range(monday, after - 6, 7))
        result = tuple(found)
        object.__setattr__(self, "_workless_mondays", result)
        return result

    def _ordinal(self, d: date) -> int:
        day = d.toordinal()
        if not self._first_day <= day <= self._last_day:
            self._raise_missing(d.year)
        return day

    def _workday_at(self, i: int) -> date:
        """The i-th working day; an index off either end means the answer is in an unknown year."""
        if i < 0:
            self._raise_missing(self._tables.first_year - 1)
        if i >= len(self._workdays):
            self._raise_missing(self._tables.last_year + 1)
        return date.fromordinal(self._workdays[i])

    def _missing(self, year: int) -> HolidayDataMissing:
        return HolidayDataMissing(year, known=self.known_years)

    def _raise_missing(self, year: int) -> NoReturn:
        raise self._missing(year)


@functools.lru_cache(maxsize=1)
def _default_calendar(store_changes: int) -> WorkCalendar:
    # Once per process and state of the store (add and remove bump its count): evaluation asks for
    # the default calendar constantly, and must not look at the file system each time. An
    # unusable installed year raises InstalledCalendarBroken, which is not cached, so that fixing
    # the store takes effect.
    return WorkCalendar(installed_schedule())


def clear_default_calendar() -> None:
    """Forget the default calendar, so that the next ``default()`` reads the installed years again
    (``govrules calendar add``/``remove`` call it; so do tests that point GOVRULES_DATA_DIR elsewhere)."""
    _default_calendar.cache_clear()
