"""The errors govrules raises: each names where the problem is and what was expected.

Every error a caller can cause derives from ``GovrulesError`` so that the CLI (and any other
front end) can turn it into one clear message and exit code 2 instead of a traceback.
"""

from __future__ import annotations


class GovrulesError(Exception):
    """Base of every error caused by input: a pack, a case file, a date, an option."""


def add_context(exc: GovrulesError, where: str) -> GovrulesError:
    """Prefix the message with the object it concerns (e.g. ``matter DC-3``), keeping the type."""
    exc.args = (f"{where}: {exc}",)
    return exc


class InputError(GovrulesError):
    """A case (事项/会议/公文/事件) or its file is malformed.

    ``where`` names the file, the object (id or index) and the field, e.g.
    ``ledger.json: [2] (id DC-3): assigned_on``.
    """

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}" if where else problem)


class PackError(GovrulesError):
    """A rule pack is malformed; ``location`` is ``file:line:column``."""

    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}")


class HolidayDataMissing(GovrulesError):
    """A date falls in a year for which no holiday schedule is known.

    Such a year is unknown, never "no holidays": the State Council publishes each year's
    放假安排 around November of the year before.
    """

    def __init__(self, year: int, known: tuple[int, int] | None = None) -> None:
        self.year = year
        span = f" (known years: {known[0]}-{known[1]})" if known else ""
        super().__init__(
            f"no holiday data for {year}{span}: the working-day calendar of {year} is unknown. "
            f"Supply it as a holiday-data file (YAML with year: {year}, complete: true, its "
            f"holidays and its 调休 working weekends; see docs/holiday-data.md) via "
            f"--holiday-data FILE or WorkCalendar.default().with_year_file(FILE), or opt in to "
            f"provisional weekends-only answers with --provisional"
        )


class NotInForce(GovrulesError):
    """A pack was applied to a case dated outside the document's time in force."""
