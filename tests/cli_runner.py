"""The govrules CLI run in-process, its exit code and what it printed: shared by the CLI's tests
and those of other folders that drive a command (tests/conftest.py puts this folder on sys.path)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govrules.cli import main


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Run:
    """argparse reports usage errors by raising SystemExit(2) out of main(); that counts as the
    exit code too, as it would for the console script."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return Run(code, out, err)
