"""`govrules validate` on a good/bad suite of pack files.

Each file in bad/ states its expected error on its first line:

    # error: LINE:COL: <substring of the message>

and, where the expected error is not what govrules does today (a known bug), a second line

    # xfail: BUG: <what goes wrong>

The test runs ``main(["validate", file])`` and wants exit code 2, nothing on stdout and
``file:LINE:COL:`` plus the substring on stderr.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govrules.cli import main
from govrules.packs import rules_dir

HERE = Path(__file__).resolve().parent
BAD = sorted((HERE / "bad").glob("*.yaml"))
GOOD = sorted((HERE / "good").glob("*.yaml"))
HEADER = re.compile(r"# error: (\d+):(\d+): (.+)")


def expectation(path: Path) -> tuple[int, int, str, str | None]:
    lines = path.read_text(encoding="utf-8").splitlines()
    match = HEADER.fullmatch(lines[0])
    assert match, f"{path.name}: the first line must be '# error: LINE:COL: message'"
    xfail = lines[1].removeprefix("# xfail: ") if lines[1].startswith("# xfail: ") else None
    return int(match[1]), int(match[2]), match[3], xfail


def params() -> list[object]:
    out = []
    for path in BAD:
        *_, xfail = expectation(path)
        marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


def validate(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, str, str]:
    code = main(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_suite_is_there() -> None:
    # One file per problem the brief lists, plus a few more; a lost folder must not pass quietly.
    names = {p.stem for p in BAD}
    assert len(BAD) >= 20
    assert {"typo_key", "duplicate_key", "duplicate_rule_id", "duplicate_clause_id", "rule_without_clause",
            "unknown_clause", "python_tag", "custom_tag", "anchor_alias", "unknown_field",
            "unknown_category_value", "period_two_units", "default_without_exception",
            "interpretation_not_declared", "only_under_unknown_option", "ladder_levels_out_of_order",
            "not_yaml"} <= names
    assert [p.name for p in GOOD] == ["minimal.yaml"]


@pytest.mark.parametrize("path", params())
def test_bad_pack(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line, col, message, _ = expectation(path)
    code, out, err = validate(capsys, path)
    assert code == 2, err
    assert out == ""
    assert err.startswith("govrules: error: ")
    assert err.count("\n") == 3, f"one message, then the source line and its caret: {err!r}"
    assert f"{path}:{line}:{col}: " in err, err
    assert message in err, err


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_pack_differs_from_good_in_one_place(path: Path) -> None:
    # Each bad file is the good pack with one problem: little else may change.
    import difflib

    good = (HERE / "good" / "minimal.yaml").read_text(encoding="utf-8").splitlines()[1:]
    bad = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith(("# error:", "# xfail:"))]
    changed = [l for l in difflib.unified_diff(good, bad, lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert 1 <= len(changed) <= 30, changed


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_pack_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, path)
    assert (code, err) == (0, "")
    assert out == f"{path}: ok (minimal: 1 clauses, 1 rules)\n"


BUNDLED = sorted(p for p in rules_dir().glob("*.yaml") if not p.name.endswith(".cases.yaml"))


def test_there_are_bundled_packs() -> None:
    assert "jinan-2016-30" in {p.stem for p in BUNDLED}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_pack_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, path)
    assert (code, err) == (0, "")
    assert re.fullmatch(rf"{re.escape(str(path))}: ok \({re.escape(path.stem)}: \d+ clauses, \d+ rules\)\n", out), out


def test_validate_several_files_stops_at_the_bad_one_and_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = HERE / "good" / "minimal.yaml", HERE / "bad" / "duplicate_key.yaml"
    code, out, err = validate(capsys, good, bad)
    assert code == 2
    assert out == ""  # nothing partial: the good file's "ok" line is not printed either
    assert f"{bad}:30:5: duplicate key 'force'" in err


def _good_text() -> str:
    return (HERE / "good" / "minimal.yaml").read_text(encoding="utf-8")


def test_ten_megabyte_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(_good_text() + "padding: " + "x" * (10 * 1024 * 1024) + "\n", encoding="utf-8")
    size = path.stat().st_size
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert f"{path}:1:1: a pack is {size} bytes; the limit is 1000000 bytes (1 MB)" in err
    assert err.count("\n") == 1


def _with_outcome(chars: int) -> str:
    text = _good_text()
    old = "    outcome: 3个工作日内办结或回复进展情况\n"
    assert old in text
    return text.replace(old, "    outcome: " + "办" * chars + "\n")


def test_scalar_over_ten_thousand_characters_is_refused_at_its_position(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 10,001 CJK characters (30 KB in UTF-8): under the file limit, over the scalar limit.
    path = tmp_path / "long.yaml"
    path.write_text(_with_outcome(10_001), encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("    outcome: "))
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert f"{path}:{line}:14: a value of 10001 characters; the limit is 10000" in err


def test_scalar_of_exactly_ten_thousand_characters_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(_with_outcome(10_000), encoding="utf-8")
    code, out, err = validate(capsys, path)
    assert (code, err) == (0, "")
    assert out.endswith(": ok (minimal: 1 clauses, 1 rules)\n")


def test_billion_laughs_is_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert f"{path}:1:5: anchors and aliases are not allowed" in err


def test_missing_pack_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.yaml"
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert err == f"govrules: error: {path}:1:1: file not found\n"


def test_empty_pack_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert err == f"govrules: error: {path}:1:1: the file is empty\n"


def test_pack_that_is_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- id: x\n", encoding="utf-8")
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert f"{path}:1:1: a pack is a mapping" in err


def test_pack_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(_good_text().encode("gbk"))
    code, out, err = validate(capsys, path)
    assert (code, out) == (2, "")
    assert f"{path}:1:39: not UTF-8: byte(s) " in err  # file:line:col of the first GBK byte
