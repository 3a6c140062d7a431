"""Run the govrules CLI in-process and capture what it prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govrules.cli import main

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def govrules(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``govrules("evaluate", ...)``: exit code, stdout and stderr of one CLI run.

    argparse reports usage errors by raising SystemExit(2) out of main(); that counts as the
    exit code too, as it would for the console script.
    """

    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def ledger() -> Path:
    return REPO / "examples" / "ledger.json"


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[str, Any], Path]:
    def write(name: str, data: Any) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
