"""The supervision stream's tests. Most need durable-rules (a worker process is started per
Supervisor, ~0.15 s); where it cannot be imported they are skipped, and the tests of
test_unavailable.py show what the stream says instead."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# the shared helpers (stream_helpers.py) sit next to the tests
sys.path.insert(0, str(Path(__file__).resolve().parent))

from govrules.stream import durable_status  # noqa: E402

DURABLE, WHY_NOT = durable_status()
needs_durable = pytest.mark.skipif(not DURABLE, reason=f"durable-rules unavailable: {WHY_NOT}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/stream" in str(item.path) and not item.path.name.startswith("test_unavailable"):
            if not DURABLE:
                item.add_marker(needs_durable)
