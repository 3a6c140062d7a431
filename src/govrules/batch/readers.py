"""Ledger files (CSV, Excel, Parquet) read into the frames ``evaluate_frame`` takes.

Cells are kept as written: a CSV is read with every column as text (an id ``007`` stays
``007``, a date stays ``2026-05-08``), and an empty cell is a field not given. Only the columns
the interchange contract makes true/false (``complex``, ``approved`` …) or whole numbers
(``attendees``, ``char_count``) are turned into booleans and integers, because the frame takes
those as typed values; a cell that is neither is left as written, so that ``evaluate_frame``
reports it with its row. Dates, categories and lists (a JSON array, or items separated by 、 or
;) are read by ``evaluate_frame`` itself. A file that cannot be read at all raises one
``InputError`` naming the file and what was expected.
"""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
import pyarrow.json as pa_json  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from govrules.batch.schema import CASE_TYPES, COLUMNS, Kind, column_names
from govrules.errors import InputError, excerpt, shorten
from govrules.json_reader import JsonRefused, decode_utf8
from govrules.textfile import size_refusal

LEDGER_SUFFIXES = (".csv", ".xlsx", ".parquet")
# A million-row CSV is ~150 MB; these bound what one file may make the reader hold in memory. A
# workbook is a zip: its limit is lower, for what it unpacks to is many times its size.
MAX_LEDGER_BYTES = 2 * 1024**3
MAX_WORKBOOK_BYTES = 200 * 1024**2
# how much of a reader library's own message is shown (it may quote a whole row)
_LIBRARY_MESSAGE_CHARS = 200
EXPECTED_FILE = "a ledger file: .csv (UTF-8), .xlsx or .parquet"
Path_ = str | os.PathLike[str]


def _names_of(kind: Kind) -> frozenset[str]:
    """Every column name (English or Chinese, of any case type) of a scalar field of ``kind``."""
    return frozenset(name for t in CASE_TYPES for field, names in column_names(t).items()
                     if field in COLUMNS[t] and COLUMNS[t][field].kind == kind and not COLUMNS[t][field].listed
                     for name in names)


FLAG_COLUMNS = _names_of("flag")
COUNT_COLUMNS = _names_of("count")
TEXT_COLUMNS = _names_of("text")
LIST_COLUMNS = frozenset(name for t in CASE_TYPES for field, names in column_names(t).items()
                         if field in COLUMNS[t] and COLUMNS[t][field].listed for name in names)
TRUE, FALSE = "true", "false"


# -- typed columns from text ------------------------------------------------------------------


def _flag_from_text(arr: Any) -> Any:
    """true/false (any case) as booleans; None if some cell is something else."""
    lower = pc.utf8_lower(arr)
    is_true, is_false = pc.equal(lower, TRUE), pc.equal(lower, FALSE)
    if pc.all(pc.or_(is_true, is_false)).as_py() is False:
        return None
    return pc.if_else(is_true, True, False)  # nulls stay null


def _count_from_text(arr: Any) -> Any:
    """Whole numbers as int64; None if some cell is something else."""
    trimmed = pc.utf8_trim_whitespace(arr)
    if pc.all(pc.match_substring_regex(trimmed, r"^[+-]?[0-9]{1,18}$")).as_py() is False:
        return None
    return pc.cast(trimmed, pa.int64())


def _json_lists(arr: Any) -> Any:
    """A column whose every cell is a JSON array of strings (the CSV form of
    examples/generate_ledger.py) as an Arrow list column, parsed by Arrow's JSON reader in one
    pass over the cells given; None if some cell is not, and the frame then reads (and reports)
    cell by cell."""
    given = arr.drop_null()
    if not pc.all(pc.starts_with(pc.utf8_ltrim_whitespace(given), "[")).as_py():
        return None
    lines = pc.binary_join_element_wise('{"v":', given, "}\n", "")  # one JSON line per cell
    _, offsets, data = lines.buffers()
    wide = pa.types.is_large_string(lines.type)
    ends = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)[lines.offset : lines.offset + len(lines) + 1]
    options = pa_json.ParseOptions(explicit_schema=pa.schema([("v", pa.list_(pa.string()))]),
                                   unexpected_field_behavior="error", newlines_in_values=True)
    try:
        table = pa_json.read_json(pa.BufferReader(pa.py_buffer(memoryview(data)[int(ends[0]) : int(ends[-1])])),
                                  parse_options=options)
    except pa.ArrowInvalid:
        return None
    parsed = table.column(0).combine_chunks()
    if len(parsed) != len(given) or parsed.null_count:
        return None
    # back in place: an empty cell is a null list, the others hold their items
    lengths = np.zeros(len(arr), dtype=np.int32)
    present = np.asarray(arr.is_valid(), dtype=bool)
    lengths[present] = np.asarray(pc.list_value_length(parsed), dtype=np.int32)
    starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(starts), pc.list_flatten(parsed), mask=pa.array(~present))


