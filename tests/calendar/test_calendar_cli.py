"""`govrules calendar list | add | check | remove`, and every entry point answering 2027 once the
synthetic 2027 file is installed, without --holiday-data."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from cli_runner import run_cli
from govrules.table import display_width

# SYNTHETIC: invented dates for the tests, not the State Council's 2027 notice (see the file).
SYNTHETIC_2027 = Path(__file__).resolve().parent / "data" / "synthetic-2027.yaml"
DEADLINE = ["deadline", "--pack", "shaoxing-2008-185", "--source", "专题会议", "--assigned", "2026-12-20",
            "--as-of", "2026-12-21", "--format", "json"]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    r = run_cli(capsys, *argv)
    return r.code, r.out, r.err


def from_column(line: str, column: int) -> str | None:
    """The text of ``line`` from display column ``column`` on; None if a wide character straddles it."""
    for i in range(len(line) + 1):
        if display_width(line[:i]) == column:
            return line[i:]
    return None


def test_add_list_remove(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar", "list")
    assert (code, err) == (0, "")
    assert "2004-2026" in out and "chinese-calendar" in out and "no installed years" in out
    code, out, err = run(capsys, "calendar", "add", SYNTHETIC_2027)
    assert (code, err) == (0, "")
    target = store / "calendar" / "2027.yaml"
    assert f"installed 2027 from {SYNTHETIC_2027} as {target}" in out and "restarted" in out
    code, out, _ = run(capsys, "calendar", "list", "--format", "json")
    listing = json.loads(out)
    assert listing["directory"] == str(store / "calendar")
    assert listing["package"]["kind"] == "package"
    assert listing["installed"] == [{
        "year": 2027, "status": "in use", "file": str(target),
        "sha256": hashlib.sha256(SYNTHETIC_2027.read_bytes()).hexdigest(),
        "source": "SYNTHETIC TEST FIXTURE - invented dates, not the State Council's 2027 notice", "problem": None}]
    code, out, _ = run(capsys, "calendar", "list")
    assert "2027" in out and "in use" in out and str(target) in out
    code, out, err = run(capsys, "calendar", "remove", "2027")
    assert (code, err) == (0, "") and "removed 2027" in out
    assert not target.exists()


def test_the_deadline_command_answers_2027_once_the_year_is_installed(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *DEADLINE)
    assert code == 2 and "no holiday data for 2027" in err and "govrules calendar add FILE" in err
    assert run(capsys, "calendar", "add", SYNTHETIC_2027)[0] == 0
    code, out, err = run(capsys, *DEADLINE)
    assert (code, err) == (0, "")
    [result] = json.loads(out)
    # 15 working days from Sunday 2026-12-20: the fixture's 元旦 (01-01 to 01-03) is skipped;
    # weekends alone would give 2027-01-08.
    assert result["deadline"] == "2027-01-11"
    assert result["provisional"] is False


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_other_entry_points_see_the_installed_year(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from govrules import bundled_pack, evaluate, parse_object

    assert run(capsys, "calendar", "add", SYNTHETIC_2027)[0] == 0
    matter = parse_object({"type": "matter", "id": "M-1", "source": "专题会议", "assigned_on": "2026-12-20",
                           "lead_unit": "市交通局"})
    assert evaluate(matter, date(2026, 12, 21), bundled_pack("shaoxing-2008-185")).deadline == date(2027, 1, 11)
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from govrules.service import create_app

    params = {"pack": "shaoxing-2008-185", "source": "专题会议", "assigned": "2026-12-20", "as_of": "2026-12-21"}
    reply = TestClient(create_app()).get("/deadline", params=params)
    assert reply.status_code == 200, reply.text
    assert "2027-01-11" in reply.text


def test_the_stream_sees_the_installed_year(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from govrules.stream import Supervisor, durable_status

    if not durable_status()[0]:
        pytest.skip("durable-rules unavailable")
    assert run(capsys, "calendar", "add", SYNTHETIC_2027)[0] == 0
    matter = {"type": "matter", "id": "DC-7", "source": "人大代表建议", "assigned_on": "2026-12-01", "lead_unit": "市交通局"}
    with Supervisor("jinan-2016-30") as supervisor:
        supervisor.post({"type": "clock", "id": "Y0", "on": "2026-11-30"})
        # 3 months from 2026-12-01 end in 2027: refused without 2027's holidays, accepted with them
        supervisor.post({"type": "matter_assigned", "id": "Y1", "on": "2026-12-01", "matter": matter})
        assert [m.id for m in supervisor.state().matters] == ["DC-7"]


def test_check_prints_what_it_verified_and_the_year_as_month_grids(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar", "check", SYNTHETIC_2027)
    assert (code, err) == (0, "")
    assert f"{SYNTHETIC_2027}: 2027 can be installed" in out
    for said in ("complete year", "every one named: 元旦 3天、春节 7天", "each a Saturday or Sunday",
                 "2027-02-20(星期六, 春节)", "every other Saturday and Sunday is a rest day",
                 "next to the known years 2004-2026", "29 days off for holidays"):
        assert said in out, said
    assert not (store / "calendar").exists()  # check installs nothing
    lines = out.splitlines()
    headers = [i for i, line in enumerate(lines) if line.startswith("一   二   三   四   五   六   日")]
    assert len(headers) == 6 and all("一   二" in lines[i].split("    ", 2)[-1] for i in headers)  # 2 months a row
    january = lines[headers[0] + 1]
    # 2027-01-01 is a Friday: under 五, marked 休; Sat and Sun are holidays too in the fixture
    assert january.startswith(" " * 20 + " 1休  2休  3休")
    # a 调休 working Saturday is marked 班 under 六: 2027-02-20
    february_week = next(line for line in lines if "20班" in line)
    month_part = february_week.split("    ")[-1] if february_week.startswith("18") else february_week
    assert "20班" in month_part
    # the second month of a row starts at the same display column on every line (CJK marks are
    # two columns wide, so character offsets would differ)
    for i in headers:
        block = [line for line in lines[i - 1 : i + 7] if len(line) > 40]
        assert len(block) >= 6
        for line in block:
            gap, right = from_column(line, 34), from_column(line, 38)
            assert gap is not None and gap.startswith("    ") and right is not None, line
        assert from_column(lines[i], 38) == lines[i][: lines[i].index("    ")]  # the same header
    assert "休 法定节假日放假" in out and "班 调休上班" in out


def test_marks_fall_under_the_right_weekday(capsys: pytest.CaptureFixture[str]) -> None:
    from govrules.calendar.month_view import month_lines

    lines = month_lines(2027, 2, {date(2027, 2, 6): "春节"}, {date(2027, 2, 20): "春节"})
    saturday = display_width(lines[1][: lines[1].index("六")])
    six = next(line for line in lines[2:] if " 6休" in line)
    twenty = next(line for line in lines[2:] if "20班" in line)
    assert display_width(six[: six.index(" 6休")]) == saturday == 25
    assert display_width(twenty[: twenty.index("20班")]) == saturday


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("year: 2027\ncomplete: true\nsource: x\nholidays: [{date: 2027-01-01, name: ''}]\nworking_weekends: []\n",
         ":4:37: holidays[0].name: String should have at least 1 character"),
        ("year: 2027\ncomplete: false\nsource: x\nholidays: [{date: 2027-01-01, name: 元旦}]\nworking_weekends: []\n",
         ":2:11: complete: must be true"),
        ("year: 2027\ncomplete: true\nsource: x\nholidays: [{date: 2027-01-01, name: 元旦}]\n"
         "working_weekends: [{date: 2027-01-04, name: 元旦}]\n", ":5:27: working_weekends[0].date: 2027-01-04 is a weekday"),
        ("year: 2026\ncomplete: true\nsource: x\nholidays: [{date: 2026-01-01, name: 元旦}]\nworking_weekends: []\n",
         ": year: 2026 is already known"),
        ("year: 2028\ncomplete: true\nsource: x\nholidays: [{date: 2028-01-03, name: 元旦}]\nworking_weekends: []\n",
         ": year: 2028 is not next to the known years 2004-2026: supply 2027 first"),
    ],
)
@pytest.mark.parametrize("command", ["check", "add"])
def test_a_bad_year_file_is_one_message_naming_file_and_field(
        store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, text: str, said: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "calendar", command, path)
    assert (code, out) == (2, "")
    assert err.startswith(f"govrules: error: {path}") and said in err and err.count("\n") == 1, err
    assert not (store / "calendar" / "2027.yaml").exists() and not (store / "calendar" / "2028.yaml").exists()


def test_remove_of_a_year_not_installed_and_bad_arguments(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "calendar", "remove", "2027")
    assert code == 2 and "2027 is not installed (installed: none)" in err
    code, _, err = run(capsys, "calendar", "remove", "twenty")
    assert code == 2 and err.count("\n") == 1 and "invalid int value" in err
    code, _, err = run(capsys, "calendar")
    assert code == 2 and err.count("\n") == 1


def test_a_broken_installed_year_stops_evaluation_with_the_fix_but_list_and_remove_still_work(
        store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (store / "calendar").mkdir(parents=True)
    (store / "calendar" / "2027.yaml").write_text("year: [\n", encoding="utf-8")
    code, _, err = run(capsys, *DEADLINE)
    assert code == 2 and err.count("\n") == 1
    assert "2027.yaml:2:1: not valid YAML" in err and "govrules calendar remove 2027" in err
    code, out, _ = run(capsys, "calendar", "list")
    assert code == 0 and "broken" in out
    assert run(capsys, "calendar", "remove", "2027")[0] == 0
    code, _, err = run(capsys, *DEADLINE)
    assert "no holiday data for 2027" in err
