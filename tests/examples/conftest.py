"""The synthetic ledger generator (examples/generate_ledger.py), loaded as a module."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "examples" / "generate_ledger.py"


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_ledger", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def ledger(gen: ModuleType) -> list[dict[str, Any]]:
    """The ledger of the README's command: seed 7, 1000 matters, 100 meetings, 200 documents, 50 events, 2026."""
    objects: list[dict[str, Any]] = gen.generate(7)
    return objects
