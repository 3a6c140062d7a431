"""Working days (工作日) and deadline arithmetic for Chinese government offices.

``WorkCalendar.default()`` knows the years of the chinese-calendar package and the years installed
once with ``govrules calendar add FILE`` (``govrules.calendar.installed``); a later year can also be
supplied for one run as a holiday-data file (``load_year_file``, docs/holiday-data.md). A year is
never guessed, unless the caller opts in to provisional weekends-only answers with
``.provisional()``. ``WorkCalendar.provenance()`` says which years and sources a calendar used.

One table, two faces: the methods of ``WorkCalendar`` answer one date at a time and raise
``HolidayDataMissing``; ``WorkCalendar.vectors`` (a ``DayVectors``) answers columns of datetime64[D]
dates from the same table, each answer with a mask of exactly the rows the scalar method raises for.
"""

from govrules.calendar.schedule import CalendarSource
from govrules.calendar.vectors import DayVectors
from govrules.calendar.work_calendar import WorkCalendar
from govrules.calendar.year_data import HolidayEntry, WorkingWeekend, YearData
from govrules.calendar.year_file import YearFile, load_year_file, read_year_file

__all__ = [
    "CalendarSource", "DayVectors", "HolidayEntry", "WorkCalendar", "WorkingWeekend", "YearData", "YearFile",
    "load_year_file", "read_year_file",
]
