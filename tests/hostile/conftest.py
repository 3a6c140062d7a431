"""Hostile input for every reader: garbage, bombs, boundary sizes. Each reader must return a value
or raise only its documented error, with a message of bounded size, within a bounded time
(hostile_bounds.py); the strategies are in hostile_strategies.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
