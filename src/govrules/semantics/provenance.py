"""Which calendar an answer used, as the result records it (CalendarUsed)."""

from __future__ import annotations

import functools
from typing import Any

from govrules.calendar import WorkCalendar
from govrules.semantics.results import CalendarSourceUsed, CalendarUsed


@functools.lru_cache(maxsize=16)
def calendar_used(cal: WorkCalendar) -> CalendarUsed:
    """One shared record per calendar (a calendar never changes): built once, not per evaluation."""
    found: dict[str, Any] = cal.provenance()
    span = found["provisional_years"]
    return CalendarUsed(
        years=(found["years"][0], found["years"][1]),
        sources=tuple(CalendarSourceUsed(years=(s["years"][0], s["years"][1]), kind=s["kind"], source=s["source"],
                                         version=s["version"], file=s["file"], sha256=s["sha256"])
                      for s in found["sources"]),
        provisional_years=(span[0], span[1]) if span else None,
    )
