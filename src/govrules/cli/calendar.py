"""`govrules calendar list | add FILE | check FILE | remove YEAR`: years of holiday data installed
once, which every entry point then knows without --holiday-data (docs/holiday-data.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from typing import Any

from govrules.calendar.builtin_data import chinese_calendar_schedule
from govrules.calendar.installed import (
    DATA_DIR_ENV, CheckedYear, add_year_file, calendar_dir, check_year_file, installed_years, remove_year,
)
from govrules.calendar.month_view import year_view
from govrules.calendar.schedule import CalendarSource
from govrules.table import render

_WEEKDAY = "一二三四五六日"
_FILE_HELP = "a holiday-data file: YAML, or JSON named *.json (docs/holiday-data.md)"


def add_calendar_parser(sub: Any) -> None:
    """The `calendar` command group, on the subparsers of the main parser."""
    p = sub.add_parser("calendar", help="years of holiday data installed once: list, add FILE, check FILE, remove YEAR")
    group = p.add_subparsers(dest="calendar_command", required=True, parser_class=type(p))
    q = group.add_parser("list", help=f"the calendar's years: chinese-calendar's and the installed ones (in ${DATA_DIR_ENV}/calendar or the user data directory)")
    q.add_argument("--format", choices=["table", "json"], default="table", help="json: the package's source and each installed year's file, sha256 and status")
    q.set_defaults(func=cmd_list)
    q = group.add_parser("check", help="check a holiday-data file and show its year as month calendars, without installing it")
    q.add_argument("file", metavar="FILE", help=_FILE_HELP)
    q.set_defaults(func=cmd_check)
    q = group.add_parser("add", help="check a holiday-data file and install it: every entry point then knows its year")
    q.add_argument("file", metavar="FILE", help=_FILE_HELP)
    q.set_defaults(func=cmd_add)
    q = group.add_parser("remove", help="remove an installed year")
    q.add_argument("year", type=int, metavar="YEAR", help="the installed year, e.g. 2027")
    q.set_defaults(func=cmd_remove)


def _describe(source: CalendarSource) -> str:
    if source.kind == "package":
        return f"chinese-calendar {source.version or ''}".rstrip()
    return f"{source.kind} {source.file or ''}".rstrip()


def _known(checked: CheckedYear) -> str:
    first, last = checked.before.known
    return f"{first}-{last} ({', '.join(_describe(s) for s in checked.before.sources)})"


def _summary(checked: CheckedYear, path: str) -> str:
    data = checked.file.data
    year = data.year
    holidays, working = data.holiday_days(), data.working_weekend_days()
    names = Counter(holidays.values())
    breaks = "、".join(f"{name} {count}天" for name, count in names.items())
    on_weekends = sum(day.weekday() >= 5 for day in holidays)
    weekends = "、".join(f"{day.isoformat()}(星期{_WEEKDAY[day.weekday()]}, {name})" for day, name in sorted(working.items())) or "none"
    first, last = checked.after.known
    lines = [
        f"{path}: {year} can be installed",
        f"  source: {data.source}",
        f"  sha256: {checked.file.sha256}",
        "  checked:",
        f"    complete year (complete: true); every date in {year}; no day listed twice",
        f"    {len(data.holidays)} holiday entries, every one named: {breaks}",
        f"    {len(working)} working weekends (调休上班), each a Saturday or Sunday: {weekends}",
        "    every other Saturday and Sunday is a rest day",
        f"    {year} is not known yet and is next to the known years {_known(checked)}: with it, {first}-{last}",
        f"  {year}: {len(holidays)} days off for holidays ({on_weekends} of them on weekends), "
        f"{_workdays(year, holidays, working)} working days",
        "",
    ]
    return "\n".join(lines) + "\n"


def _workdays(year: int, holidays: dict[dt.date, str], working: dict[dt.date, str]) -> int:
    day, count = dt.date(year, 1, 1), 0
    while day.year == year:
        count += day in working or (day.weekday() < 5 and day not in holidays)
        day += dt.timedelta(days=1)
    return count


def cmd_check(args: argparse.Namespace) -> str:
    checked = check_year_file(args.file)
    data = checked.file.data
    return _summary(checked, args.file) + year_view(data.year, data.holiday_days(), data.working_weekend_days())


def cmd_add(args: argparse.Namespace) -> str:
    checked, target = add_year_file(args.file)
    year = checked.file.data.year
    return (f"installed {year} from {args.file} as {target} (sha256 {checked.file.sha256})\n"
            f"every entry point now knows {year} without --holiday-data; a service or stream already "
            f"running must be restarted to see it\n")


def cmd_remove(args: argparse.Namespace) -> str:
    path = remove_year(args.year)
    return f"removed {args.year} ({path}); a service or stream already running keeps it until restarted\n"


def cmd_list(args: argparse.Namespace) -> str:
    package = chinese_calendar_schedule().sources[0]
    years = installed_years()
    if args.format == "json":
        listing = {"directory": str(calendar_dir()), "package": package.to_dict(),
                   "installed": [entry.to_dict() for entry in years]}
        return json.dumps(listing, ensure_ascii=False, indent=2) + "\n"
    rows = [[f"{package.first_year}-{package.last_year}", "in use", _describe(package), "—", "—"]]
    for entry in years:
        status = entry.status if entry.status == "in use" else f"{entry.status}: {entry.problem}"
        rows.append([str(entry.year), status, str(entry.path), entry.sha256 or "—", entry.source or "—"])
    note = "" if years else f"no installed years in {calendar_dir()} (install one with: govrules calendar add FILE)\n"
    return render(["年份", "状态", "来源", "sha256", "依据通知 (source)"], rows) + note
