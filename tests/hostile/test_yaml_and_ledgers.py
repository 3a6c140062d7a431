"""The other readers: YAML (packs and holiday-data files, one hardened reader), JSON year files,
and CSV ledgers. Garbage, bombs and boundaries give a value or the reader's one documented error."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile_bounds import HOSTILE, bounded
from govrules.batch.readers import read_ledger_file
from govrules.calendar.year_file import MAX_FILE_BYTES, read_year_file
from govrules.errors import InputError, PackError
from govrules.packs.loader import load_pack
from govrules.yaml_reader import YamlRefused, read_yaml_text
from hostile_strategies import BOM, spoiled_json

YEAR = "year: 2027\ncomplete: true\nsource: 国办发明电〔2026〕1号\nholidays:\n  - {name: 元旦, date: 2027-01-01}\nworking_weekends: []\n"

_YAML_BITS = st.sampled_from([
    "a: 1\n", "- x\n", "&a [1]\n", "*a\n", "!!python/object:os.system x\n", "{a: 1, a: 2}\n", "[" * 200, "}\n",
    "? [a]\n: 1\n", "'" + "x" * 20_000 + "'\n", "\t- tab\n", "key: " + "y" * 100 + "\n", "%YAML 1.1\n---\n",
    "year: 2027\n", "holidays:\n  - date: 2027-02-30\n", "\x00", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
])


@HOSTILE
@given(st.lists(_YAML_BITS, max_size=6), st.text(max_size=30))
def test_any_yaml_text_gives_data_or_one_bounded_refusal(bits: list[str], noise: str) -> None:
    try:
        read_yaml_text("f.yaml", "".join(bits) + noise, "a pack")
    except YamlRefused as exc:
        assert str(exc.location).startswith("f.yaml:")
        bounded(str(exc))


def _write(data: bytes, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="govrules-hostile-"))
    path = folder / f"file{suffix}"
    path.write_bytes(data)
    return path


@HOSTILE
@given(st.sampled_from([".yaml", ".json"]), st.binary(max_size=300) | spoiled_json(),
       st.sampled_from(["as is", "bom", "year first", "bad byte"]))
def test_any_year_file_gives_a_year_or_one_bounded_input_error(suffix: str, data: bytes, how: str) -> None:
    if how == "bom":
        data = BOM + data
    elif how == "year first":
        data = YEAR.encode() + data
    elif how == "bad byte":
        data = YEAR.encode()[:30] + b"\xfe" + YEAR.encode()[30:]
    _reads_or_refuses(read_year_file, _write(data, suffix))


def _reads_or_refuses(read: Callable[[Path], object], path: Path) -> None:
    """The file is read, or refused with one InputError that names it and quotes boundedly."""
    try:
        read(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
        bounded(str(exc), str(path))


def test_year_file_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "2027.yaml"
    path.write_bytes(BOM + YEAR.encode())
    assert read_year_file(path).data.year == 2027
    year = YEAR.encode()
    path.write_bytes(year + b"#" * (MAX_FILE_BYTES - len(year)))
    assert read_year_file(path).data.year == 2027  # at the limit
    path.write_bytes(year + b"#" * (MAX_FILE_BYTES - len(year) + 1))
    with pytest.raises(InputError, match=r"a holiday-data file is 1000001 bytes; the limit is 1000000 bytes \(1 MB\)$"):
        read_year_file(path)


def test_a_year_file_quotes_a_bounded_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    path.write_text('{"year": 2027, "complete": true, "source": "x", "holidays": [{"name": "元旦", "date": "'
                    + "9" * 500_000 + '"}], "working_weekends": []}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_year_file(path)
    bounded(str(caught.value), str(path))
    path.write_text('{"year": 2027, "year": 2028}', encoding="utf-8")
    with pytest.raises(InputError, match=r"2027.json:1:1: duplicate key 'year'"):
        read_year_file(path)


def test_a_pack_with_a_bad_byte_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"id: x\ntitle: \xff\n")
    with pytest.raises(PackError, match=r"p.yaml:2:8: not UTF-8"):
        load_pack(path)


HEADER = "type,id,source,assigned_on,lead_unit\n"
ROW = "matter,A,市领导批示,2026-04-30,市交通局\n"


@HOSTILE
@given(st.binary(max_size=300) | st.sampled_from([b"", b"\n", b",,,\n", b'"unclosed\n']),
       st.sampled_from(["after header", "alone", "bom", "bad byte in row"]))
def test_any_csv_ledger_gives_a_frame_or_one_bounded_input_error(data: bytes, how: str) -> None:
    if how == "after header":
        data = HEADER.encode() + data
    elif how == "bom":
        data = BOM + HEADER.encode() + ROW.encode() + data
    elif how == "bad byte in row":
        data = HEADER.encode() + ROW.encode()[:10] + b"\xff" + ROW.encode()[10:] + data
    _reads_or_refuses(read_ledger_file, _write(data, ".csv"))


def test_a_csv_ledger_with_a_bom_reads_its_header(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_bytes(BOM + (HEADER + ROW).encode())
    assert list(read_ledger_file(path).columns) == HEADER.strip().split(",")


def test_a_csv_ledger_names_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_bytes((HEADER + ROW).encode() + b"matter,B,\xff\n")
    with pytest.raises(InputError, match=rf"^{path}:3:10: not UTF-8: byte\(s\) ff"):
        read_ledger_file(path)


def test_a_csv_ledger_with_a_huge_cell_or_column_is_bounded(tmp_path: Path) -> None:
    from govrules.batch import evaluate_frame
    from govrules.packs import get_pack

    path = tmp_path / "l.csv"
    path.write_text(HEADER + ROW.replace("2026-04-30", "x" * 3_000_000), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        evaluate_frame(read_ledger_file(path), get_pack("jinan-2016-30"), as_of=date(2026, 5, 11))
    bounded(str(caught.value))
    path.write_text(HEADER.replace("lead_unit", "k" * 3_000_000) + ROW, encoding="utf-8")
    try:
        evaluate_frame(read_ledger_file(path), get_pack("jinan-2016-30"), as_of=date(2026, 5, 11))
    except InputError as exc:
        bounded(str(exc))


def test_a_ledger_file_is_bounded_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govrules.batch import readers

    monkeypatch.setattr(readers, "MAX_LEDGER_BYTES", 100)
    path = tmp_path / "l.csv"
    path.write_text(HEADER + ROW * 3, encoding="utf-8")
    with pytest.raises(InputError, match=r"the file is \d+ bytes; the limit is 100 bytes"):
        readers.read_csv(path)


@pytest.mark.parametrize(("column", "cell", "says"), [
    ("reports", "[" * 5000 + "]" * 5000, "reports: got '[[[["),
    ("extension", '{"a":' * 5000 + "1" + "}" * 5000, "nested more than 64 levels deep"),
    ("extension", '{"approved": true, "approved": false, "requested_on": "2026-05-01", "new_deadline": "2026-06-01"}',
     "duplicate key 'approved'"),
])
def test_json_in_a_csv_cell_goes_through_the_same_rules(tmp_path: Path, column: str, cell: str, says: str) -> None:
    from govrules.batch import evaluate_frame
    from govrules.packs import get_pack

    path = tmp_path / "l.csv"
    quoted = '"' + cell.replace('"', '""') + '"'
    path.write_text(HEADER.strip() + f",{column}\n" + ROW.strip() + f",{quoted}\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(says)) as caught:  # not a RecursionError
        evaluate_frame(read_ledger_file(path), get_pack("jinan-2016-30"), as_of=date(2026, 5, 11))
    bounded(str(caught.value))
