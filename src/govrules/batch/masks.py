"""The condition algebra compiled to numpy masks over a table's columns.

all / any / not become & | ~. Each comparison is decided by the reference's own predicate
(``compile_predicate``) applied once per *distinct* value of its column (a category's few
values, a date column's distinct days), then spread to the rows by indexing: the same leaf
semantics as the reference by construction (None compares as it does there), at numpy speed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Codes, Column, Counts, Dates, Flags, Lists, Mask, Table, Texts, day_value
from govrules.packs.conditions import All, Any_, Compare, Condition, compile_predicate, walk


class Unsupported(Exception):
    """A comparison the vector path does not compile; its rows go to the reference evaluator."""


def _over(values: Sequence[Any], cmp: Compare) -> Mask:
    """The reference predicate over a few distinct values."""
    pred: Callable[[Any], bool] = compile_predicate(cmp)
    try:
        return np.array([bool(pred(SimpleNamespace(**{cmp.field: v}))) for v in values], dtype=bool)
    except TypeError as exc:  # e.g. a date ordered against a number: Python refuses it
        raise Unsupported(f"{cmp.field} {cmp.operator} {cmp.operand!r}: {exc}") from None


def _leaf(col: Column, cmp: Compare, size: int) -> Mask:
    op = cmp.operator
    if isinstance(col, Lists):
        if op == "is_empty":
            empty: Mask = col.lengths() == 0
            return empty if cmp.operand else ~empty
        if op != "contains" or isinstance(col.items, Texts):
            raise Unsupported(f"{op} on the list {cmp.field}")
        # contains v: a row holds an item equal to v
        hit = _leaf(col.items, Compare.model_validate({"field": cmp.field, "eq": cmp.operand}), len(col.items.values))
        return np.bincount(col.owner()[hit], minlength=size) > 0
    if op == "is_null":
        return col.null() if cmp.operand else ~col.null()
    if op in ("is_empty", "contains"):
        raise Unsupported(f"{op} on the scalar {cmp.field}")
    if isinstance(col, Codes):
        return _over([*col.domain, None], cmp)[col.values]  # code -1 reads None
    if isinstance(col, Flags):
        return _over([False, True], cmp)[col.values.astype(np.int64)]
    if isinstance(col, Dates):
        distinct, inverse = np.unique(col.values, return_inverse=True)
        return _over([day_value(d) for d in distinct], cmp)[inverse.ravel()]
    if isinstance(col, Counts):
        values = np.where(col.missing, -1, col.values)
        distinct, inverse = np.unique(values, return_inverse=True)
        return _over([None if v < 0 else int(v) for v in distinct], cmp)[inverse.ravel()]
    raise Unsupported(f"{op} on the text {cmp.field}")


MAX_COMBINATIONS = 1 << 16


def _null_column(col: Column, absent: Mask) -> Column:
    """A stand-in column for a field the conditions only test for emptiness."""
    k = len(absent)
    if isinstance(col, Dates):
        return Dates(np.where(absent, np.datetime64("NaT", "D"), np.datetime64("2000-01-01", "D")))
    if isinstance(col, Counts):
        return Counts(np.zeros(k, dtype=np.int64), absent)
    if isinstance(col, Texts):
        return Texts(np.full(k, "", dtype=object), absent)
    assert isinstance(col, Lists)  # a list is never None: only the all-present stand-in occurs
    return Lists(np.zeros(k + 1, dtype=np.int64), col.items)


class Masks:
    """Masks of one table, each comparison computed once however many rules share it."""

    def __init__(self, table: Table, extension_field: bool = True) -> None:
        self.table = table
        self._memo: dict[str, Mask] = {}
        self._extension = extension_field and "extension_requested_on" in table.columns

    def column(self, name: str) -> Column:
        if name == "extension" and self._extension:
            return self.table.columns["extension_requested_on"]  # given iff an extension is
        col = self.table.columns.get(name)
        if col is None:
            raise Unsupported(f"{self.table.case_type} has no column {name}")
        return col

    def _finite(self, conds: list[Condition]) -> dict[str, int] | None:
        """The columns the conditions read -> how many values each can take there (a category's
        values and None, true/false, or only empty/given), or None if some comparison reads more."""
        sizes: dict[str, int] = {}
        for cond in conds:
            for cmp in walk(cond):
                if cmp.field == "extension" and cmp.operator != "is_null":
                    return None
                name = "extension_requested_on" if cmp.field == "extension" and self._extension else cmp.field
                col = self.column(cmp.field)
                if isinstance(col, Codes):
                    sizes[name] = len(col.domain) + 1
                elif isinstance(col, Flags):
                    sizes[name] = 2
                elif cmp.operator == "is_null" and not isinstance(col, Lists):
                    sizes[name] = 2
                else:
                    return None
        return sizes

    def first_match(self, conds: list[Condition | None]) -> npt.NDArray[np.int16]:
        """Per row, the index of the first condition that holds, -1 if none.

        Where the conditions read only a few values per column (categories, flags, emptiness),
        they are compiled over every combination of those values, a small table, and each row
        looks its combination up: one gather instead of a mask per condition.
        """
        present = [c for c in conds if c is not None]
        sizes = self._finite(present)
        total = int(np.prod(list(sizes.values()))) if sizes else 1
        if sizes is None or total > MAX_COMBINATIONS:
            return self._first_by_masks(conds)
        key = np.zeros(len(self.table), dtype=np.int64)
        combo = np.arange(total, dtype=np.int64)
        stand_in: dict[str, Column] = {}
        stride = total
        for name, size in sizes.items():
            col = self.table.columns[name]
            stride //= size
            if isinstance(col, Codes):
                key += (col.values.astype(np.int64) + 1) * stride
                stand_in[name] = Codes(((combo // stride) % size - 1).astype(np.int16), col.domain)
            elif isinstance(col, Flags):
                key += col.values * stride
                stand_in[name] = Flags(((combo // stride) % size).astype(bool))
            else:
                key += col.null() * stride
                stand_in[name] = _null_column(col, ((combo // stride) % size).astype(bool))
        small = Masks(Table(self.table.case_type, combo, stand_in), self._extension)
        return small._first_by_masks(conds)[key]

    def _first_by_masks(self, conds: list[Condition | None]) -> npt.NDArray[np.int16]:
        """The masks applied from the last condition to the first, so that earlier ones win."""
        choice = np.full(len(self.table), -1, dtype=np.int16)
        for k in range(len(conds) - 1, -1, -1):
            choice = np.where(self.of(conds[k]), np.int16(k), choice)
        return choice

    def of(self, cond: Condition | None) -> Mask:
        size = len(self.table)
        if cond is None:
            return np.ones(size, dtype=bool)
        if isinstance(cond, Compare):
            key = cond.model_dump_json(by_alias=True)
            if key not in self._memo:
                if cond.field == "extension" and cond.operator != "is_null":
                    raise Unsupported("only is_null on extension")
                self._memo[key] = _leaf(self.column(cond.field), cond, size)
            return self._memo[key]
        if isinstance(cond, All):
            out = np.ones(size, dtype=bool)
            for part in cond.all:
                out = out & self.of(part)
            return out
        if isinstance(cond, Any_):
            out = np.zeros(size, dtype=bool)
            for part in cond.any:
                out = out | self.of(part)
            return out
        return ~self.of(cond.not_)
