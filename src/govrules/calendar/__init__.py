"""Working days (工作日) and deadline arithmetic for Chinese government offices.

``WorkCalendar.default()`` knows the years of the chinese-calendar package; a later year is
supplied as a holiday-data file (``load_year_file``, docs/holiday-data.md) and never guessed,
unless the caller opts in to provisional weekends-only answers with ``.provisional()``.
"""

from govrules.calendar.work_calendar import WorkCalendar
from govrules.calendar.year_data import HolidayEntry, WorkingWeekend, YearData
from govrules.calendar.year_file import load_year_file

__all__ = ["HolidayEntry", "WorkCalendar", "WorkingWeekend", "YearData", "load_year_file"]
