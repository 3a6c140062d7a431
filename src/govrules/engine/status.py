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

from govrules.engine.results import Status
from govrules.models import Matter
from govrules.packs.schema import DeadlineRule, Force

# The status an advisory rule shows instead of a breach: a target missed is advice, not lateness.
ADVISORY_INSTEAD: dict[Status, Status] = {"overdue": "on_track", "done_late": "done"}
LATE: frozenset[Status] = frozenset({"overdue", "done_late"})


def under_force(force: Force, status: Status) -> Status:
    """``status`` as a rule of ``force`` may show it: an advisory rule never makes a matter late."""
    return ADVISORY_INSTEAD.get(status, status) if force == "advisory" else status


def reply_met(matter: Matter, due: date, as_of: date) -> bool:
    """A progress report filed on or before the limit (and known by ``as_of``): under a rule that
    "办结或回复进展情况" satisfies, the limit is met, whenever the matter is completed."""
    return any(r <= due and r <= as_of for r in matter.reports)


def replied(rule: DeadlineRule, matter: Matter, due: date, as_of: date) -> bool:
    """The rule's limit ``due`` is met by a progress reply: "办结或回复进展情况" satisfies the rule
    and a report came by the limit (status ``replied`` until the matter is completed)."""
    return "report" in rule.satisfied_by and reply_met(matter, due, as_of)


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
