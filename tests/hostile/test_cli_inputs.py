"""The CLI's JSON doors (a case file, ``evaluate -``) and the issue's cases: one bounded error,
exit code 2, no traceback."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from cli_runner import Run, run_cli
from hostile_bounds import HOSTILE, bounded
from govrules.cli import main
from govrules.models import parse as parse_module
from hostile_strategies import BOM, spoiled_json

AS_OF = "2026-05-11"
BIG = 3_000_000  # characters: enough to show that nothing is echoed whole, small enough to stay fast


def matter(**fields: Any) -> dict[str, Any]:
    return {"type": "matter", "id": "A", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局", **fields}


def evaluate(capsys: pytest.CaptureFixture[str], path: Path | str, *extra: str) -> Run:
    return run_cli(capsys, "evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", *extra, path)


def write(tmp_path: Path, data: Any, name: str = "cases.json") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode())
    return path


def one_error(r: Run, starts: str) -> str:
    assert (r.code, r.out) == (2, ""), r
    assert r.err.startswith(f"govrules: error: {starts}"), r.err[:400]
    assert r.err.count("\n") == 1
    return bounded(r.err, starts)


@pytest.mark.parametrize("field", ["id", "source", "assigned_on", "lead_unit", "colour", "type"])
def test_a_huge_value_is_quoted_as_an_excerpt(capsys, tmp_path: Path, field: str) -> None:
    path = write(tmp_path, [matter(**{field: "x" * BIG})])
    one_error(evaluate(capsys, path), f"{path}: [0]")


def test_a_huge_unknown_key_is_quoted_as_an_excerpt(capsys, tmp_path: Path) -> None:
    path = write(tmp_path, [{**matter(), "k" * BIG: 1}])
    one_error(evaluate(capsys, path), f"{path}: [0] (id A): 'kkkk")


def test_an_object_with_many_problems_lists_a_few(capsys, tmp_path: Path) -> None:
    path = write(tmp_path, [{**matter(), **{f"extra{i}": i for i in range(10_000)}}])
    assert "and 9995 more problem(s)" in one_error(evaluate(capsys, path), f"{path}: [0] (id A): extra0: unknown key")


def test_duplicate_keys_are_refused_as_pack_yaml_refuses_them(capsys, tmp_path: Path) -> None:
    path = write(tmp_path, b'[{"type": "matter", "id": "A",\n  "id": "B"}]')
    one_error(evaluate(capsys, path), f"{path}:1:2: duplicate key 'id'")


@pytest.mark.parametrize("kind", ["事項", "督查事項"])
def test_a_type_in_traditional_characters_is_accepted(capsys, tmp_path: Path, kind: str) -> None:
    r = evaluate(capsys, write(tmp_path, [matter(type=kind, source="市領導批示")]))
    assert (r.code, r.err) == (0, "") and r.json()[0]["id"] == "A"


def test_a_missing_type_is_required_not_none(capsys, tmp_path: Path) -> None:
    data = matter()
    del data["type"]
    path = write(tmp_path, [data])
    message = one_error(evaluate(capsys, path), f"{path}: [0] (id A): type: required; ")
    assert "expected one of matter, meeting, document, event (事项、会议、公文、事件)" in message


@pytest.mark.parametrize("year", ["2003", "2015"])
def test_not_in_force_names_the_file(capsys, tmp_path: Path, year: str) -> None:
    path = write(tmp_path, [matter(assigned_on=f"{year}-05-06")])
    r = run_cli(capsys, "evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, path)
    one_error(r, f"{path}: matter A: pack jinan-2016-30 (济政办发〔2016〕30号) is not in force on {year}-05-06")


def test_a_bom_is_accepted(capsys, tmp_path: Path) -> None:
    r = evaluate(capsys, write(tmp_path, BOM + json.dumps([matter()]).encode()))
    assert (r.code, r.err) == (0, "")


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_is_bounded_like_a_file(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_INPUT_BYTES", 1000)
    read = []
    data = io.BytesIO(json.dumps([matter(lead_unit="x" * 5000)]).encode())
    real_read = data.read
    data.read = lambda n=-1: read.append(n) or real_read(n)  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(data))
    one_error(evaluate(capsys, "-"), "<stdin>: the input is more than 1000 bytes; the limit is 1000 bytes")
    assert read == [1001]  # never the whole of it


def test_stdin_goes_through_the_same_reader(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, BOM + json.dumps([matter()]).encode())
    assert evaluate(capsys, "-").code == 0
    stdin(monkeypatch, b'[{"id": 1, "id": 2}]')
    one_error(evaluate(capsys, "-"), "<stdin>:1:2: duplicate key 'id'")
    stdin(monkeypatch, b'["\xff"]')
    one_error(evaluate(capsys, "-"), "<stdin>:1:3: not UTF-8")


@pytest.mark.parametrize("option", [("--interpretation", "{}=y"), ("--interpretation", "progress-reply={}"),
                                    ("--warning-days", "{}"), ("--as-of", "{}"), ("--format", "{}")])
def test_options_echo_an_excerpt(capsys, tmp_path: Path, option: tuple[str, str]) -> None:
    name, value = option
    argv = ["evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, name, value.format("x" * 100_000)]
    r = run_cli(capsys, *argv, write(tmp_path, [matter()]))
    assert r.code == 2 and r.out == "" and len(r.err) < 1000, r.err[:300]


@HOSTILE
@given(spoiled_json())
def test_any_case_file_gives_findings_or_one_bounded_error(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("hostile") / "cases.json"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", str(path)])
    assert code in (0, 2)
    if code == 2:
        assert err.getvalue().startswith(f"govrules: error: {path}"), err.getvalue()[:300]
        bounded(err.getvalue(), str(path))
