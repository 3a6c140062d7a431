"""Run the govrules CLI in-process and capture what it prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli_runner import Run, run_cli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def govrules(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``govrules("evaluate", ...)``: exit code, stdout and stderr of one CLI run."""
    return lambda *argv: run_cli(capsys, *argv)


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
