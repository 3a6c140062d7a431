"""A data directory of the test's own (GOVRULES_DATA_DIR)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govrules.calendar.installed import DATA_DIR_ENV
from govrules.calendar.work_calendar import clear_default_calendar


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data directory for this test; the default calendar is rebuilt from it, and again
    from the session's own afterwards."""
    data = tmp_path / "govrules-data"
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    clear_default_calendar()
    yield data
    clear_default_calendar()