def _one_flag(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in (TRUE, FALSE):
        return value.lower() == TRUE
    return value


def _one_count(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _one_text(value: Any) -> Any:
    """A number in a text column (a spreadsheet's cell typed as a number) as the text it shows."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _typed_text_column(name: str, arr: Any) -> Any:
    """A text column of a CSV or Parquet file as the frame takes it."""
    if name in LIST_COLUMNS and len(arr) and arr.null_count < len(arr):
        lists = _json_lists(arr)
        if lists is not None:
            return pd.array(lists, dtype=pd.ArrowDtype(lists.type))
    convert: Callable[[Any], Any] | None = None
    if name in FLAG_COLUMNS:
        convert, one = _flag_from_text, _one_flag
    elif name in COUNT_COLUMNS:
        convert, one = _count_from_text, _one_count
    if convert is None:
        return pd.array(arr, dtype=pd.ArrowDtype(arr.type))
    typed = convert(arr)
    if typed is not None:
        return pd.array(typed, dtype=pd.ArrowDtype(typed.type))
    # some cell is neither: keep it as written beside the others, for evaluate_frame to report
    return pd.array([None if v is None else one(v) for v in arr.to_pylist()], dtype=object)


def _check_header(where: str, names: list[str]) -> None:
    """A name given twice is refused here: which of the two columns holds the field is for the
    clerk to say, and a frame cannot tell them apart."""
    seen: dict[str, int] = {}
    for k, name in enumerate(names, 1):
        if name in seen:
            raise InputError(where, f"column {excerpt(name)} appears twice (columns {seen[name]} and {k} of the header); "
                                    "expected each column once")
        seen[name] = k


def _frame_from_arrow(where: str, table: Any) -> Any:
    _check_header(where, list(table.column_names))
    columns: dict[int, Any] = {}
    for k, (name, chunked) in enumerate(zip(table.column_names, table.columns)):
        arr = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            columns[k] = _typed_text_column(name, arr)
        else:
            columns[k] = pd.array(arr, dtype=pd.ArrowDtype(arr.type))
    frame = pd.DataFrame(columns)
    frame.columns = list(table.column_names)
    return frame


# -- the formats ------------------------------------------------------------------------------


def _check_exists(path: Path, limit: int | None = None) -> None:
    """The file exists and is at most ``limit`` bytes (MAX_LEDGER_BYTES unless given)."""
    limit = MAX_LEDGER_BYTES if limit is None else limit
    if not path.exists():
        raise InputError(str(path), f"no such file; expected {EXPECTED_FILE}")
    if not path.is_file():
        raise InputError(str(path), f"not a file; expected {EXPECTED_FILE}")
    size = path.stat().st_size
    if size > limit:
        raise InputError(str(path), size_refusal(size, limit, "the file"))


def _said(exc: BaseException) -> str:
    """A reader library's message, cut: Arrow's and openpyxl's may quote a whole row."""
    return str(shorten(str(exc), _LIBRARY_MESSAGE_CHARS))


def _not_utf8(path: Path) -> InputError | None:
    """Where the file stops being UTF-8 (``file:line:col``, as the JSON reader says it), in a way
    a clerk can act on, or None if it is UTF-8."""
    data = path.read_bytes()
    try:
        decode_utf8(str(path), data)
    except JsonRefused as exc:
        try:
            data.decode("gb18030")
            hint = " (it reads as GBK/GB18030: save it as \"CSV UTF-8\")"
        except UnicodeDecodeError:
            hint = ""
        found = exc.problem.removesuffix("; expected UTF-8 text")
        return InputError(exc.where, f"{found}{hint}; expected a CSV ledger in UTF-8")
    return None


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
    except UnicodeDecodeError:
        raise _not_utf8(path) or InputError(str(path), "not UTF-8 text") from None
    except csv.Error as exc:
        raise InputError(f"{path}: line 1", f"not a CSV header row ({_said(exc)})") from None
    if not header or not any(h.strip() for h in header):
        raise InputError(str(path), "empty; expected a header row naming the columns (type, id, …) and one row per case")
    return header


def read_csv(path: Path_) -> Any:
    """A CSV ledger (UTF-8, with or without BOM, header row first) with every cell as written."""
    path = Path(path)
    _check_exists(path)
    header = _csv_header(path)
    options = pa_csv.ConvertOptions(column_types={name: pa.string() for name in header},
                                    null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True)
    try:
        # a document's text may span lines; allowing that costs some speed, refusing it would
        # misread such a ledger
        table = pa_csv.read_csv(path, parse_options=pa_csv.ParseOptions(newlines_in_values=True),
                                convert_options=options)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc):
            raise _not_utf8(path) or InputError(str(path), "not UTF-8 text") from None
        raise InputError(str(path), f"not a readable CSV ({_said(exc)}); expected a header row, then one row per "
                                    "case with as many cells as the header has columns") from None
    return _frame_from_arrow(str(path), table)


def _excel_header(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)


def _excel_columns(where: str, raw: Any) -> Any:
    """A sheet read as Python values (header row first): empty cells None, flags and counts
    typed, numbers in text columns as text; each column as an Arrow column where its values
    allow (the fast paths of evaluate_frame)."""
    if not len(raw):
        raise InputError(where, "empty sheet; expected a header row naming the columns (type, id, …) and one row per case")
    names = [_excel_header(c) for c in raw.iloc[0].tolist()]
    while names and names[-1] == "" and raw.iloc[1:, len(names) - 1].isin(["", None]).all():
        names.pop()  # a trailing column with neither name nor cells: Excel's, not the clerk's
    _check_header(where, names)
    out: dict[int, Any] = {}
    for k, name in enumerate(names):
        one = _one_flag if name in FLAG_COLUMNS else _one_count if name in COUNT_COLUMNS \
            else _one_text if name in TEXT_COLUMNS else (lambda v: v)
        values = [None if v is None or v == "" or (isinstance(v, float) and np.isnan(v)) else one(v)
                  for v in raw.iloc[1:, k].tolist()]
        kinds = {type(v) for v in values if v is not None}
        if kinds == {str}:
            out[k] = _typed_text_column(name, pa.array(values, type=pa.string()))
        elif kinds == {bool}:
            out[k] = pd.array(values, dtype=pd.ArrowDtype(pa.bool_()))
        elif kinds == {int}:
            out[k] = pd.array(values, dtype=pd.ArrowDtype(pa.int64()))
        else:  # dates (datetime), mixed or all empty: the frame reads each cell
            out[k] = pd.array(values, dtype=object)
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(raw) - 1))
    frame.columns = names
    return frame


