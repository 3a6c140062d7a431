"""The examples on the hand-written pages are true: each ```console block's command prints exactly
the output shown (stdout and stderr), and each ```python block runs (its asserts state what it
shows)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["getting-started.md", "json.md", "pack-tools.md", "frame.md", "pictures.md", "ledger-files.md"]


def blocks(lang: str) -> list[tuple[str, int, str]]:
    found = []
    for name in PAGES:
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for m in re.finditer(rf"^```{lang}\n(.*?)^```", text, re.S | re.M):
            found.append((name, text[: m.start()].count("\n") + 1, m.group(1)))
    return found


CONSOLE = blocks("console")
PYTHON = blocks("python")


def test_the_pages_have_examples() -> None:
    assert len(CONSOLE) >= 4 and len(PYTHON) >= 1


@pytest.mark.parametrize(("page", "line", "block"), CONSOLE, ids=[f"{p}:{n}" for p, n, _ in CONSOLE])
def test_console_example_prints_what_the_page_shows(page: str, line: int, block: str) -> None:
    command, _, shown = block.partition("\n")
    assert command.startswith("$ "), f"{page}:{line}: a console block starts with '$ command'"
    # the commands as a reader runs them after the set-up: the environment's bin first on PATH
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # stderr is shown too (an error is an example worth showing), so it is compared as well
    proc = subprocess.run(["bash", "-c", command[2:]], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=60)
    assert proc.stdout == shown, f"{page}:{line}: the output shown is not what the command prints"


@pytest.mark.parametrize(("page", "line", "block"), PYTHON, ids=[f"{p}:{n}" for p, n, _ in PYTHON])
def test_python_example_runs(page: str, line: int, block: str) -> None:
    exec(compile(block, f"{page}:{line}", "exec"), {})  # the page's own example
