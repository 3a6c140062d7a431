"""Plain-text tables that line up with Chinese text (CJK characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


# The columns of `govrules evaluate`'s table, whatever the input (JSON or a ledger file).
EVALUATION_HEADERS = ("编号", "规则包", "期限", "状态", "依据", "违规/建议")


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_columns(headers: Sequence[str], columns: Sequence[Sequence[str]]) -> str:
    """A table of columns of cells. Each distinct cell is measured and padded once, so a ledger
    of a million rows (a few hundred distinct dates, statuses, units) costs little."""
    padded = []
    for header, cells in zip(headers, columns):
        distinct = {c: display_width(c) for c in set(cells)}
        width = max([display_width(header), *distinct.values()])
        filled = {c: c + " " * (width - w) for c, w in distinct.items()}
        padded.append([pad(header, width), "-" * width, *(filled[c] for c in cells)])
    return "\n".join("  ".join(line).rstrip() for line in zip(*padded)) + "\n"


def render(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return render_columns(headers, [[row[i] for row in rows] for i in range(len(headers))])
