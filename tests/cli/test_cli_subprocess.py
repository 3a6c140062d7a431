"""The CLI as another system runs it: a separate process, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def command() -> list[str]:
    script = shutil.which("govrules", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "govrules.cli"]


def run(*argv: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*command(), *map(str, argv)], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60, check=False)


def bad_matter(tmp_path: Path) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"type": "matter", "id": "DC-9", "source": "市长批示", "assigned_on": "2026-04-30",
                                 "lead_unit": "市交通局"}], ensure_ascii=False), encoding="utf-8")
    return path


def bad_pack(tmp_path: Path) -> Path:
    path = tmp_path / "evil.yaml"
    # the command would print "pwned" only if run: the pack's own text (shown in the error's
    # excerpt) says pw%sned
    path.write_text('id: !!python/object/apply:os.system ["printf pw%sned"]\n', encoding="utf-8")
    return path


def test_good_run(tmp_path: Path) -> None:
    p = run("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-05-11", "--format", "json", REPO / "examples" / "ledger.json")
    assert (p.returncode, p.stderr) == (0, "")
    results = json.loads(p.stdout)
    assert results[0]["id"] == "DC-2026-001" and results[0]["status"] == "overdue"


@pytest.mark.parametrize("case", ["unknown-source", "python-tag-pack", "stdin-not-json", "bad-as-of"])
def test_bad_input_exits_2_without_traceback(tmp_path: Path, case: str) -> None:
    if case == "unknown-source":
        path = bad_matter(tmp_path)
        p = run("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-05-11", path)
        expected = f"govrules: error: {path}: [0] (id DC-9): source: unknown value '市长批示'"
    elif case == "python-tag-pack":
        path = bad_pack(tmp_path)
        p = run("validate", path)
        expected = f"govrules: error: {path}:1:5: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"
    elif case == "stdin-not-json":
        p = run("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-05-11", "-", stdin="{not json")
        expected = "govrules: error: <stdin>:1:2: not valid JSON"
    else:
        p = run("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-13-01", REPO / "examples" / "ledger.json")
        expected = "govrules: error: argument --as-of: '2026-13-01' is not a real date"
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    assert "Traceback" not in p.stderr
    assert "pwned" not in p.stderr + p.stdout
    assert expected in p.stderr, p.stderr
