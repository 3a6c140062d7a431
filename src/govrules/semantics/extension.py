"""An extension of a matter's deadline (济南 第十八条; semantics.md, "Extensions"): written once,
over semantics.ops, for the reference (one matter) and the ledger path (columns).

A request counts once it is known (filed by as_of) and is judged by the first extension rule
that applies to the matter: refused where the rule does not allow the matter an extension, too
late where it had to precede the deadline and did not, waiting while approval it needs is
missing, else granted — the new deadline, held to the deadline rule's extension_cap.
"""

from __future__ import annotations

from typing import Final

from govrules.semantics.ops import Ops, Value
from govrules.semantics.results import FindingKind

OUTCOMES: Final = ("refused", "late", "waiting", "granted")
# The finding each outcome is: a refusal or a late request breaks the rule; a request awaiting
# approval is advice (nothing is wrong yet); a granted one gives the deadline.
OUTCOME_KIND: Final[dict[str, FindingKind]] = {
    "refused": "violation", "late": "violation", "waiting": "advice", "granted": "deadline",
}


def asked(requested: Value, as_of: Value) -> Value:
    """The request is known by as_of (an absent request is never)."""
    return requested <= as_of


def extension_outcome(x: Ops, *, allowed: Value, must_precede: Value, requested: Value, due: Value,
                      needs_approval: Value, approved: Value) -> Value:
    """Which of OUTCOMES a known request has under its rule (``due``: the deadline before it)."""
    return x.first(((x.not_(allowed), "refused"),
                    (x.and_(must_precede, due <= requested), "late"),
                    (x.and_(needs_approval, x.not_(approved)), "waiting")), "granted", OUTCOMES)


def capped(x: Ops, new_deadline: Value, cap: Value) -> Value:
    """A granted deadline held to the cap (an absent cap, NaT, holds nothing back)."""
    return x.where(new_deadline > cap, cap, new_deadline)
