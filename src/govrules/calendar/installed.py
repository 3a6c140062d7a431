"""Years of holiday data installed once (`govrules calendar add FILE`), which every entry point
reads through ``WorkCalendar.default()``: CLI, Python API, service, stream, notebooks.

The store is a directory: ``$GOVRULES_DATA_DIR/calendar/`` when that variable is set (servers,
CI), else ``platformdirs.user_data_dir("govrules")/calendar/``. Each year is the user's checked
file, kept byte for byte as ``YYYY.yaml`` (or ``YYYY.json``), so that the sha256 recorded in every
result's provenance is that of the file the user holds.

A year the chinese-calendar package itself knows wins over an installed file of that year (the
package was upgraded); the file is then reported "superseded", never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from govrules.calendar.builtin_data import chinese_calendar_schedule
from govrules.calendar.schedule import HolidaySchedule
from govrules.calendar.year_file import YearFile, read_year_file
from govrules.errors import GovrulesError, InputError
from govrules.textfile import UnreadableFile, read_bytes

DATA_DIR_ENV: Final = "GOVRULES_DATA_DIR"
_FILE_NAME = re.compile(r"(\d{4})\.(yaml|json)")
_MAX_BYTES: Final = 1_000_000

Status = Literal["in use", "superseded", "broken"]


class InstalledCalendarBroken(GovrulesError):
    """An installed year cannot be used; the message names its file and how to fix the store."""


def data_dir() -> Path:
    """govrules' data directory: ``$GOVRULES_DATA_DIR`` if set, else the platform's user data dir."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured)
    import platformdirs  # only when the variable is not set

    return Path(platformdirs.user_data_dir("govrules", appauthor=False))


def calendar_dir() -> Path:
    return data_dir() / "calendar"


@dataclass(frozen=True)
class InstalledYear:
    """One installed year's file and whether the default calendar uses it."""

    year: int
    path: Path
    status: Status
    sha256: str | None  # None when the file cannot be read
    source: str | None  # the file's `source` text, when it is valid
    problem: str | None = None  # why it is broken (or superseded)

    def to_dict(self) -> dict[str, object]:
        return {"year": self.year, "status": self.status, "file": str(self.path), "sha256": self.sha256,
                "source": self.source, "problem": self.problem}


def installed_schedule() -> HolidaySchedule:
    """chinese-calendar's years and the installed ones; ``InstalledCalendarBroken`` if one is unusable."""
    schedule, years = _assemble()
    for entry in years:
        if entry.status == "broken":
            raise _broken(entry)
    return schedule


def installed_years() -> list[InstalledYear]:
    """Every installed year, in year order, with its status; never raises for a bad file."""
    return sorted(_assemble()[1], key=lambda entry: entry.year)


@dataclass(frozen=True)
class CheckedYear:
    """A holiday-data file that can be installed: the file, and the calendar with and without it."""

    file: YearFile
    before: HolidaySchedule
    after: HolidaySchedule


def check_year_file(path: str | Path) -> CheckedYear:
    """Everything ``add_year_file`` checks, without installing: the file itself (docs/holiday-data.md),
    then that its year is neither known nor installed and lies next to the known years."""
    checked = read_year_file(path)
    before, years = _assemble()
    broken = [entry for entry in years if entry.status == "broken"]
    if broken:
        raise _broken(broken[0])
    year = checked.data.year
    mine = [entry for entry in years if entry.year == year]
    if mine:
        raise InputError(f"{path}: year", f"{year} is already installed as {mine[0].path}; to replace it, "
                                          f"`govrules calendar remove {year}` first")
    after = before.with_year(checked.data, f"{path}: year", checked.calendar_source("installed"))
    return CheckedYear(checked, before, after)


def add_year_file(path: str | Path) -> tuple[CheckedYear, Path]:
    """Check the file and install it; returns the check and where the file now is."""
    checked = check_year_file(path)
    year = checked.file.data.year
    suffix = ".json" if Path(path).suffix.lower() == ".json" else ".yaml"
    directory = calendar_dir()
    target = directory / f"{year}{suffix}"
    temporary = directory / f".{year}{suffix}.{os.getpid()}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(checked.file.raw)  # the bytes that were checked, not a second read
        os.replace(temporary, target)  # whole or not at all, for a reader at the same moment
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise GovrulesError(f"cannot write {target}: {exc.strerror}; set {DATA_DIR_ENV} to a writable "
                            f"directory") from None
    _changed()
    return checked, target


