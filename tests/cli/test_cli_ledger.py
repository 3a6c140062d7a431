"""`govrules evaluate` on ledger files (.csv, .xlsx, .parquet): --format json byte for byte what
the same cases give as JSON, the same table, a progress bar only on a terminal, and bad rows
listed in one error with nothing on stdout."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_generator import generator

from govrules.cli import ledger as cli_ledger
from govrules.table import display_width, pad, render, render_columns

REPO = Path(__file__).resolve().parents[2]
Run = Any  # conftest.Run: code, out, err
AS_OF = "2026-09-30"




GEN = generator()
OBJECTS = GEN.generate(9, matters=150, meetings=20, documents=30, events=0)


def _meeting(ident: str, held_on: str) -> dict[str, Any]:
    return {"type": "meeting", "id": ident, "kind": "全市综合性会议", "held_on": held_on, "organizer": "市发展改革委"}


# Five 全市综合性会议 of one organizer in a year: tigao's quota allows one, so four break it; with
# chunks of 2 rows, counting chunk by chunk would find none of them.
QUOTA_OBJECTS = [o for o in OBJECTS[:6]] + [_meeting(f"HY-Q{i}", f"2026-0{i + 2}-1{i}") for i in range(5)]


def _write_all(folder: Path, name: str, objects: list[dict[str, Any]]) -> dict[str, Path]:
    paths = {kind: folder / f"{name}.{kind}" for kind in ("json", "csv", "parquet", "xlsx")}
    paths["json"].write_text(GEN.to_json(objects), encoding="utf-8")
    paths["csv"].write_text(GEN.to_csv(objects), encoding="utf-8")
    GEN.write_parquet(objects, paths["parquet"])
    pd.read_csv(paths["csv"], dtype=str, keep_default_na=False).to_excel(paths["xlsx"], index=False, sheet_name="台账")
    return paths


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _write_all(tmp_path_factory.mktemp("ledger"), "ledger", OBJECTS)


@pytest.fixture(scope="module")
def quota_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _write_all(tmp_path_factory.mktemp("quota"), "quota", QUOTA_OBJECTS)


PACK_CHOICES = [
    (),  # every bundled pack, each where it was in force (the others are left out, and it says so)
    ("--pack", "jinan-2016-30", "--pack", "shaoxing-2008-185"),
    ("--pack", "tigao-xiaolv-yijian", "--allow-not-in-force"),
]


@pytest.mark.parametrize("kind", ["csv", "parquet", "xlsx"])
@pytest.mark.parametrize("packs", PACK_CHOICES)
def test_json_is_byte_identical_to_the_json_input(govrules: Callable[..., Run], files: dict[str, Path], kind: str,
                                                  packs: tuple[str, ...]) -> None:
    want = govrules("evaluate", *packs, "--as-of", AS_OF, "--format", "json", files["json"])
    got = govrules("evaluate", *packs, "--as-of", AS_OF, "--format", "json", files[kind])
    assert want.code == 0 and want.json()
    assert (got.code, got.out, got.err) == (want.code, want.out, want.err)


def _table_part(text: str, rows: int) -> str:
    return "".join(text.splitlines(keepends=True)[: rows + 2])  # header, rule, one line per result


@pytest.mark.parametrize("packs", PACK_CHOICES)
def test_table_is_the_json_inputs_table_then_a_summary(govrules: Callable[..., Run], files: dict[str, Path],
                                                       packs: tuple[str, ...]) -> None:
    results = len(govrules("evaluate", *packs, "--as-of", AS_OF, "--format", "json", files["json"]).json())
    want = govrules("evaluate", *packs, "--as-of", AS_OF, files["json"])
    got = govrules("evaluate", *packs, "--as-of", AS_OF, files["csv"])
    assert (got.code, got.err) == (0, want.err)
    assert _table_part(got.out, results) == _table_part(want.out, results)
    summary = got.out.splitlines()[results + 2:]
    assert summary[-1].endswith("见 --format json。")
    assert all(" 件(" in line for line in summary[:-1]) and len(summary) > 1


def test_summary_counts(govrules: Callable[..., Run], files: dict[str, Path]) -> None:
    results = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", files["json"]).json()
    line = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, files["csv"]).out.splitlines()[-2]
    overdue = sum(r["status"] == "overdue" for r in results)
    violations = sum(f["kind"] == "violation" for r in results for f in r["findings"])
    assert line.startswith(f"jinan-2016-30: {len(results)} 件(") and f"逾期 {overdue}、" in line
    assert line.endswith(f"违规 {violations} 项")


@pytest.mark.parametrize("packs", [("--pack", "jinan-2016-30"), ("--pack", "tigao-xiaolv-yijian", "--allow-not-in-force")])
def test_chunks_give_the_unchunked_result(govrules: Callable[..., Run], quota_files: dict[str, Path],
                                          monkeypatch: pytest.MonkeyPatch, packs: tuple[str, ...]) -> None:
    whole = govrules("evaluate", *packs, "--as-of", AS_OF, quota_files["csv"])
    monkeypatch.setattr(cli_ledger, "CHUNK_ROWS", 2)
    chunked = govrules("evaluate", *packs, "--as-of", AS_OF, quota_files["csv"])
    assert (chunked.code, chunked.out) == (0, whole.out)
    reference = govrules("evaluate", *packs, "--as-of", AS_OF, "--format", "json", quota_files["json"]).json()
    rows = len(reference)
    assert _table_part(chunked.out, rows) == _table_part(govrules("evaluate", *packs, "--as-of", AS_OF, quota_files["json"]).out, rows)


def test_the_quota_ledger_breaks_the_quota(govrules: Callable[..., Run], quota_files: dict[str, Path]) -> None:
    """What the chunk test relies on: the quota counts across the ledger, beyond a chunk of 2."""
    results = govrules("evaluate", "--pack", "tigao-xiaolv-yijian", "--allow-not-in-force", "--as-of", AS_OF,
                       "--format", "json", quota_files["json"]).json()
    broken = [r["id"] for r in results for f in r["findings"] if "/quota/" in f["rule"] and f["kind"] != "deadline"]
    assert len(broken) == 4


# -- the progress bar -------------------------------------------------------------------------


BAR = "govrules evaluate"


@pytest.mark.parametrize(("terminal", "fmt", "shown"), [(True, "table", True), (True, "json", False),
                                                        (False, "table", False)])
def test_bar_only_on_a_terminal_and_never_with_json(govrules: Callable[..., Run], files: dict[str, Path],
                                                    monkeypatch: pytest.MonkeyPatch, terminal: bool, fmt: str,
                                                    shown: bool) -> None:
    monkeypatch.setattr(cli_ledger, "stderr_is_terminal", lambda: terminal)
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", fmt, files["csv"])
    assert r.code == 0 and (BAR in r.err) == shown
    assert BAR not in r.out


def _run_with_stderr_on_a_pty(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout piped): (exit code, stdout, terminal)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    proc = subprocess.Popen([sys.executable, "-m", "govrules.cli", *argv], stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.DEVNULL, cwd=REPO)
    assert proc.stdout is not None
    seen, out = b"", b""
    try:
        while True:  # read both as they come, so that neither fills up; the slave stays open here
            ready, _, _ = select.select([master, proc.stdout], [], [], 0.2)  # until the child is done
            if master in ready:
                seen += os.read(master, 65536)
            if proc.stdout in ready:
                chunk = proc.stdout.read1(65536)
                out += chunk
                if not chunk and proc.poll() is not None:
                    break
            if not ready and proc.poll() is not None:
                break
        while select.select([master], [], [], 0)[0]:
            seen += os.read(master, 65536)
        out += proc.stdout.read()
    finally:
        os.close(slave)
        os.close(master)
    return proc.wait(timeout=60), out.decode(), seen.decode(errors="replace")


def test_bar_on_a_real_terminal_and_not_when_piped(files: dict[str, Path]) -> None:
    argv = ["evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, str(files["csv"])]
    code, out, err = _run_with_stderr_on_a_pty(argv)
    assert code == 0 and BAR in err and "件" in err
    assert BAR not in out and out.splitlines()[0].startswith("编号")
    piped = subprocess.run([sys.executable, "-m", "govrules.cli", *argv], capture_output=True, text=True, cwd=REPO,
                           timeout=120, check=False)
    assert piped.returncode == 0 and piped.stderr == "" and piped.stdout == out


# -- bad input --------------------------------------------------------------------------------


def _bad(govrules: Callable[..., Run], *argv: str | Path) -> str:
    r = govrules("evaluate", "--as-of", AS_OF, *argv)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("govrules: error: ") and "Traceback" not in r.err
    return r.err


def test_bad_rows_are_listed_in_one_error(govrules: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("type,id,source,assigned_on,lead_unit\n"
                    "matter,DC-1,市领导批示,2026-04-30,市交通局\n"
                    "matter,DC-2,市领导批示,2026-13-01,市交通局\n"
                    "matter,DC-3,市长的口头交代,2026-04-30,\n"
                    "matter,DC-1,交办,2026-05-06,市财政局\n", encoding="utf-8")
    err = _bad(govrules, "--pack", "jinan-2016-30", path)
    lines = err.splitlines()
    assert lines[0] == (f"govrules: error: {path}: 5 problem(s) in 4 of 4 rows "
                        "(rows numbered as in a spreadsheet: the header is row 1); nothing was evaluated:")
    assert lines[1].startswith("  row 2 (id DC-1): id: got 'DC-1'; expected a unique id")
    assert lines[2].startswith("  row 3 (id DC-2): assigned_on: got '2026-13-01'; expected a date as YYYY-MM-DD")
    assert lines[3].startswith("  row 4 (id DC-3): source: got '市长的口头交代'; expected one of ")
    assert lines[4] == "  row 4 (id DC-3): lead_unit: got an empty cell; expected a value (required for a matter)"
    assert lines[5].startswith("  row 5 (id DC-1): id: got 'DC-1'; expected a unique id")


def test_only_the_first_problems_are_quoted(govrules: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("type,id,source,assigned_on,lead_unit\n"
                    + "".join(f"matter,DC-{i},交办,2026-02-30,甲\n" for i in range(30)), encoding="utf-8")
    err = _bad(govrules, "--pack", "jinan-2016-30", path)
    assert err.count("\n  row ") == cli_ledger.SHOWN and err.rstrip().endswith("… and 10 more")


def test_parquet_rows_are_counted_from_one(govrules: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    pd.DataFrame({"type": ["matter", "matter"], "id": ["A", "B"], "source": ["交办", "交办"],
                  "assigned_on": ["2026-04-30", "2026-02-30"], "lead_unit": ["甲", "乙"]}).to_parquet(path)
    err = _bad(govrules, "--pack", "jinan-2016-30", path)
    assert "(rows counted from 1)" in err and "  row 2 (id B): assigned_on: got '2026-02-30'" in err


def test_events_are_refused_as_in_json(govrules: Callable[..., Run], tmp_path: Path) -> None:
    objects = GEN.generate(2, matters=5, meetings=0, documents=0, events=2)
    path = tmp_path / "with-events.csv"
    path.write_text(GEN.to_csv(objects), encoding="utf-8")
    err = _bad(govrules, "--pack", "jinan-2016-30", path)
    assert "2 of 7 rows" in err and cli_ledger.EVENT_PROBLEM in err
    assert "  row 7 (id WZ-2026-001): type" in err


def test_a_named_pack_out_of_force_needs_the_flag(govrules: Callable[..., Run], files: dict[str, Path]) -> None:
    err = _bad(govrules, "--pack", "tigao-xiaolv-yijian", files["csv"])
    assert f"{len(OBJECTS)} of {len(OBJECTS)} rows" in err
    assert "row 2 (id DC-2026-0001): assigned_on: got '2026-" in err and "--allow-not-in-force" in err
    _bad(govrules, "--pack", "tigao-xiaolv-yijian", files["json"])  # the JSON path refuses it too


def test_sheets(govrules: Callable[..., Run], files: dict[str, Path]) -> None:
    by_name = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--sheet", "台账", files["xlsx"])
    first = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, files["xlsx"])
    assert by_name.code == 0 and by_name.out == first.out
    err = _bad(govrules, "--sheet", "2025", files["xlsx"])
    assert "no sheet '2025'" in err and "台账" in err
    assert "only for .xlsx" in _bad(govrules, "--sheet", "台账", files["json"])


@pytest.mark.parametrize(("name", "said"), [("nowhere.csv", "no such file"), ("ledger.xls", "save it as .xlsx")])
def test_unreadable_files(govrules: Callable[..., Run], tmp_path: Path, name: str, said: str) -> None:
    path = tmp_path / name
    if name.endswith(".xls"):
        path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert said in _bad(govrules, path)


def test_a_ledger_without_rows_is_refused_as_an_empty_array_is(govrules: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text("type,id,source,assigned_on,lead_unit\n", encoding="utf-8")
    assert "nothing to evaluate" in _bad(govrules, "--pack", "jinan-2016-30", path)


def test_json_input_is_read_as_before(govrules: Callable[..., Run], ledger: Path) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", ledger)
    assert r.code == 0 and json.loads(r.out)
    assert not cli_ledger.is_ledger_file("-") and not cli_ledger.is_ledger_file(str(ledger))


# -- the table renderer -----------------------------------------------------------------------


cells = st.text(st.sampled_from("aZ09-—/(件逾期办结临期)《》、，　 é"), max_size=8)


def _render_cell_by_cell(headers: list[str], rows: list[list[str]]) -> str:
    """The plain algorithm: every cell measured and padded on its own."""
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "".join("  ".join(pad(c, w) for c, w in zip(line, widths)).rstrip() + "\n" for line in lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), max_size=6), st.tuples(cells, cells, cells))
def test_a_table_of_columns_is_the_table_cell_by_cell(rows: list[tuple[str, str, str]], headers: tuple[str, str, str]) -> None:
    columns = [[r[k] for r in rows] for k in range(3)]
    want = _render_cell_by_cell(list(headers), [list(r) for r in rows])
    assert render_columns(list(headers), columns) == want
    assert render(list(headers), [list(r) for r in rows]) == want
