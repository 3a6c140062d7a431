"""Typed columns: what a validated ledger is made of, one numpy array per field.

Every column answers ``value(i)``, the Python value the models would hold for row ``i``, so that
the rows the vector path leaves to the reference evaluator can be rebuilt as models exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Union

import numpy as np
import numpy.typing as npt

Mask = npt.NDArray[np.bool_]
Days = npt.NDArray[np.datetime64]  # datetime64[D], NaT for an empty cell
Index = npt.NDArray[np.int64]


def day_value(day: np.datetime64) -> date | None:
    value: date | None = None if np.isnat(day) else day.astype("datetime64[D]").item()
    return value


@dataclass(frozen=True)
class Dates:
    values: Days

    def null(self) -> Mask:
        return np.isnat(self.values)

    def value(self, i: int) -> date | None:
        return day_value(self.values[i])

    def take(self, idx: Index) -> Dates:
        return Dates(self.values[idx])


@dataclass(frozen=True)
class Flags:
    values: Mask

    def null(self) -> Mask:
        return np.zeros(len(self.values), dtype=bool)

    def value(self, i: int) -> bool:
        return bool(self.values[i])

    def take(self, idx: Index) -> Flags:
        return Flags(self.values[idx])


@dataclass(frozen=True)
class Counts:
    values: npt.NDArray[np.int64]
    missing: Mask

    def null(self) -> Mask:
        return self.missing

    def value(self, i: int) -> int | None:
        return None if self.missing[i] else int(self.values[i])

    def take(self, idx: Index) -> Counts:
        return Counts(self.values[idx], self.missing[idx])


@dataclass(frozen=True)
class Codes:
    """Category values as indexes into ``domain`` (simplified Chinese); -1 for an empty cell."""

    values: npt.NDArray[np.int16]
    domain: tuple[str, ...]

    def null(self) -> Mask:
        return self.values < 0

    def value(self, i: int) -> str | None:
        code = int(self.values[i])
        return None if code < 0 else self.domain[code]

    def take(self, idx: Index) -> Codes:
        return Codes(self.values[idx], self.domain)


@dataclass(frozen=True)
class Texts:
    """Free text (ids, unit names) stays in its source array: the vector path needs only which
    cells are empty, and materialising a million Python strings would cost more than the rest."""

    source: Any  # a 1-d array-like indexable by position (numpy or pandas array)
    missing: Mask

    def null(self) -> Mask:
        return self.missing

    def value(self, i: int) -> str | None:
        return None if self.missing[i] else str(self.source[i])

    def take(self, idx: Index) -> Texts:
        return Texts(self.source[idx], self.missing[idx])


Items = Union[Dates, Codes, Texts]


@dataclass(frozen=True)
class Lists:
    """Row i holds ``items[offsets[i]:offsets[i + 1]]``; an empty cell is an empty list."""

    offsets: Index
    items: Items

    def null(self) -> Mask:
        return np.zeros(len(self.offsets) - 1, dtype=bool)

    @cached_property
    def _lengths(self) -> Index:
        return np.diff(self.offsets)

    def lengths(self) -> Index:
        return self._lengths

    @cached_property
    def _owner(self) -> Index:
        return np.repeat(np.arange(len(self.offsets) - 1, dtype=np.int64), self.lengths())

    def owner(self) -> Index:
        """The row of each item (made once: every recurring-report rule asks for it)."""
        return self._owner

    @cached_property
    def earliest(self) -> Days:
        """Each row's earliest date (NaT for an empty list); for a list of dates."""
        assert isinstance(self.items, Dates)
        out = np.full(len(self.offsets) - 1, np.datetime64("NaT"), dtype="datetime64[D]")
        rows = np.flatnonzero(self.lengths() > 0)
        if len(rows):
            values = self.items.values.view(np.int64)
            out[rows] = np.minimum.reduceat(values, self.offsets[rows]).view("datetime64[D]")
        return out

    def value(self, i: int) -> tuple[Any, ...]:
        return tuple(self.items.value(k) for k in range(int(self.offsets[i]), int(self.offsets[i + 1])))

    def take(self, idx: Index) -> Lists:
        lengths = self.lengths()[idx]
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        starts = self.offsets[idx]
        # each kept item's position in the old items: its row's old start plus its rank in the row
        rank = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(offsets[:-1], lengths)
        return Lists(offsets, self.items.take(np.repeat(starts, lengths) + rank))


Column = Union[Dates, Flags, Counts, Codes, Texts, Lists]


@dataclass(frozen=True)
class Table:
    """The rows of one case type: ``rows`` are their positions in the frame."""

    case_type: str
    rows: Index
    columns: dict[str, Column]

    def __len__(self) -> int:
        return len(self.rows)

    def take(self, idx: Index) -> Table:
        return Table(self.case_type, self.rows[idx], {k: c.take(idx) for k, c in self.columns.items()})
