"""Ledger files (CSV, Excel, Parquet) read into frames: cells kept as written, accepted by
evaluate_frame with the same result as the generator's objects given as a DataFrame, and every
unreadable file refused with one InputError naming it."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_generator import generator

from govrules.batch import FrameError, evaluate_frame
from govrules.batch.readers import (
    COUNT_COLUMNS,
    FLAG_COLUMNS,
    LIST_COLUMNS,
    TEXT_COLUMNS,
    read_csv,
    read_excel,
    read_ledger_file,
)
from govrules.engine import Options
from govrules.errors import InputError
from govrules.packs import bundled_pack

AS_OF = date(2026, 9, 30)
ALLOW = Options(allow_not_in_force=True)




GEN = generator()
OBJECTS = GEN.generate(5, matters=240, meetings=30, documents=50, events=0)
DIRECT = pd.DataFrame(OBJECTS)  # the generator's objects as a frame: lists as lists, extension as dicts


def _excel_cell(column: str, value: Any) -> Any:
    """A cell as a clerk's spreadsheet holds it: real dates, TRUE/FALSE, numbers, lists as 、-text."""
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and column.endswith("_on") or column == "explicit_deadline":
        return date.fromisoformat(value)
    return value


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ledgers")
    csv_path = folder / "ledger.csv"
    csv_path.write_text(GEN.to_csv(OBJECTS), encoding="utf-8")
    parquet_path = folder / "ledger.parquet"
    GEN.write_parquet(OBJECTS, parquet_path)
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表为督查台账"])
    sheet = book.create_sheet("台账")
    columns = list(GEN.COLUMNS)
    sheet.append(columns)
    for obj in OBJECTS:
        sheet.append([_excel_cell(c, obj.get(c)) for c in columns])
    xlsx_path = folder / "ledger.xlsx"
    book.save(xlsx_path)
    return {"csv": csv_path, "parquet": parquet_path, "xlsx": xlsx_path}


def _read(files: dict[str, Path], kind: str) -> Any:
    return read_ledger_file(files[kind], sheet="台账" if kind == "xlsx" else None)


def _same_result(got: Any, want: Any) -> None:
    # the id column keeps the dtype it came in; everything else must be equal, dtypes included
    pd.testing.assert_frame_equal(got.assign(id=got["id"].astype(object)), want.assign(id=want["id"].astype(object)))


@pytest.mark.parametrize("kind", ["csv", "parquet", "xlsx"])
@pytest.mark.parametrize("pack_id", ["jinan-2016-30", "tigao-xiaolv-yijian"])
def test_file_gives_the_result_of_the_generated_frame(files: dict[str, Path], kind: str, pack_id: str) -> None:
    pack = bundled_pack(pack_id)
    want = evaluate_frame(DIRECT, pack, AS_OF, ALLOW)
    got = evaluate_frame(_read(files, kind), pack, AS_OF, ALLOW)
    _same_result(got, want)
    assert (want["violations"] > 0).any() and want["deadline"].notna().any()  # a ledger with something to find


def test_csv_cells_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("type,id,source,assigned_on,lead_unit,complex,co_units\n"
                    "matter,007,市领导批示,2026-04-30,市交通局,TRUE,市财政局、市审计局\n"
                    "matter,NA,市领导批示,2026-04-30,N/A,,\n", encoding="utf-8")
    df = read_csv(path)
    assert df["id"].tolist() == ["007", "NA"]  # no number, no missing-value guess
    assert df["lead_unit"].tolist() == ["市交通局", "N/A"]
    assert df["assigned_on"].tolist() == ["2026-04-30"] * 2  # a date stays text: evaluate_frame reads it
    assert df["complex"].tolist()[0] is True and pd.isna(df["complex"].iloc[1])  # empty: not given
    out = evaluate_frame(df, bundled_pack("jinan-2016-30"), date(2026, 5, 11))
    assert out["id"].tolist() == ["007", "NA"]


def test_bom_and_chinese_column_names(tmp_path: Path) -> None:
    english = "type,id,source,assigned_on,lead_unit,complex,co_units,reports\n"
    chinese = "类型,编号,事项来源,交办日期,主办单位,情况复杂,协办单位,进展报告\n"
    rows = ("matter,DC-1,市领导批示,2026-04-30,市交通局,false,市财政局;市审计局,2026-05-06\n"
            "事项,DC-2,专题会议,2026-04-02,市财政局,true,,\"[\"\"2026-04-10\"\",\"\"2026-04-17\"\"]\"\n")
    plain, marked = tmp_path / "plain.csv", tmp_path / "bom.csv"
    plain.write_text(english + rows, encoding="utf-8")
    marked.write_text("\ufeff" + chinese + rows, encoding="utf-8")
    pack = bundled_pack("jinan-2016-30")
    want = evaluate_frame(read_csv(plain), pack, date(2026, 5, 11))
    assert read_csv(marked).columns[0] == "类型"  # the BOM is not part of the first name
    _same_result(evaluate_frame(read_csv(marked), pack, date(2026, 5, 11)), want)


