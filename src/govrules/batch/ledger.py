"""A ledger frame read into typed tables, one per case type, with every problem found on the way.

What the models check one object at a time is checked here a column at a time: the type, each
field's form and category, the order of dates (the models' validators), the extension's parts,
cells of columns that belong to another type, and duplicate ids across the whole frame.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from govrules.batch.cells import Cells, as_arrow, is_arrow_string, read_scalar
from govrules.batch.columns import Codes, Column, Counts, Dates, Flags, Index, Lists, Mask, Table, Texts
from govrules.batch.extension import read_extension_dicts
from govrules.batch.ids import duplicated
from govrules.batch.lists import read_list
from govrules.batch.problems import Problems
from govrules.batch.schema import CASE_TYPES, COLUMNS, TYPE_COLUMN, CaseType, Spec, column_names, event_columns
from govrules.models.cases import TYPE_ALIASES


@dataclass(frozen=True)
class Ledger:
    size: int
    index: Any  # the frame's index
    case_type: np.ndarray[Any, np.dtype[np.int8]]  # per row: position in CASE_TYPES, -1 unreadable
    ids: Texts  # per row, as given
    tables: dict[CaseType, Table]
    problems: Problems

    def take(self, positions: Index) -> Ledger:
        """The rows at ``positions`` (ascending) of a ledger with no problems, as read_ledger would
        read them on their own: so a caller that has read a ledger once (the CLI, checking every
        row before any pack runs) can evaluate parts of it without reading them again."""
        if self.problems:
            raise ValueError("only a ledger without problems can be taken apart")
        tables = {}
        for name, table in self.tables.items():
            mine = table.take(np.flatnonzero(np.isin(table.rows, positions)))
            tables[name] = Table(name, np.searchsorted(positions, mine.rows).astype(np.int64), mine.columns)
        return Ledger(len(positions), self.index[positions], self.case_type[positions], self.ids.take(positions),
                      tables, Problems())


def _labels(df: Any, problems: Problems) -> tuple[str | None, dict[CaseType, dict[str, str]]]:
    """The type column, and per type: field -> the frame's column holding it."""
    labels = list(df.columns)
    names = {t: column_names(t) for t in CASE_TYPES}
    known = set(TYPE_COLUMN) | {n for per in names.values() for ns in per.values() for n in ns} | event_columns()
    for label in dict.fromkeys(labels):
        if labels.count(label) > 1:
            problems.frame_level(str(label), label, "each column once")
        if label not in known:
            problems.frame_level(str(label), label, "a column of the interchange contract (see govrules.batch.schema)")
    given = [t for t in TYPE_COLUMN if t in labels]
    if len(given) > 1:
        problems.frame_level("type", given, "one of type, 类型")
    if not given:
        problems.frame_level("type", None, "a column type (matter, meeting or document on each row)")
    found: dict[CaseType, dict[str, str]] = {}
    for case_type, per in names.items():
        found[case_type] = {}
        for field, options in per.items():
            present = [o for o in options if o in labels]
            if len(present) > 1:
                problems.frame_level(field, present, f"one of {', '.join(options)}")
            if present:
                found[case_type][field] = present[0]
    for case_type in CASE_TYPES:
        if "extension" in found[case_type] and any(k.startswith("extension_") for k in found[case_type]):
            problems.frame_level("extension", found[case_type]["extension"],
                                 "either a column extension or the columns extension_*, not both")
    return (given[0] if given else None), found


def _types(df: Any, label: str, problems: Problems) -> np.ndarray[Any, np.dtype[np.int8]]:
    series = df[label]
    first = series.iat[0] if len(series) else None
    if isinstance(first, str) and TYPE_ALIASES.get(first, first) in CASE_TYPES and is_arrow_string(series):
        arr = as_arrow(series)
        if arr.null_count == 0 and bool(pc.all(pc.equal(arr, first)).as_py()):  # one type: one comparison
            return np.full(len(series), CASE_TYPES.index(TYPE_ALIASES.get(first, first)), dtype=np.int8)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.full(len(uniques) + 1, -1, dtype=np.int8)
    for k, value in enumerate(uniques):
        name = TYPE_ALIASES.get(value, value) if isinstance(value, str) else value
        if name in CASE_TYPES:
            lookup[k] = CASE_TYPES.index(name)
    out: np.ndarray[Any, np.dtype[np.int8]] = lookup[np.asarray(codes)]
    bad = np.flatnonzero(out < 0)
    problems.add(bad, "type", [series.iat[int(i)] for i in bad], "matter, meeting or document (or 事项, 会议, 公文)")
    return out


