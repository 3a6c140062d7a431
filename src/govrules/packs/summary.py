"""One line about a pack: what `govrules packs --format json` and `GET /packs` print for it."""

from __future__ import annotations

# typing.TypedDict before 3.12 lacks what pydantic needs to give the JSON Schema of the service
from typing_extensions import TypedDict

from govrules.packs.schema import Pack, Status


class PackSummary(TypedDict):
    """The keys in this order are the JSON contract; dates are ISO strings."""

    id: str
    title: str
    doc_number: str | None
    issuer: str | None
    issued: str | None
    in_force_from: str | None
    status: Status
    # the first day no longer in force; "unknown" when the source does not say whether it ended
    ended: str | None
    clauses: int
    rules: int


def pack_summary(pack: Pack) -> PackSummary:
    v = pack.validity
    return {
        "id": pack.id,
        "title": pack.title,
        "doc_number": pack.doc_number,
        "issuer": pack.issuer,
        "issued": pack.issued.isoformat() if pack.issued else None,
        "in_force_from": v.in_force_from.isoformat() if v.in_force_from else None,
        "status": v.status,
        "ended": v.ended.isoformat() if v.ended else ("unknown" if not v.end_known else None),
        "clauses": len(pack.clauses),
        "rules": len(pack.rules),
    }
