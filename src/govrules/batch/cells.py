"""One pandas column to one typed column, with every bad cell reported.

Each reader takes the common dtypes whole (datetime64 and Arrow dates, bools, ints, Arrow
strings, categoricals) and looks at cells one by one only where the dtype cannot say (object
columns of mixed values) or a cell it did not accept needs the models' own parser for its
message: a clean ledger of typed columns never loops in Python. An empty cell (None, NaN, NaT,
<NA>) means the field was not given: the model's default, or a missing required field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]

from govrules.batch.columns import Codes, Counts, Dates, Flags, Index, Mask, Texts
from govrules.batch.isodates import EARLIEST_DAY, LATEST_DAY, iso_days
from govrules.batch.problems import Problems
from govrules.batch.schema import Spec
from govrules.models.categories import to_simplified
from govrules.models.dates import parse_iso_date

DATE_EXPECTED = "a date as YYYY-MM-DD from 1900-01-01 to 2200-12-31"


class Cells:
    """A column of one case type's rows: the values, which are empty, and where they sit."""

    def __init__(self, series: Any, rows: Index, name: str, problems: Problems) -> None:
        self.series, self.rows, self.name, self.problems = series, rows, name, problems
        self.empty: Mask = np.asarray(series.isna(), dtype=bool)

    def bad(self, where: Mask | Index, expected: str | list[str]) -> None:
        idx = np.flatnonzero(where) if np.asarray(where).dtype == bool else np.asarray(where)
        values = [self.series.iat[int(i)] for i in idx]
        self.problems.add(self.rows[idx], self.name, values, expected)

    def objects(self, idx: Index) -> list[Any]:
        return [self.series.iat[int(i)] for i in idx]


def is_arrow_string(series: Any) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return bool(pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype))
    return isinstance(dtype, pd.StringDtype)


