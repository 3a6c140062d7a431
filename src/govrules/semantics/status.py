"""What a deadline rule lets a matter's status be: the one place every executor asks.

semantics.md, "Status of a matter as of a date" and "Normative force":

* only a mandatory or default rule can make a matter ``overdue`` (逾期) or ``done_late`` (逾期办结);
  an advisory rule (滁州 第19项 "实行当日事当日毕") gives its target date and, when missed, advice,
  and the matter stays 办理中 / counts as 按期办结;
* a progress reply within a limit that "办结或回复进展情况" meets (济南 第十六条) makes the matter
  ``replied`` (已回复进展,待办结) until it is completed: the limit is met, no deadline runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final, get_args

from govrules.models import Matter
from govrules.packs.schema import Force
from govrules.semantics.ops import ABSENT, SCALAR, Ops, Value
from govrules.semantics.results import Status

# Every status, in the order the ledger path codes them; then "pending": not done, replied nor
# overdue, where the 临期 window decides between due_soon and on_track.
STATUSES: Final[tuple[Status, ...]] = get_args(Status)
DATED: Final[tuple[str, ...]] = (*STATUSES, "pending")
PENDING: Final = "pending"

# The status an advisory rule shows instead of a breach: a target missed is advice, not lateness.
ADVISORY_INSTEAD: dict[Status, Status] = {"overdue": "on_track", "done_late": "done"}
LATE: frozenset[Status] = frozenset({"overdue", "done_late"})


def under_force(force: Force, status: Status) -> Status:
    """``status`` as a rule of ``force`` may show it: an advisory rule never makes a matter late."""
    return ADVISORY_INSTEAD.get(status, status) if force == "advisory" else status


def dated_status(x: Ops, *, completed: Value, due: Value, as_of: Value, earliest_report: Value,
                 reply_counts: Value) -> Value:
    """The status a deadline's dates give, before the rule's force has its say (``under_force``)
    and before the 临期 window (``window_status``) splits "pending". semantics.md, "Status":

    * completed by as_of: 按期办结 if on or before the deadline, or if a progress reply met a limit
      that "办结或回复进展情况" satisfies (``reply_counts``), else 逾期办结;
    * a progress reply on or before the limit (and by as_of): 已回复进展,待办结 — no deadline runs;
    * as_of past the deadline: 逾期; else pending.

    ``completed`` and ``earliest_report`` may be absent (ops.ABSENT / NaT): no test holds for them."""
    done = completed <= as_of
    met = x.and_(reply_counts, reply_in_time(x, earliest_report, due, as_of))
    on_time = x.or_(completed <= due, met)
    return x.first(((x.and_(done, on_time), "done"), (done, "done_late"), (met, "replied"), (due < as_of, "overdue")),
                   PENDING, DATED)


def window_status(x: Ops, remaining: Value, warning: int) -> Value:
    """A pending matter within ``warning`` working days of its deadline is 临期, else 办理中."""
    return x.first(((remaining <= warning, "due_soon"),), "on_track", DATED)


def reply_in_time(x: Ops, earliest_report: Value, due: Value, as_of: Value) -> Value:
    """A progress report filed on or before the limit (and known by ``as_of``): under a rule that
    "办结或回复进展情况" satisfies, the limit is met, whenever the matter is completed."""
    return earliest_report <= x.minimum(due, as_of)


def earliest_report(matter: Matter) -> date:
    """The matter's first progress report, or ops.ABSENT."""
    return min(matter.reports, default=ABSENT)


def reply_met(matter: Matter, due: date, as_of: date) -> bool:
    """``reply_in_time`` for one matter."""
    return bool(reply_in_time(SCALAR, earliest_report(matter), due, as_of))


def reports_stand_in(has_rule: bool, rule_status: Status | None, reports_status: Status | None) -> bool:
    """Whether the owed recurring reports (周报, 季报: their earliest missed or next due date, and
    the status it gives) stand in for the deadline rule's deadline and status: when no deadline
    rule applies, or while a progress reply has met the rule's limit and the matter awaits
    completion (``replied``: 济南 第十七条's weekly reports run on after 第十六条's reply). Once the
    matter is completed the rule speaks again: the reply met its limit, so it is done."""
    if reports_status is None:
        return False
    return not has_rule or rule_status == "replied"


def standing_report(owed: Sequence[tuple[bool, bool]]) -> int | None:
    """Which of the owed recurring reports, in pack order, each (a report missed, a next due known),
    stands in for the deadline (see ``reports_stand_in``): the last with a missed report (its first
    miss makes the matter overdue), else the first with a next due; None if none has either."""
    last_miss = max((i for i, (missed, _) in enumerate(owed) if missed), default=None)
    if last_miss is not None:
        return last_miss
    return next((i for i, (_, upcoming) in enumerate(owed) if upcoming), None)
