"""The engine's pack of every rule kind (tests/engine/packs/kinds.yaml), for the differential
tests (reference ↔ ledger ↔ stream) beside the bundled packs, and one variant of it.

In kinds.yaml the 10-working-day deadline rule applies to every matter, so its recurring reports
never give a matter's deadline and status. The variant ``test-kinds-daily`` limits that rule to
常务会议 matters: a 突发事件 then has no deadline rule and its daily reports (obligation/daily,
first_period next) stand in for one (semantics.md, "Status of a matter as of a date")."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from govrules.packs import bundled_pack, load_pack
from govrules.packs.schema import Pack

KINDS_ID = "test-kinds"
KINDS_DAILY_ID = "test-kinds-daily"
KINDS_PATH = Path(__file__).resolve().parent / "engine" / "packs" / "kinds.yaml"
# the sources their `when`s name: 突发事件 (obligation/daily), 常务会议 (obligation/quarter-end)
KINDS_SOURCES = ("突发事件", "常务会议", "突发事件")
_TEN = "period: {working_days: 10}}"


@cache
def pack_of(pack_id: str) -> Pack:
    """A bundled pack by id, the kinds pack, or its variant."""
    if pack_id == KINDS_ID:
        return load_pack(KINDS_PATH)
    if pack_id == KINDS_DAILY_ID:
        text = KINDS_PATH.read_text(encoding="utf-8")
        assert text.count(_TEN) == 1, "kinds.yaml's deadline/ten changed: update the variant"
        return load_pack(KINDS_PATH, text.replace(_TEN, "period: {working_days: 10}, when: {field: source, eq: 常务会议}}"))
    return bundled_pack(pack_id)



