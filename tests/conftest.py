"""Helpers shared by the tests of several folders (tests/ledger_generator.py) are importable."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