def _default(spec: Spec, size: int) -> Column:
    """The column of a field the frame does not have: every cell empty, i.e. the model's default."""
    if spec.listed:
        items = _default(replace(spec, listed=False), 0)
        assert isinstance(items, (Dates, Codes, Texts))
        return Lists(np.zeros(size + 1, dtype=np.int64), items)
    if spec.kind == "date":
        return Dates(np.full(size, np.datetime64("NaT"), dtype="datetime64[D]"))
    if spec.kind == "flag":
        return Flags(np.full(size, bool(spec.default)))
    if spec.kind == "count":
        return Counts(np.zeros(size, dtype=np.int64), np.ones(size, dtype=bool))
    if spec.kind == "category":
        code = spec.domain.index(str(spec.default)) if spec.default is not None else -1
        return Codes(np.full(size, code, dtype=np.int16), spec.domain)
    return Texts(np.full(size, None, dtype=object), np.ones(size, dtype=bool))


def _read(cells: Cells, spec: Spec) -> Column:
    return read_list(cells, spec) if spec.listed else read_scalar(cells, spec)


def _not_given(series: Any) -> Mask:
    """Cells that leave a field out: empty, or the value a field of another type would default to."""
    empty = np.array(series.isna(), dtype=bool)
    if pd.api.types.is_bool_dtype(series.dtype):
        false: Mask = ~series.to_numpy(dtype=bool, na_value=False)
        return empty | false
    if isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_list(series.dtype.pyarrow_dtype):
        no_items: Mask = np.asarray(pc.list_value_length(as_arrow(series)).fill_null(0)) == 0
        return empty | no_items
    if series.dtype == object:
        others = np.flatnonzero(~empty)
        for i in others.tolist():
            v = series.iat[i]
            empty[i] = v is False or (isinstance(v, (list, tuple, np.ndarray, str)) and len(v) == 0)
    return empty


def _table(df: Any, case_type: CaseType, rows: Index, fields: dict[str, str], foreign: list[str], problems: Problems) -> Table:
    whole = len(rows) == len(df)
    columns: dict[str, Column] = {}
    for field, spec in COLUMNS[case_type].items():
        label = fields.get(field)
        if label is None:
            if spec.required:
                problems.add(rows, field, [None] * len(rows), f"a column {field} (required for a {case_type})")
            columns[field] = _default(spec, len(rows))
            continue
        series = df[label] if whole else df[label].iloc[rows]
        cells = Cells(series.reset_index(drop=True), rows, label, problems)
        if spec.required:
            missing = np.flatnonzero(cells.empty)
            problems.add(rows[missing], label, [None] * len(missing), f"a value (required for a {case_type})")
        columns[field] = _read(cells, spec)
    if "extension" in fields:
        series = df[fields["extension"]] if whole else df[fields["extension"]].iloc[rows]
        columns.update(read_extension_dicts(Cells(series.reset_index(drop=True), rows, fields["extension"], problems)))
    for label in foreign:
        series = df[label] if whole else df[label].iloc[rows]
        given = np.flatnonzero(~_not_given(series.reset_index(drop=True)))
        problems.add(rows[given], label, [series.iat[int(i)] for i in given], f"empty: {label} is not a field of a {case_type}")
    table = Table(case_type, rows, columns)
    _check_order(table, problems)
    return table


def _before(table: Table, problems: Problems, later: str, earlier: str, also: Mask | None = None) -> None:
    a, b = table.columns[later], table.columns[earlier]
    assert isinstance(a, Dates) and isinstance(b, Dates)
    wrong = a.values < b.values  # NaT compares False
    if also is not None:
        wrong &= also
    idx = np.flatnonzero(wrong)
    problems.add(table.rows[idx], later, [a.value(int(i)) for i in idx],
                 [f"not before {earlier} {b.value(int(i))}" for i in idx])