# What pandas and openpyxl raise for a file that is not a workbook, or a damaged one (with
# openpyxl's InvalidFileException, added where openpyxl is imported).
BAD_WORKBOOK: tuple[type[Exception], ...] = (ValueError, KeyError, OSError, zipfile.BadZipFile, EOFError)


def read_excel(path: Path_, sheet: str | int | None = None) -> Any:
    """A sheet of an .xlsx workbook (the first one unless ``sheet`` names one or gives its
    position from 0), header row first."""
    path = Path(path)
    _check_exists(path, MAX_WORKBOOK_BYTES)
    try:
        from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]  # analysis extra
    except ImportError:
        raise InputError(str(path), "reading .xlsx needs openpyxl (pip install 'govrules[analysis]')") from None
    bad_workbook = (*BAD_WORKBOOK, InvalidFileException)
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except bad_workbook as exc:
        raise InputError(str(path), f"not a readable .xlsx workbook ({type(exc).__name__}: {_said(exc)}); "
                                    "expected an Excel workbook saved as .xlsx") from None
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            sheet = 0
        if isinstance(sheet, int) and not 0 <= sheet < len(names) or isinstance(sheet, str) and sheet not in names:
            raise InputError(str(path), f"no sheet {excerpt(sheet)}; expected one of the workbook's sheets: "
                                        f"{excerpt(', '.join(names), 400)}")
        try:
            raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False, na_values=[])
        except bad_workbook as exc:
            raise InputError(f"{path}: sheet {excerpt(sheet)}", f"not readable ({type(exc).__name__}: {_said(exc)})") from None
    return _excel_columns(f"{path}: sheet {names[sheet] if isinstance(sheet, int) else sheet}", raw)


def read_parquet(path: Path_) -> Any:
    """A Parquet ledger; its column types are kept (text, dates, booleans, integers, lists)."""
    path = Path(path)
    _check_exists(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(str(path), f"not a readable Parquet file ({_said(exc)}); expected a Parquet table, one row per case") from None
    return _frame_from_arrow(str(path), table)


def read_ledger_file(path: Path_, *, sheet: str | int | None = None) -> Any:
    """A ledger file as a DataFrame for ``evaluate_frame``, by its suffix: ``.csv``, ``.xlsx``
    (``sheet``: which one, default the first) or ``.parquet``."""
    suffix = Path(path).suffix.lower()
    if sheet is not None and suffix != ".xlsx":
        raise InputError(str(path), f"a sheet ({excerpt(sheet)}) is only for .xlsx workbooks")
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_excel(path, sheet)
    if suffix == ".parquet":
        return read_parquet(path)
    why = " (old Excel .xls: save it as .xlsx)" if suffix == ".xls" else ""
    raise InputError(str(path), f"unknown kind of file {suffix or '(no suffix)'!r}{why}; expected {EXPECTED_FILE}")


__all__ = ["LEDGER_SUFFIXES", "read_csv", "read_excel", "read_ledger_file", "read_parquet"]
