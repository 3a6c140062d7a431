"""List columns (reports, co_units, approvals …): cells to offsets plus one flat column of items.

The items are read by the same readers as scalar columns, all at once; a bad item is reported
against its row. An Arrow list column is taken whole; a string cell is a JSON array (the CSV
form of examples/generate_ledger.py) or items separated by 、 ; ；.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from govrules.batch.cells import Cells, as_arrow, is_arrow_string, read_scalar
from govrules.batch.columns import Codes, Dates, Index, Lists, Texts
from govrules.batch.problems import Problems
from govrules.batch.schema import Spec

SEPARATORS = "[、;；]"
LIST_EXPECTED = "a list (or items separated by 、 or ;)"


def _split_strings(arr: Any) -> Any:
    """'a、b' -> ['a', 'b']; '' and empty items ('a、') drop out, as in _from_objects."""
    parts = pc.split_pattern_regex(arr, SEPARATORS)
    items = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    owner = np.asarray(pc.list_parent_indices(parts), dtype=np.int64)
    kept = np.asarray(pc.greater(pc.utf8_length(items), 0).fill_null(False), dtype=bool)
    counts = np.bincount(owner[kept], minlength=len(arr))
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), items.filter(pa.array(kept)))


def _from_arrow(arr: Any) -> tuple[Index, Any]:
    lengths = np.asarray(pc.list_value_length(arr).fill_null(0), dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    flat = pc.list_flatten(arr)
    return offsets, pd.Series(flat, dtype=pd.ArrowDtype(flat.type)) if len(flat) else pd.Series([], dtype=object)


def _parse_text(text: str) -> list[Any] | None:
    """A JSON array (the CSV form of examples/generate_ledger.py), or items separated by 、 ; ；."""
    if text.lstrip().startswith("["):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            return None
        return value if isinstance(value, list) else None
    return [part.strip() for part in re.split(SEPARATORS, text) if part.strip()]


def _json_arrays(texts: list[str]) -> list[Any] | None:
    """Many JSON texts parsed as one document (one call into the C parser instead of one per
    cell), or None if that fails and the cells must be parsed one by one to find the bad ones."""
    try:
        parsed: list[Any] = json.loads("[" + ",".join(texts) + "]")
    except (ValueError, RecursionError):
        return None
    return parsed if len(parsed) == len(texts) else None


def _from_objects(cells: Cells) -> tuple[Index, Any, Index]:
    """Cell by cell (an object column): (offsets, items, rows whose cell is not a list)."""
    values = cells.series.tolist()
    given = np.flatnonzero(~cells.empty).tolist()
    texts = [values[i] for i in given if isinstance(values[i], str)]
    if texts and len(texts) == len(given) and all(t.lstrip().startswith("[") for t in texts):
        parsed = _json_arrays(texts)
        if parsed is not None:
            for i, v in zip(given, parsed):
                values[i] = v if isinstance(v, list) else 0  # (0: not a list, reported below)
    lengths = np.zeros(len(values), dtype=np.int64)
    items: list[Any] = []
    bad: list[int] = []
    for i in given:
        v = values[i]
        if isinstance(v, str):
            v = _parse_text(v)
        if not isinstance(v, (list, tuple, np.ndarray)):
            bad.append(i)
            continue
        lengths[i] = len(v)
        items.extend(v)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return offsets, pd.Series(items, dtype=object), np.asarray(bad, dtype=np.int64)


def read_list(cells: Cells, spec: Spec) -> Lists:
    s = cells.series
    bad: Index = np.zeros(0, dtype=np.int64)
    arrow_type = s.dtype.pyarrow_dtype if isinstance(s.dtype, pd.ArrowDtype) else None
    if arrow_type is not None and (pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type)):
        offsets, items = _from_arrow(as_arrow(s))
    elif is_arrow_string(s) and not pc.any(pc.starts_with(pc.utf8_ltrim_whitespace(as_arrow(s)), "[")).as_py():
        offsets, items = _from_arrow(_split_strings(as_arrow(s)))
    else:
        offsets, items, bad = _from_objects(cells)
    cells.bad(bad, LIST_EXPECTED)
    owner = np.repeat(np.arange(len(s), dtype=np.int64), np.diff(offsets))
    item_problems = Problems()
    item_spec = Spec(spec.kind, required=True, domain=spec.domain, max_len=spec.max_len, min_len=spec.min_len)
    item_cells = Cells(items.reset_index(drop=True), np.arange(len(items), dtype=np.int64), cells.name, item_problems)
    column = read_scalar(item_cells, item_spec)
    assert isinstance(column, (Dates, Codes, Texts)), "list items are dates, categories or text"
    missing = np.flatnonzero(item_cells.empty)
    item_problems.add(missing, cells.name, [None] * len(missing), "no empty items")
    for batch in item_problems.batches:
        expected = batch.expected if isinstance(batch.expected, str) else list(batch.expected)
        cells.problems.add(cells.rows[owner[batch.rows]], cells.name, list(batch.values), expected)
    return Lists(offsets, column)