def remove_year(year: int) -> Path:
    """Remove an installed year; refused while a year further from the package's years needs it."""
    years = _assemble()[1]
    mine = [entry for entry in years if entry.year == year]
    if not mine:
        installed = ", ".join(str(entry.year) for entry in sorted(years, key=lambda e: e.year)) or "none"
        raise InputError(f"calendar remove {year}", f"{year} is not installed (installed: {installed})")
    if mine[0].status == "in use":
        outer = [entry.year for entry in years if entry.status == "in use" and _further(entry.year, year)]
        if outer:
            furthest = max(outer, key=lambda other: abs(other - year))
            raise InputError(f"calendar remove {year}", f"{furthest} is installed and needs {year}; remove "
                                                        f"{furthest} first, so that no year in between is left unknown")
    for entry in mine:
        try:
            entry.path.unlink()
        except OSError as exc:
            raise GovrulesError(f"cannot remove {entry.path}: {exc.strerror}") from None
    _changed()
    return mine[0].path


# -- internals ------------------------------------------------------------------------------------


def _further(other: int, year: int) -> bool:
    """Whether ``other`` lies beyond ``year`` seen from the package's years."""
    first, last = chinese_calendar_schedule().known
    return other > year > last or other < year < first


def _files() -> list[tuple[int, Path]]:
    directory = calendar_dir()
    if not directory.is_dir():
        return []
    try:
        names = [path.name for path in directory.iterdir()]
    except OSError as exc:
        raise InstalledCalendarBroken(f"cannot read the installed years in {directory}: {exc.strerror}; "
                                      f"set {DATA_DIR_ENV} to a readable directory") from None
    found = [(int(match[1]), directory / name) for name in names if (match := _FILE_NAME.fullmatch(name))]
    return sorted(found)


def _assemble() -> tuple[HolidaySchedule, list[InstalledYear]]:
    """The package's schedule extended by the installed years, outwards from it, and each file's
    status. A year after a broken one is broken too: it is no longer next to the known years."""
    package = chinese_calendar_schedule()
    first, last = package.known
    schedule = package
    years: list[InstalledYear] = []
    files = _files()
    counts = {year: sum(y == year for y, _ in files) for year, _ in files}
    later = [(y, p) for y, p in files if y > last]
    earlier = sorted(((y, p) for y, p in files if y < first), reverse=True)
    for year, path in files:
        if first <= year <= last:
            version = package.sources[0].version if package.sources else None
            years.append(InstalledYear(year, path, "superseded", _sha256(path), None,
                                       f"chinese-calendar {version or ''} knows {year}; its data is used and "
                                       f"this file is not (remove it with `govrules calendar remove {year}`)"))
    for year, path in [*later, *earlier]:
        try:
            if counts[year] > 1:
                raise InputError(str(path), f"{counts[year]} files for {year} in {path.parent}")
            found = read_year_file(path)
            if found.data.year != year:
                raise InputError(f"{path}: year", f"the file holds {found.data.year}, not {year}")
            schedule = schedule.with_year(found.data, f"{path}: year", found.calendar_source("installed"))
        except InputError as exc:
            years.append(InstalledYear(year, path, "broken", _sha256(path), None, str(exc)))
            continue
        years.append(InstalledYear(year, path, "in use", found.sha256, found.data.source))
    return schedule, years


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(read_bytes(path, _MAX_BYTES, "a holiday-data file")).hexdigest()
    except UnreadableFile:
        return None


def _broken(entry: InstalledYear) -> InstalledCalendarBroken:
    return InstalledCalendarBroken(
        f"the installed holiday data for {entry.year} cannot be used: {entry.problem}. Remove it with "
        f"`govrules calendar remove {entry.year}`, then install a corrected file with `govrules calendar add FILE`"
    )


_changes = 0  # how many times add and remove changed the store in this process


def changes() -> int:
    """A count that add and remove bump: the default calendar, cached by it, is then built anew
    (the store does not reach into the calendar that reads it)."""
    return _changes


def _changed() -> None:
    global _changes
    _changes += 1
