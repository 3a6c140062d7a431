"""Reading cells: each form a ledger column may come in is accepted or refused exactly as the
models accept or refuse the value (parse_iso_date, categories in traditional characters, strict
bools), and a refused cell is reported with its row, column and value."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.batch.cells import Cells, read_codes, read_counts, read_dates, read_flags, read_texts
from govrules.batch.ids import duplicated
from govrules.batch.isodates import iso_days
from govrules.batch.lists import read_list
from govrules.batch.problems import Problems
from govrules.batch.schema import COLUMNS, MODELS
from govrules.models.categories import to_simplified
from govrules.models.dates import parse_iso_date


def _cells(values: Any, dtype: Any = None) -> tuple[Cells, Problems]:
    problems = Problems()
    series = pd.Series(values, dtype=dtype)
    return Cells(series, np.arange(len(series), dtype=np.int64) + 100, "col", problems), problems


def _bad_rows(problems: Problems) -> list[int]:
    return [row for row, *_ in problems.records()]


def _model_date(value: object) -> date | None:
    try:
        return parse_iso_date(value)
    except ValueError:
        return None


ISO_LIKE = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z") | st.text(alphabet="0123456789-/ ２", max_size=11)


@given(st.lists(ISO_LIKE, max_size=30))
@settings(max_examples=200, deadline=None)
def test_iso_strings_are_read_as_the_models_read_them(strings: list[str]) -> None:
    """The vectorised parser accepts a subset of what parse_iso_date accepts, with the same day;
    read_dates then asks parse_iso_date about the rest, so together they agree exactly."""
    days, accepted = iso_days(pa.array(strings, type=pa.large_string()))
    for s, day, ok in zip(strings, days, accepted):
        if ok:
            assert _model_date(s) == day.item()
    cells, problems = _cells(strings, dtype="str")
    read = read_dates(cells)
    for i, s in enumerate(strings):
        want = _model_date(s)
        assert read.value(i) == want
        assert (i + 100 in _bad_rows(problems)) == (want is None)


@pytest.mark.parametrize(("values", "dtype"), [
    (["2026-05-01", None, "2026-02-30", "2026/05/01", "1899-12-31"], "str"),
    ([date(2026, 5, 1), None, "2026-02-30", "2026/05/01", 20260501], object),
    ([pd.Timestamp("2026-05-01"), pd.NaT, pd.Timestamp("2026-05-01 08:00"), pd.Timestamp("2026-05-01 08:00"),
      pd.Timestamp("1899-12-31")], None),
    ([date(2026, 5, 1), None, date(2026, 5, 1), date(2026, 5, 1), date(1899, 12, 31)], pd.ArrowDtype(pa.date32())),
])
def test_date_forms(values: list[Any], dtype: Any) -> None:
    cells, problems = _cells(values, dtype)
    read = read_dates(cells)
    assert read.value(0) == date(2026, 5, 1) and read.value(1) is None
    expected_bad = [102, 103, 104] if dtype != pd.ArrowDtype(pa.date32()) else [104]
    assert _bad_rows(problems) == expected_bad
    row, column, value, expected = problems.records()[0]
    assert column == "col" and "YYYY-MM-DD" in expected and value is not None


def test_categories_in_traditional_characters() -> None:
    spec = COLUMNS["matter"]["source"]
    cells, problems = _cells(["市領導批示", "市领导批示", "不存在", None], dtype="str")
    codes = read_codes(cells, spec)
    assert [codes.value(i) for i in range(4)] == ["市领导批示", "市领导批示", None, None]
    assert _bad_rows(problems) == [102]
    assert "市领导批示" in problems.records()[0][3]


def test_category_values_are_fixed_points_of_t2s() -> None:
    """read_codes takes a value already in the domain as is: that is exact only if converting it
    to simplified characters leaves it alone, as the models would."""
    for columns in COLUMNS.values():
        for spec in columns.values():
            for value in spec.domain:
                assert to_simplified(value) == value


def test_default_for_empty_category_and_flag() -> None:
    cells, _ = _cells([None, "紧急"], dtype=object)
    assert read_codes(cells, COLUMNS["matter"]["urgency"]).value(0) == "一般"
    cells, problems = _cells([True, None, "yes", 1, np.bool_(False)], dtype=object)
    flags = read_flags(cells, False)
    assert [flags.value(i) for i in range(5)] == [True, False, False, False, False]
    assert _bad_rows(problems) == [102, 103]  # strict, as StrictBool


def test_counts() -> None:
    cells, problems = _cells([12, None, 12.5, -1, 1_000_001, 30.0], dtype=object)
    counts = read_counts(cells, (0, 1_000_000))
    assert counts.value(0) == 12 and counts.value(1) is None and counts.value(5) == 30
    assert _bad_rows(problems) == [102, 103, 104]


def test_text_lengths() -> None:
    spec = COLUMNS["matter"]["lead_unit"]
    cells, problems = _cells(["市交通局", "", "局" * 200, "局" * 201, None], dtype="str")
    read_texts(cells, spec)
    assert _bad_rows(problems) == [101, 103]
    cells, problems = _cells(["市交通局", 17, None], dtype=object)
    read_texts(cells, spec)
    assert _bad_rows(problems) == [101]


@pytest.mark.parametrize("form", ["python", "arrow", "separated"])
def test_list_forms(form: str) -> None:
    spec = COLUMNS["meeting"]["approvals"]
    lists = [["市长批准", "备案"], [], None, ["市長批准"], ["不存在"]]
    if form == "arrow":
        series: Any = pd.Series(pa.array(lists, type=pa.list_(pa.string())), dtype=pd.ArrowDtype(pa.list_(pa.string())))
    elif form == "separated":
        series = pd.Series(["市长批准、备案", "", None, "市長批准", "不存在"], dtype="str")
    else:
        series = pd.Series(lists, dtype=object)
    problems = Problems()
    read = read_list(Cells(series, np.arange(5, dtype=np.int64), "approvals", problems), spec)
    assert [read.value(i) for i in range(4)] == [("市长批准", "备案"), (), (), ("市长批准",)]
    assert _bad_rows(problems) == [4]


def test_a_cell_that_is_not_a_list() -> None:
    problems = Problems()
    read_list(Cells(pd.Series([["2026-05-01"], 5], dtype=object), np.arange(2, dtype=np.int64), "reports", problems),
              COLUMNS["matter"]["reports"])
    assert _bad_rows(problems) == [1]


@given(st.lists(st.text(alphabet="AB市局-0", min_size=1, max_size=12), max_size=40), st.booleans())
@settings(max_examples=100, deadline=None)
def test_duplicate_ids(ids: list[str], fixed: bool) -> None:
    """The hashed search finds exactly the ids pandas finds duplicated (fixed-width and not)."""
    if fixed:
        ids = [s.ljust(12, "x") for s in ids]
    values = pd.Series(ids, dtype="str").array
    got = duplicated(values, np.ones(len(ids), dtype=bool))
    want = np.flatnonzero(pd.Series(ids).duplicated(keep=False))
    assert got.tolist() == want.tolist()


def test_long_ids_use_pandas() -> None:
    ids = ["x" * 100, "y" * 100, "x" * 100]
    assert duplicated(pd.Series(ids, dtype="str").array, np.ones(3, dtype=bool)).tolist() == [0, 2]


def test_columns_cover_the_models() -> None:
    """Every field of the models is a column (the extension flattened), and nothing else."""
    for case_type, model in MODELS.items():
        fields = set(model.model_fields) - {"type", "extension"}
        columns = set(COLUMNS[case_type]) - {"extension_requested_on", "extension_new_deadline", "extension_approved"}
        assert fields == columns, case_type


@pytest.mark.parametrize("dtype", ["datetime64[ns]", pd.ArrowDtype(pa.date32())])
def test_an_empty_date_column_reads_as_no_dates(dtype: Any) -> None:
    cells, problems = _cells([], dtype)
    assert len(read_dates(cells).values) == 0 and not _bad_rows(problems)
