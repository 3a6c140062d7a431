"""`govrules validate` shows the offending line with a caret under the value, CJK counted as two
columns; ``str(PackError)`` stays the one line ``file:line:column: problem``."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.cli import main
from govrules.errors import PackError, caret_excerpt
from govrules.packs import load_pack

GOOD = Path(__file__).resolve().parents[1] / "bad_packs" / "good" / "minimal.yaml"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "pack.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err.splitlines()


ART16_6 = "(六)对市委、市政府领导同志批示、指示事项办理落实情况,要即接即办,一般应在3个工作日内办结或回复进展情况。"
# (what is broken, the line before, the line after, the message's location and text, the caret line)
CASES = [
    ("typo key, ASCII line", "    clause: art16.6\n", "    claus: art16.6\n",
     "28:5: unknown key 'claus'", "    ^^^^^"),  # the caret sits under the misspelt key
    ("unknown clause, ASCII line", "    clause: art16.6\n", "    clause: art16.9\n",
     "28:13: rule 'deadline/city-leader-instruction' cites clause 'art16.9'", "            ^^^^^^^"),
    ("CJK value", "    when: {field: source, eq: 市领导批示}\n", "    when: {field: source, eq: 市长批示}\n",
     "34:11: '市长批示' is not a value of matter.source", "          " + "^" * 29),  # 25 characters
    ("value after CJK text", "  - id: art16.6\n    citation: 济政办发〔2016〕30号 第十六条第（六）项\n    text: " + ART16_6 + "\n",
     "  - {citation: 济政办发〔2016〕30号 第十六条第（六）项, id: Art16.6, text: \"" + ART16_6 + "\"}\n",
     "15:45: String should match pattern", " " * 60 + "^" * 7),
    ("YAML error inside a CJK line", "title: 市政府督促检查工作规则\n", "title: 市政府督促检查工作规则: 草案\n",
     "3:19: not valid YAML: mapping values are not allowed", " " * 29 + "^"),
    ("CJK clause id", "  - id: art16.6\n", "  - id: 第十六条\n",
     "15:9: String should match pattern", "        ^^^^^^^^"),
]


@pytest.mark.parametrize(("old", "new", "message", "caret"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_caret_under_the_value(old: str, new: str, message: str, caret: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = broken(tmp_path, old, new)
    lines = validate(path, capsys)
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"govrules: error: {path}:{message}"), lines[0]
    line_no = int(message.split(":")[0])
    assert lines[1] == path.read_text(encoding="utf-8").splitlines()[line_no - 1]
    assert lines[2] == caret


def test_the_caret_lines_up_under_cjk() -> None:
    # 4 spaces + "citation: " (10) + 济政办发 (4 × 2) = column 23 on screen
    assert caret_excerpt("    citation: 济政办发 x", 19, 1).splitlines()[1] == " " * 22 + "^"
    assert caret_excerpt("a: 市政府", 4, 3).splitlines()[1] == "   ^^^^^^"
    assert caret_excerpt("\tk: v", 5, 1).splitlines()[1] == "\t   ^"  # a tab stays a tab
    assert caret_excerpt("k: ", 4, 1).splitlines()[1] == "   ^"  # an empty value still gets a caret


def test_a_long_line_is_cut_after_the_value() -> None:
    line, caret = caret_excerpt("    text: " + "办" * 500, 11, 500).splitlines()
    assert line == "    text: " + "办" * 80 + " …"
    assert caret == " " * 10 + "^" * 160


def test_str_stays_one_line_and_the_excerpt_is_an_attribute(tmp_path: Path) -> None:
    path = broken(tmp_path, "    clause: art16.6\n", "    claus: art16.6\n")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    exc = caught.value
    assert str(exc) == f"{path}:28:5: unknown key 'claus' (and 1 more problem)"
    assert exc.location == f"{path}:28:5" and type(exc.location) is str
    assert (exc.source_line, exc.column, exc.width) == ("    claus: art16.6", 5, 5)
    assert exc.excerpt() == "    claus: art16.6\n    ^^^^^"
    assert exc.report() == f"{exc}\n{exc.excerpt()}"


def test_text_given_to_load_pack_is_the_text_shown(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("force: default", "force: sometimes")
    with pytest.raises(PackError) as caught:
        load_pack(tmp_path / "never-written.yaml", text)
    assert caught.value.excerpt() == "    force: sometimes\n           ^^^^^^^^^"


def test_no_excerpt_where_there_is_no_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(PackError) as caught:
        load_pack(missing)
    assert (caught.value.source_line, caught.value.excerpt()) == (None, "")
    assert caught.value.report() == str(caught.value)
    assert validate(missing, capsys) == [f"govrules: error: {missing}:1:1: file not found"]
