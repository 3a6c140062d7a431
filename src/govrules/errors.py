"""The errors govrules raises: each names where the problem is and what was expected.

Every error a caller can cause derives from ``GovrulesError`` so that the CLI (and any other
front end) can turn it into one clear message and exit code 2 instead of a traceback.
"""

from __future__ import annotations

import reprlib

from govrules.table import display_width


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


class SourceLocation(str):
    """``file:line:column`` that also remembers the source line and how many columns the value
    there spans, so that an error raised at it can show the line with a caret under the value.

    It is a ``str`` so that every place that builds a PackError from a location keeps working.
    """

    source_line: str
    column: int  # 1-based, in characters
    width: int  # in characters; at least 1

    def __new__(cls, location: str, source_line: str, column: int, width: int) -> SourceLocation:
        self = super().__new__(cls, location)
        self.source_line, self.column, self.width = source_line, column, max(1, width)
        return self


SHOWN_CHARS = 80  # of a long line, how much from the value onwards the excerpt shows


def caret_excerpt(line: str, column: int, width: int) -> str:
    """``line`` and, under it, ``^`` across the ``width`` characters from ``column`` (1-based).

    Terminals give CJK characters two columns, so the padding and the carets are measured in
    display columns; a tab in the prefix is kept as a tab so that it lines up the same way.
    """
    line = line.rstrip("\r\n")
    start = max(0, column - 1)
    if start > SHOWN_CHARS:  # a long line before the value: keep only the end of it
        cut = start - SHOWN_CHARS // 2
        line, start = "… " + line[cut:], start - cut + 2
    if len(line) > start + SHOWN_CHARS:
        line = line[: start + SHOWN_CHARS] + " …"
        width = min(width, SHOWN_CHARS)
    pad = "".join(ch if ch == "\t" else " " * display_width(ch) for ch in line[:start])
    carets = "^" * max(1, display_width(line[start : start + width]))
    return f"{line}\n{pad}{carets}"


class PackError(GovrulesError):
    """A rule pack is malformed; ``location`` is ``file:line:column``.

    ``str(error)`` is the one line ``file:line:column: problem``. Where the source line is known
    (``source_line`` is not None), ``excerpt()`` gives that line and a caret line under the value
    (``column`` and ``width`` in characters), and ``report()`` the message followed by both.
    """

    def __init__(self, location: str, problem: str) -> None:
        self.location = str(location)
        self.problem = problem
        found = location if isinstance(location, SourceLocation) else None
        self.source_line: str | None = found.source_line if found else None
        self.column: int = found.column if found else 1
        self.width: int = found.width if found else 1
        super().__init__(f"{self.location}: {problem}")

    def excerpt(self) -> str:
        """The offending line and ``^^^`` under the value, or "" where the line is unknown."""
        if self.source_line is None:
            return ""
        return caret_excerpt(self.source_line, self.column, self.width)

    def report(self) -> str:
        """The message, then the excerpt (if any) on the lines after it."""
        excerpt = self.excerpt()
        return f"{self}\n{excerpt}" if excerpt else str(self)


class HolidayDataMissing(GovrulesError):
    """A date falls in a year for which no holiday schedule is known.

    Such a year is unknown, never "no holidays": the State Council publishes each year's
    放假安排 around November of the year before.
    """

    def __init__(self, year: int, known: tuple[int, int] | None = None) -> None:
        self.year = year
        self.known = known
        span = f" (known years: {known[0]}-{known[1]})" if known else ""
        super().__init__(
            f"no holiday data for {year}{span}: the working-day calendar of {year} is unknown. "
            f"Supply it as a holiday-data file (YAML with year: {year}, complete: true, its "
            f"holidays and its 调休 working weekends; see docs/holiday-data.md): install it once "
            f"with `govrules calendar add FILE`, or pass it for one run with --holiday-data FILE "
            f"(WorkCalendar.default().with_year_file(FILE) in Python), or opt in to provisional "
            f"weekends-only answers with --provisional"
        )


class NotInForce(GovrulesError):
    """A pack was applied to a case dated outside the document's time in force."""



EXCERPT_CHARS = 80  # of any input value a message quotes, at most this many characters


def _bounded_repr(limit: int) -> reprlib.Repr:
    shown = reprlib.Repr()
    shown.maxstring = shown.maxother = shown.maxlong = limit + 2
    shown.maxlevel = 3
    return shown


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """``repr`` of a value (a string with its quotes) cut to at most ``limit`` characters, "…"
    marking the cut: every message that quotes input quotes it through this, so that a
    66-million-character field gives a line of message, not 66 MB. ``reprlib`` bounds what is
    walked, so a huge value costs no more than a small one."""
    try:
        text = repr(value[: limit + 1]) if isinstance(value, str) else _bounded_repr(limit).repr(value)
    except ValueError:  # an int of more digits than Python prints
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(value: object, limit: int = EXCERPT_CHARS) -> object:
    """A string longer than ``limit`` cut to ``limit`` characters ending in "…"; any other value as
    it is. For tables that keep the offending input (a ledger's problems): a value, not a repr."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value
