"""The batch evaluator's tests; the random ledgers (batch_ledgers.py) sit next to them."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