def as_arrow(series: Any) -> Any:
    """A single-chunk pyarrow Array of the column."""
    arr = pa.array(series, from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _each(cells: Cells, idx: Index, parse: Callable[[Any], Any]) -> tuple[list[Any], Index]:
    """Cell by cell, for the rows the vectorised paths could not accept: (values, bad rows)."""
    values, bad = [], []
    for i, v in zip(idx.tolist(), cells.objects(idx)):
        try:
            values.append(parse(v))
        except (ValueError, TypeError):
            values.append(None)
            bad.append(i)
    return values, np.asarray(bad, dtype=np.int64)


# -- dates ------------------------------------------------------------------------------------


def _one_date(value: Any) -> date:
    """The models' parser, plus the forms pandas holds dates in: a midnight Timestamp or datetime64."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None or value != datetime(value.year, value.month, value.day):
            raise ValueError("a date, not a time of day")
        value = value.date()
    day = parse_iso_date(value)
    if not EARLIEST_DAY <= np.datetime64(day, "D") <= LATEST_DAY:
        raise ValueError("outside 1900-2200")
    return day


def _arrow_temporal(s: Any) -> np.ndarray[Any, np.dtype[np.datetime64]] | None:
    """An Arrow date or naive timestamp column as numpy datetime64 (NaT for nulls), without Python."""
    if not isinstance(s.dtype, pd.ArrowDtype):
        return None
    kind = s.dtype.pyarrow_dtype
    arr = as_arrow(s)
    if pa.types.is_date32(kind):
        values = np.asarray(arr.cast(pa.int32()).fill_null(0), dtype=np.int64).astype("datetime64[D]")
    elif pa.types.is_timestamp(kind) and kind.tz is None:
        values = np.asarray(arr.cast(pa.int64()).fill_null(0), dtype=np.int64).astype(f"datetime64[{kind.unit}]")
    else:
        return None
    return np.where(np.asarray(arr.is_null()), np.datetime64("NaT"), values)


def _plain_days(stamps: np.ndarray[Any, Any]) -> np.ndarray[Any, Any] | None:
    """The days of a datetime64 column whose every stamp is a midnight from 1900 to 2200 (NaT
    allowed): the usual column, read without masks. None if some stamp is not such a day."""
    days = stamps.astype("datetime64[D]")
    if not len(days):
        return days  # no rows: nothing to check (and a reduction of nothing has no identity)
    low, high = np.fmin.reduce(days), np.fmax.reduce(days)  # fmin/fmax skip NaT
    if np.isnat(low):
        return days  # all empty
    if not (EARLIEST_DAY <= low and high <= LATEST_DAY):
        return None
    # midnights convert back unchanged: compare as integers, NaT (the same on both sides) included
    if stamps.dtype != days.dtype and not np.array_equal(days.astype(stamps.dtype).view(np.int64), stamps.view(np.int64)):
        return None
    return days


def read_dates(cells: Cells) -> Dates:
    s, n = cells.series, len(cells.series)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    todo = ~cells.empty  # cells still to read
    stamps = _arrow_temporal(s)
    if stamps is None and pd.api.types.is_datetime64_dtype(s.dtype):
        stamps = s.to_numpy()
    if stamps is not None:
        plain = _plain_days(stamps)
        if plain is not None:
            return Dates(plain)  # the usual column: midnights within range, so nothing to mask
        days = stamps.astype("datetime64[D]")
        whole = (stamps == days) & (days >= EARLIEST_DAY) & (days <= LATEST_DAY)
        out[todo & whole] = days[todo & whole]
        todo &= ~whole
    elif is_arrow_string(s) or (s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) == "string"):
        days, accepted = iso_days(as_arrow(s))
        out[accepted] = days[accepted]
        todo &= ~accepted
    elif s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) == "date":
        idx = np.flatnonzero(todo)
        days = np.array(cells.objects(idx), dtype="datetime64[D]")
        inside = (days >= EARLIEST_DAY) & (days <= LATEST_DAY)
        out[idx[inside]] = days[inside]
        todo[idx[inside]] = False
    idx = np.flatnonzero(todo)
    values, bad = _each(cells, idx, _one_date)
    good = np.setdiff1d(idx, bad, assume_unique=True)
    if len(good):
        out[good] = np.array([v for v in values if v is not None], dtype="datetime64[D]")
    cells.bad(bad, DATE_EXPECTED)
    return Dates(out)


# -- flags and counts -------------------------------------------------------------------------


def _one_flag(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError("not a bool")


def read_flags(cells: Cells, default: bool) -> Flags:
    s = cells.series
    if pd.api.types.is_bool_dtype(s.dtype):
        return Flags(s.to_numpy(dtype=bool, na_value=default))
    out = np.full(len(s), default, dtype=bool)
    idx = np.flatnonzero(~cells.empty)
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) == "boolean":
        out[idx] = s.to_numpy(dtype=object)[idx].astype(bool)
        return Flags(out)
    parsed, bad = _each(cells, idx, _one_flag)
    for i, v in zip(idx.tolist(), parsed):
        if v is not None:
            out[i] = v
    cells.bad(bad, "true or false")
    return Flags(out)


def _one_count(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError("a bool is not a count")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    raise ValueError("not an integer")


def read_counts(cells: Cells, bounds: tuple[int, int]) -> Counts:
    s = cells.series
    expected = f"a whole number from {bounds[0]} to {bounds[1]}"
    values = np.zeros(len(s), dtype=np.int64)
    todo = ~cells.empty
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
        raw = s.to_numpy(dtype=np.float64, na_value=np.nan)
        whole = todo & (np.floor(raw) == raw) & (raw >= bounds[0]) & (raw <= bounds[1])
        values[whole] = raw[whole].astype(np.int64)
        todo &= ~whole
    idx = np.flatnonzero(todo)
    parsed, bad = _each(cells, idx, _one_count)
    for i, v in zip(idx.tolist(), parsed):
        if v is not None and bounds[0] <= v <= bounds[1]:
            values[i] = v
        elif v is not None:
            bad = np.append(bad, i)
    cells.bad(np.sort(bad), expected)
    return Counts(values, cells.empty.copy())


# -- categories and text ----------------------------------------------------------------------


def _factorize(s: Any) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """(codes with -1 for an empty cell, distinct values)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return np.asarray(s.cat.codes, dtype=np.int64), list(s.cat.categories)
    if is_arrow_string(s):  # Arrow's own hashing, without pandas' wrapping of it
        encoded = as_arrow(s).dictionary_encode()
        return np.asarray(encoded.indices.fill_null(-1), dtype=np.int64), encoded.dictionary.to_pylist()
    raw_codes, raw_uniques = pd.factorize(s, use_na_sentinel=True)
    return np.asarray(raw_codes, dtype=np.int64), list(raw_uniques)


def read_codes(cells: Cells, spec: Spec) -> Codes:
    """Factorise, then check each distinct value once, in traditional or simplified characters."""
    domain = spec.domain
    codes, uniques = _factorize(cells.series)
    lookup = np.full(len(uniques) + 1, -1, dtype=np.int16)  # last entry: an empty cell
    unknown = np.zeros(len(uniques) + 1, dtype=bool)
    for k, value in enumerate(uniques):
        if isinstance(value, str) and value in domain:  # the values are fixed points of t2s (tested)
            lookup[k] = domain.index(value)
            continue
        simplified = to_simplified(value) if isinstance(value, str) else value
        if isinstance(simplified, str) and simplified in domain:
            lookup[k] = domain.index(simplified)
        else:
            unknown[k] = True
    if spec.default is not None:
        lookup[-1] = domain.index(str(spec.default))
    values = lookup[codes]  # codes of -1 read the last entry
    if unknown.any():
        cells.bad(unknown[codes], "one of " + "、".join(domain))
    return Codes(values, domain)


def _utf8_bytes(arr: Any) -> npt.NDArray[np.int64]:
    """Each string's length in bytes, from the offsets buffer (nulls read as 0 or more; they are
    masked by the caller)."""
    offsets_buf = arr.buffers()[1]
    wide = str(arr.type).startswith("large")
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)[arr.offset : arr.offset + len(arr) + 1]
    return np.diff(offsets).astype(np.int64, copy=False)


