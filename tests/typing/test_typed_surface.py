"""govrules is a typed package: a consumer checked with ``mypy --strict`` sees its annotations."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import govrules

CONSUMER = Path(__file__).resolve().parent / "consumer.py"


def test_the_package_carries_the_py_typed_marker() -> None:
    assert (Path(govrules.__file__).resolve().parent / "py.typed").is_file()


def test_consumer_passes_mypy_strict(tmp_path: Path) -> None:
    # Run from an empty folder with an empty config, so that govrules is found as an installed
    # package (as another project finds it) and the repository's own mypy settings play no part.
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config),
         "--cache-dir", str(tmp_path / "cache"), str(CONSUMER)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found in 1 source file"), done.stdout


def test_consumer_runs(capsys: pytest.CaptureFixture[str]) -> None:
    # The script type-checks against what the API really does: it runs, and its answers are right.
    spec = importlib.util.spec_from_file_location("govrules_typing_consumer", CONSUMER)
    assert spec and spec.loader
    consumer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(consumer)
    consumer.main()
    out = capsys.readouterr().out
    assert "DC-1 overdue\n" in out
    assert f"{govrules.__version__} 2026-05-08\n" in out
    assert "{'市交通局': 1}" in out
    assert "no-such-folder/x.yaml:1:1 file not found\n" in out
