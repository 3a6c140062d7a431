"""A short Chinese phrase saying which holidays a deadline skipped and which weekends worked."""

from __future__ import annotations

import datetime as dt
from typing import Iterator, Sequence

from govrules.calendar.holiday_names import WEEKDAY_NAMES


def describe(holidays: Sequence[tuple[dt.date, str]], working_weekends: Sequence[tuple[dt.date, str]]) -> str:
    """E.g. "跳过劳动节假期2026-05-01至2026-05-05；2026-05-09(星期六)调休上班", in date order.

    Consecutive holiday days form one break even when they belong to two holidays
    (国庆节 and 中秋节 often share one), and then both names are given.
    """
    phrases: list[tuple[dt.date, str]] = []
    for run in _consecutive_runs(holidays):
        names = "、".join(dict.fromkeys(name for _, name in run))
        first, last = run[0][0], run[-1][0]
        span = f"{first}至{last}" if last != first else f"{first}"
        phrases.append((first, f"跳过{names}假期{span}"))
    for run in _consecutive_runs(working_weekends):
        days = "、".join(f"{day}({WEEKDAY_NAMES[day.weekday()]})" for day, _ in run)
        phrases.append((run[0][0], f"{days}调休上班"))
    return "；".join(text for _, text in sorted(phrases))


def _consecutive_runs(days: Sequence[tuple[dt.date, str]]) -> Iterator[list[tuple[dt.date, str]]]:
    run: list[tuple[dt.date, str]] = []
    for entry in days:
        if run and (entry[0] - run[-1][0]).days != 1:
            yield run
            run = []
        run.append(entry)
    if run:
        yield run
