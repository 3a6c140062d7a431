"""Accountability ladders: the counting window, which events count toward a trigger, and the
highest step reached. The one place a ladder's meaning is written: the reference
(``engine.accountability``) and the stream (durable-rules matches the steps on these counts) both
count with it, so they cannot read a trigger differently."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from govrules.models import Event
from govrules.packs.schema import LadderRule, LadderStep, Trigger


def ladder_window(rule: LadderRule, as_of: date) -> tuple[str, date]:
    """The label and first day of the counting window (年度内 = the calendar year of as_of)."""
    if rule.window == "calendar_year":
        return str(as_of.year), date(as_of.year, 1, 1)
    return "cumulative", date.min


def ladder_kinds(rule: LadderRule) -> set[str]:
    """The event kinds that can move a unit on the ladder: those counted, and those a count
    requires before it (a late-recorded 通报批评 can make an earlier-recorded 整改不力 count)."""
    return {k for step in rule.steps for t in step.triggers for k in (*t.kinds, *t.requires_prior)}


@dataclass(frozen=True)
class LadderTally:
    """One unit's events on one ladder as of a date, counted as its triggers count them."""

    window: str
    events: tuple[Event, ...]  # those that count toward some trigger, in the order given
    counts: dict[str, int]  # of those, per kind, in order of first appearance
    triggers: dict[tuple[int, int], int]  # (step level, trigger index) -> the trigger's count
    not_counted: tuple[Event, ...]  # of a kind only a requires_prior trigger counts, without the prior event

    def reached(self, step: LadderStep) -> bool:
        return any(self.triggers[step.level, j] >= t.at_least for j, t in enumerate(step.triggers))


def ladder_tally(rule: LadderRule, events: Iterable[Event], as_of: date) -> LadderTally:
    """Count one unit's ``events`` (later ones ignored) on ``rule`` as of ``as_of``.

    An event counts toward a trigger if it is of a kind the trigger counts and, where the trigger
    requires a prior event, one of those kinds lies in the window on an earlier day (the same day
    cannot be known to be before: events carry dates, not times, and a 整改 ordered with a
    通报批评 cannot fall short on the day it is ordered)."""
    label, first_day = ladder_window(rule, as_of)
    window = [e for e in events if first_day <= e.on <= as_of]
    triggers = {(s.level, j): t for s in rule.steps for j, t in enumerate(s.triggers)}
    earliest: dict[str, date] = {}
    for e in window:
        earliest[e.kind] = min(e.on, earliest.get(e.kind, e.on))

    def counts_toward(t: Trigger, e: Event) -> bool:
        if not t.requires_prior:
            return True
        return any(k in earliest and earliest[k] < e.on for k in t.requires_prior)

    # a kind listed twice in a trigger counts twice, as a sum over its kinds does
    per_trigger = {key: sum(e.kind == k and counts_toward(t, e) for k in t.kinds for e in window)
                   for key, t in triggers.items()}
    counts_any = [any(e.kind in t.kinds and counts_toward(t, e) for t in triggers.values()) for e in window]
    counted = tuple(e for e, yes in zip(window, counts_any) if yes)
    counts: dict[str, int] = {}
    for e in counted:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    prior_only = {k for t in triggers.values() if t.requires_prior for k in t.kinds}
    not_counted = tuple(e for e, yes in zip(window, counts_any) if not yes and e.kind in prior_only)
    return LadderTally(label, counted, counts, per_trigger, not_counted)


def highest_step(rule: LadderRule, tally: LadderTally) -> LadderStep | None:
    """The highest step whose trigger the tally reaches (steps are listed lowest first)."""
    return next((s for s in reversed(rule.steps) if tally.reached(s)), None)
