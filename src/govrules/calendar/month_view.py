"""A year as twelve month grids (一 … 日), marking holidays 休 and 调休 working weekends 班, for
`govrules calendar check`. Columns are measured in display width, CJK characters being two wide."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping

from govrules.table import display_width, pad

HOLIDAY, WORKING_WEEKEND, PLAIN = "休", "班", "  "
_CELL = 4  # two digits and a mark two columns wide
_GAP = "    "
LEGEND = f"{HOLIDAY} 法定节假日放假   {WORKING_WEEKEND} 调休上班   六 日 without a mark: weekend rest days"


def month_lines(year: int, month: int, holidays: Mapping[dt.date, str], working: Mapping[dt.date, str]) -> list[str]:
    """One month: its title, the weekday header and a line per week, all the same display width."""
    width = 7 * _CELL + 6
    title = f"{year}年{month}月"
    left = (width - display_width(title)) // 2
    lines = [pad(" " * left + title, width), " ".join(pad(day, _CELL) for day in "一二三四五六日")]
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(" " * _CELL)
                continue
            mark = HOLIDAY if day in holidays else WORKING_WEEKEND if day in working else PLAIN
            cells.append(f"{day.day:>2}{mark}")
        lines.append(" ".join(cells))
    return lines


def year_view(year: int, holidays: Mapping[dt.date, str], working: Mapping[dt.date, str], per_row: int = 2) -> str:
    """The twelve months, ``per_row`` side by side, then the legend."""
    blocks = [month_lines(year, month, holidays, working) for month in range(1, 13)]
    out = []
    for start in range(0, 12, per_row):
        row = blocks[start : start + per_row]
        height = max(len(block) for block in row)
        blank = " " * display_width(row[0][0])
        for i in range(height):
            out.append(_GAP.join(block[i] if i < len(block) else blank for block in row).rstrip())
        out.append("")
    out.append(LEGEND)
    return "\n".join(out) + "\n"
