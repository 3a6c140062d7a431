"""Helpers shared by the tests of several folders (tests/ledger_generator.py) are importable.

Tests never see the developer's own installed years (`govrules calendar add`): for the whole run
GOVRULES_DATA_DIR points at an empty directory of its own. This is set when pytest starts, not in
a fixture, because test modules build ``WorkCalendar.default()`` at import, during collection,
before any fixture runs. Subprocesses started by tests inherit it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

_DATA_DIR_ENV = "GOVRULES_DATA_DIR"  # govrules.calendar.installed.DATA_DIR_ENV; not imported before it is set
_saved: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    _saved["before"] = os.environ.get(_DATA_DIR_ENV)
    _saved["dir"] = tempfile.mkdtemp(prefix="govrules-test-data-")
    os.environ[_DATA_DIR_ENV] = _saved["dir"]
    from govrules.calendar.work_calendar import clear_default_calendar

    clear_default_calendar()  # in case a plugin imported and used it already


def pytest_unconfigure(config: pytest.Config) -> None:
    before, made = _saved.get("before"), _saved.get("dir")
    if before is None:
        os.environ.pop(_DATA_DIR_ENV, None)
    else:
        os.environ[_DATA_DIR_ENV] = before
    if made:
        shutil.rmtree(made, ignore_errors=True)
