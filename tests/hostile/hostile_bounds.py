"""Bounds every hostile test asserts: the size of a message and the time of one example."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings

# One message: its fixed words, the place (a file name) and at most a few problems (5 of one
# object), each quoting at most an 80-character excerpt.
MESSAGE_CHARS = 1200

# Per example, loosely: a reader that went quadratic or exponential would blow far past this.
HOSTILE = settings(max_examples=60, deadline=timedelta(seconds=2), derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def bounded(message: str, name: str = "") -> str:
    """``message`` if it is of bounded size (beyond the place it names), else an AssertionError."""
    assert len(message) <= MESSAGE_CHARS + 3 * len(name), f"{len(message)} characters: {message[:300]!r}…"
    assert "Traceback" not in message
    return message
