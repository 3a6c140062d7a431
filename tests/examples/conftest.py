"""The synthetic ledger generator (examples/generate_ledger.py), loaded as a module."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ledger_generator import generator

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    return generator()


@pytest.fixture(scope="session")
def ledger(gen: ModuleType) -> list[dict[str, Any]]:
    """The ledger of the README's command: seed 7, 1000 matters, 100 meetings, 200 documents, 50 events, 2026."""
    objects: list[dict[str, Any]] = gen.generate(7)
    return objects