def _check_order(table: Table, problems: Problems) -> None:
    """The models' validators: no date before the one it follows; an extension has both dates."""
    cols = table.columns
    if table.case_type == "matter":
        _before(table, problems, "completed_on", "assigned_on")
        _before(table, problems, "explicit_deadline", "assigned_on")
        requested, new, approved = cols["extension_requested_on"], cols["extension_new_deadline"], cols["extension_approved"]
        assert isinstance(requested, Dates) and isinstance(new, Dates) and isinstance(approved, Flags)
        given = ~requested.null() | ~new.null() | approved.values
        for part, col in (("extension_requested_on", requested), ("extension_new_deadline", new)):
            idx = np.flatnonzero(given & col.null())
            problems.add(table.rows[idx], part, [None] * len(idx), "a date: an extension needs requested_on and new_deadline")
        _before(table, problems, "extension_requested_on", "assigned_on")
        _before(table, problems, "extension_new_deadline", "extension_requested_on")
        reports = cols["reports"]
        assert isinstance(reports, Lists) and isinstance(reports.items, Dates)
        assigned = cols["assigned_on"]
        assert isinstance(assigned, Dates)
        rows = np.flatnonzero(reports.earliest < assigned.values)
        problems.add(table.rows[rows], "reports", [reports.value(int(i)) for i in rows], "no report before assigned_on")
    elif table.case_type == "meeting":
        asked, feedback = cols["minutes_comment_requested_on"], cols["minutes_feedback_on"]
        assert isinstance(asked, Dates) and isinstance(feedback, Dates)
        _before(table, problems, "minutes_comment_requested_on", "held_on")
        _before(table, problems, "minutes_feedback_on", "minutes_comment_requested_on")
        idx = np.flatnonzero(asked.null() & ~feedback.null())
        problems.add(table.rows[idx], "minutes_feedback_on", [feedback.value(int(i)) for i in idx],
                     "empty unless minutes_comment_requested_on is given")


def _duplicates(id_series: Any, id_label: str | None, tables: dict[CaseType, Table], problems: Problems) -> None:
    """Every row whose id another row also has: which of them is right is for the clerk to say."""
    readable = np.zeros(len(id_series), dtype=bool)
    for table in tables.values():
        col = table.columns["id"]
        assert isinstance(col, Texts)
        readable[table.rows] = ~col.null()
    for batch in problems.batches:
        if batch.column == id_label:
            readable[batch.rows[batch.rows >= 0]] = False  # a malformed id is reported already
    dup = duplicated(id_series.array, readable)
    if not len(dup):
        return
    values = [id_series.iat[int(i)] for i in dup]
    where: dict[Any, list[int]] = {}
    for i, v in zip(dup.tolist(), values):
        where.setdefault(v, []).append(i)
    others = [", ".join(str(r) for r in where[v] if r != i) for i, v in zip(dup.tolist(), values)]
    problems.add(dup, str(id_label), values, [f"a unique id (also at rows {o})" for o in others])


def read_ledger(df: Any, *, unique_ids: bool = True) -> Ledger:
    """Read and check a whole frame; nothing is evaluated here. ``unique_ids=False`` leaves out
    the check that no two rows share an id, for a caller that checks a larger frame itself."""
    problems = Problems()
    size = len(df)
    type_label, fields = _labels(df, problems)
    if bool(pd.Index(df.columns).duplicated().any()):
        # a doubled column is ambiguous in every row: report the frame's problems, read no row
        no_ids = Texts(np.full(size, None, dtype=object), np.ones(size, dtype=bool))
        return Ledger(size, df.index, np.full(size, -1, dtype=np.int8), no_ids, {}, problems)
    if type_label is None:
        case_type = np.full(size, -1, dtype=np.int8)
    else:
        case_type = _types(df, type_label, problems)
    id_label = next((fields[t]["id"] for t in CASE_TYPES if "id" in fields[t]), None)
    id_series = df[id_label] if id_label is not None else pd.Series([None] * size, dtype=object)
    ids = Texts(id_series.array, np.asarray(id_series.isna(), dtype=bool))
    tables: dict[CaseType, Table] = {}
    own = {label for per in fields.values() for label in per.values()} | (set(df.columns) & event_columns())
    for k, name in enumerate(CASE_TYPES):
        rows = np.flatnonzero(case_type == k).astype(np.int64)
        if not len(rows):
            continue
        mine = set(fields[name].values())
        foreign = [label for label in own if label not in mine]
        tables[name] = _table(df, name, rows, fields[name], sorted(foreign, key=str), problems)
    if unique_ids:
        _duplicates(id_series, id_label, tables, problems)
    return Ledger(size, df.index, case_type, ids, tables, problems)
