"""The one date type of the interchange contract: ISO ``YYYY-MM-DD`` and nothing else.

Pydantic's lax mode would also take a Unix timestamp or a datetime string; a supervision
system that sends ``1700000000`` by mistake must get an error, not a date in 2023.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from govrules.errors import excerpt

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Far beyond any supervised matter, and far inside what date arithmetic can hold: a case dated
# 9999-12-31 would otherwise overflow when a weekly report is counted past it.
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def parse_iso_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {excerpt(value)}")
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:  # e.g. 2026-02-30
        raise ValueError(f"{value!r} is not a real date ({exc})") from None  # 10 characters, by _ISO
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{value!r} is outside the supported range {EARLIEST} to {LATEST}")
    return day


IsoDate = Annotated[
    date,
    BeforeValidator(parse_iso_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
