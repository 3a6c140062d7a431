"""What the semantics decided for a finding, as data: the one explanation every executor carries.

A finding's ``trace`` is one of these records, holding the facts its decision used (dates, counts,
the outcome) and nothing worded. ``semantics.wording.render`` turns a trace into the Chinese a
clerk reads — the only place a finding's message is made — so the reference's messages, the
ledger path's explanations (made by the reference on demand) and the stream's actions cannot word
one decision two ways. Records are NamedTuples: one is made per finding, also when no message is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from govrules.packs.schema import Period


class DeadlineTrace(NamedTuple):
    """A deadline rule's count from the assignment (base_due None: an explicit deadline is needed
    and absent), the deadline after any extension, and the status as of a date."""

    subject: str
    start: date
    base_due: date | None
    due: date | None
    status: str | None
    as_of: date
    remaining: int | None  # working days left, for a pending matter


class ExtensionTrace(NamedTuple):
    outcome: str  # semantics.extension.OUTCOMES
    requested_on: date
    asked_for: date  # the new deadline requested
    due: date  # the deadline before it
    new_due: date  # after it (capped)
    cap: date | None  # the deadline rule's extension_cap from the assignment, if it has one
    cap_period: Period | None
    cap_citation: str | None


class LateTrace(NamedTuple):
    """A matter done late or overdue: a breach, or advice under an advisory rule."""

    lead_unit: str
    subject: str
    dated: str  # done_late or overdue
    completed_on: date | None
    due: date
    as_of: date


class MissedTrace(NamedTuple):
    missed: Sequence[date]
    floor: bool  # more may lie in a year the calendar does not know


class NextReportTrace(NamedTuple):
    next_due: date
    duty: bool  # someone else's (the 督查室's): not the unit's deadline


class LimitTrace(NamedTuple):
    measured: str
    value: int
    most: int


class DeemedTrace(NamedTuple):
    period: Period
    start: date
    due: date
    answer: date | None
    outcome: str


class CheckTrace(NamedTuple):
    reasons: tuple[str, ...]  # the facts of the case that break the rule


class QuotaTrace(NamedTuple):
    key: object
    year: int
    position: int  # the case is the position-th of its group that year
    unit: str
    as_of: date
    members: int  # cases of the group that year, as of the date
    limit: int
    before: int | None  # last year's count, for a cut from it
    reduce_by: float | None


class UnknownTrace(NamedTuple):
    """The finding needs a year the calendar does not know."""

    year: int
    known: tuple[int, int] | None
    what: str


Trace = (DeadlineTrace | ExtensionTrace | LateTrace | MissedTrace | NextReportTrace | LimitTrace | DeemedTrace
         | CheckTrace | QuotaTrace | UnknownTrace)