def read_texts(cells: Cells, spec: Spec) -> Texts:
    s = cells.series
    expected = f"text of {spec.min_len} to {spec.max_len} characters"
    if is_arrow_string(s) or (s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")):
        arr = as_arrow(s.astype(object) if s.dtype == object else s) if len(s) else pa.array([], pa.string())
        if len(s) and pa.types.is_null(arr.type):
            arr = arr.cast(pa.string())
        size = _utf8_bytes(arr)
        # a character is 1 to 4 bytes: only cells with more bytes than max_len need counting
        doubtful = np.flatnonzero(~cells.empty & ((size < 4 * spec.min_len) | (size > spec.max_len)))
        if len(doubtful):
            chars = np.asarray(pa.compute.utf8_length(arr.take(pa.array(doubtful))))
            cells.bad(doubtful[(chars < spec.min_len) | (chars > spec.max_len)], expected)
    else:
        given = np.flatnonzero(~cells.empty)
        wrong = np.array([not isinstance(v, str) or not spec.min_len <= len(v) <= spec.max_len
                          for v in cells.objects(given)], dtype=bool)
        cells.bad(given[wrong], expected)
    return Texts(s.array, cells.empty.copy())


def read_scalar(cells: Cells, spec: Spec) -> Dates | Flags | Counts | Codes | Texts:
    if spec.kind == "date":
        return read_dates(cells)
    if spec.kind == "flag":
        return read_flags(cells, bool(spec.default))
    if spec.kind == "count":
        return read_counts(cells, spec.bounds)
    if spec.kind == "category":
        return read_codes(cells, spec)
    return read_texts(cells, spec)
