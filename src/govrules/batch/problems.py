"""Bad rows, all of them at once: each problem names the row, the column, the value and what
was expected, so that a clerk can fix a ledger in one pass instead of one error per run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from govrules.errors import InputError, excerpt, shorten

# A frame-level problem (an unknown column, a column given twice) has no row.
NO_ROW = -1
SHOWN = 5  # problems quoted in an error message; the rest are in .problems


@dataclass(frozen=True)
class Batch:
    """Problems of one kind found by one vectorised check: the rows share column and expectation."""

    rows: npt.NDArray[np.int64]
    column: str
    values: Sequence[Any]  # one per row
    expected: str | Sequence[str]  # one for all rows, or one per row


@dataclass
class Problems:
    batches: list[Batch] = field(default_factory=list)

    def add(self, rows: npt.ArrayLike, column: str, values: Sequence[Any], expected: str | Sequence[str]) -> None:
        positions = np.asarray(rows, dtype=np.int64)
        if len(positions):
            self.batches.append(Batch(positions, column, values, expected))

    def frame_level(self, column: str, value: object, expected: str) -> None:
        self.add([NO_ROW], column, [value], expected)

    def __bool__(self) -> bool:
        return bool(self.batches)

    def rows(self) -> npt.NDArray[np.int64]:
        """The distinct bad rows (positions in the frame), ascending."""
        if not self.batches:
            return np.zeros(0, dtype=np.int64)
        found: npt.NDArray[np.int64] = np.unique(np.concatenate([b.rows for b in self.batches]))
        rows: npt.NDArray[np.int64] = found[found != NO_ROW]
        return rows

    def has_frame_level(self) -> bool:
        return any(bool((b.rows == NO_ROW).any()) for b in self.batches)

    def records(self) -> list[tuple[int, str, Any, str]]:
        """(row, column, value, expected), ordered by row, then by the order they were found; a
        long text value or column name (input, e.g. a 66-million-character cell) cut to an excerpt."""
        out: list[tuple[int, int, str, Any, str]] = []
        for order, b in enumerate(self.batches):
            for k, row in enumerate(b.rows.tolist()):
                expected = b.expected if isinstance(b.expected, str) else b.expected[k]
                out.append((row, order, str(shorten(b.column)), shorten(b.values[k]), expected))
        out.sort(key=lambda r: (r[0], r[1]))
        return [(row, column, value, expected) for row, _, column, value, expected in out]


class FrameError(InputError):
    """A ledger frame has bad rows (or columns); nothing was evaluated.

    ``problems`` is a DataFrame with one line per problem: ``row`` (position in the frame, -1 for
    a problem of the whole frame), ``index`` (the frame's index label), ``id``, ``column``,
    ``value`` and ``expected``.
    """

    def __init__(self, problems: Any, total_rows: int) -> None:
        self.problems, self.total_rows = problems, total_rows
        bad = problems["row"][problems["row"] >= 0].nunique()
        lines = []
        for rec in problems.head(SHOWN).itertuples(index=False):
            where = "frame" if rec.row < 0 else f"row {rec.row}" + (f" (id {rec.id})" if isinstance(rec.id, str) else "")
            lines.append(f"{where}: {rec.column}: got {excerpt(rec.value)}; expected {rec.expected}")
        more = len(problems) - SHOWN
        tail = f"; … and {more} more (see .problems)" if more > 0 else ""
        super().__init__("frame", f"{len(problems)} problem(s) in {bad} of {total_rows} rows: " + "; ".join(lines) + tail)

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from what it was made of, so it crosses process boundaries (process pools, Dask)
        return (type(self), (self.problems, self.total_rows))