def test_a_document_text_may_span_lines(tmp_path: Path) -> None:
    text = "第一段。\n第二段,\"引语\"。\r\n第三段。"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["type", "id", "kind", "issuer", "issued_on", "text"],
                                                     ["document", "GW-1", "通知", "市政府", "2026-03-02", text],
                                                     ["document", "GW-2", "函", "部门", "2026-03-03", ""]])
    path = tmp_path / "docs.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    df = read_csv(path)
    assert df["text"].iloc[0] == text and pd.isna(df["text"].iloc[1])
    assert list(df["id"]) == ["GW-1", "GW-2"]


def test_bad_flags_and_counts_reach_evaluate_frame_with_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("type,id,kind,held_on,attendees,major_decision\n"
                    "meeting,HY-1,专题会议,2026-03-02,120,False\n"
                    "meeting,HY-2,专题会议,2026-03-03,12.5,是\n"
                    "meeting,HY-3,专题会议,2026-03-04, 30 ,TRUE\n", encoding="utf-8")
    df = read_csv(path)
    assert df["attendees"].tolist() == [120, "12.5", 30] and df["major_decision"].tolist() == [False, "是", True]
    with pytest.raises(FrameError) as caught:
        evaluate_frame(df, bundled_pack("jinan-2016-30"), date(2026, 5, 11))
    problems = caught.value.problems
    assert [(r.row, r.column, r.value) for r in problems.itertuples(index=False)] == [
        (1, "attendees", "12.5"), (1, "major_decision", "是")]


def test_the_type_tables_do_not_overlap() -> None:
    assert not (FLAG_COLUMNS & COUNT_COLUMNS) and not (FLAG_COLUMNS & TEXT_COLUMNS)
    assert not (COUNT_COLUMNS & TEXT_COLUMNS) and not (LIST_COLUMNS & (FLAG_COLUMNS | COUNT_COLUMNS | TEXT_COLUMNS))
    assert {"complex", "情况复杂", "extension_approved"} <= FLAG_COLUMNS and {"attendees", "字数"} <= COUNT_COLUMNS


def test_a_column_given_twice_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("type,id,source,assigned_on,lead_unit,lead_unit\nmatter,A,交办,2026-04-30,甲,乙\n", encoding="utf-8")
    assert "column 'lead_unit' appears twice (columns 5 and 6" in _error(path)


cell_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(cell_text, st.just("")), min_size=1, max_size=8))
def test_any_text_cell_reads_back_as_written(tmp_path: Path, cells: list[str]) -> None:
    """The law of a text reader: what csv.writer wrote comes back unchanged, "" as not given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "responsible"])
    writer.writerows([[f"r{i}", c] for i, c in enumerate(cells)])
    path = tmp_path / "cells.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    got = read_csv(path)["responsible"].tolist()
    assert [None if pd.isna(v) else v for v in got] == [c or None for c in cells]


# -- bad files --------------------------------------------------------------------------------


def _error(path: Path, **kwargs: Any) -> str:
    with pytest.raises(InputError) as caught:
        read_ledger_file(path, **kwargs)
    message = str(caught.value)
    assert str(path) in message and "Traceback" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "nowhere.csv")


@pytest.mark.parametrize(("name", "said"), [("l.txt", "unknown kind of file '.txt'"), ("l.xls", "save it as .xlsx"),
                                            ("ledger", "(no suffix)")])
def test_unknown_kind_of_file(tmp_path: Path, name: str, said: str) -> None:
    path = tmp_path / name
    path.write_text("type,id\n", encoding="utf-8")
    message = _error(path)
    assert said in message and ".csv (UTF-8), .xlsx or .parquet" in message


def test_gbk_csv_names_the_line_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("type,id,lead_unit\nmatter,A,市交通局\n".encode("gb18030"))
    message = _error(path)
    assert f"{path}:2:10: not UTF-8" in message and "GBK" in message  # file:line:col of the first GBK byte


def test_ragged_csv(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("type,id\nmatter,A,extra\n", encoding="utf-8")
    message = _error(path)
    assert "not a readable CSV" in message and "Expected 2 columns, got 3" in message


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    assert "expected a header row" in _error(path)


def test_missing_sheet_names_the_sheets(files: dict[str, Path]) -> None:
    message = _error(files["xlsx"], sheet="2025")
    assert "no sheet '2025'" in message and "说明, 台账" in message


def test_first_sheet_by_default(files: dict[str, Path]) -> None:
    assert list(read_excel(files["xlsx"]).columns) == ["本表为督查台账"]  # the notes sheet: evaluate_frame names it


def test_sheet_only_for_excel(files: dict[str, Path]) -> None:
    assert "only for .xlsx" in _error(files["csv"], sheet="台账")


@pytest.mark.parametrize("name", ["fake.xlsx", "fake.parquet"])
def test_file_that_is_not_what_its_suffix_says(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("type,id\nmatter,A\n", encoding="utf-8")
    assert "not a readable" in _error(path)
