"""Accountability ladders: for each responsible unit, the highest step reached as of a date.

``ladder_tally`` is the one place a ladder's counting is written: the reference evaluator here and
the stream (govrules.stream) both count with it, so they cannot read a trigger differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from govrules.engine.compiled import CompiledPack, compile_pack
from govrules.engine.options import DEFAULT, Options
from govrules.engine.results import UnitAccountability
from govrules.models import Event
from govrules.packs.schema import LadderRule, LadderStep, Pack, Trigger


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


def tally_text(rule: LadderRule, tally: LadderTally) -> str:
    """The counts as a clerk reads them, e.g. '通报批评1次、整改不力1次', naming what did not count."""
    text = "、".join(f"{k}{n}次" for k, n in tally.counts.items()) or "无计入事件"
    if tally.not_counted:
        missing: dict[str, set[str]] = {}
        for t in (t for s in rule.steps for t in s.triggers if t.requires_prior):
            for k in t.kinds:
                missing.setdefault(k, set()).update(t.requires_prior)
        skipped: dict[str, int] = {}
        for e in tally.not_counted:
            skipped[e.kind] = skipped.get(e.kind, 0) + 1
        text += "".join(f"({k}{n}次:此前无{'或'.join(sorted(missing[k]))},不计入)" for k, n in skipped.items())
    return text


def accountability(events: Iterable[Event], as_of: date, pack: Pack | CompiledPack, options: Options = DEFAULT) -> list[UnitAccountability]:
    """One result per (ladder, unit), units in order of first appearance; later events are ignored."""
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    events = list(events)
    in_force_of: dict[str, bool] = {
        e.id: cp.check_in_force(e.on, options.allow_not_in_force, f"event {e.id}") for e in events
    }
    units = list(dict.fromkeys(e.unit for e in events))
    out: list[UnitAccountability] = []
    for active in cp.ladders:
        rule = active.rule
        assert isinstance(rule, LadderRule)
        for unit in units:
            tally = ladder_tally(rule, (e for e in events if e.unit == unit), as_of)
            mine = tally.events
            step = next((s for s in reversed(rule.steps) if tally.reached(s)), None)
            clause = cp.clauses[step.clause] if step else active.clause
            window_zh = f"{tally.window}年度内" if rule.window == "calendar_year" else "累计"
            head = f"{unit}截至{as_of}({window_zh}):{tally_text(rule, tally)};"
            if step:
                msg = f"{head}达到第{step.level}级:{step.outcome}(依{clause.citation})。"
            else:
                msg = f"{head}未达到问责条件。"
            out.append(UnitAccountability(
                unit=unit, pack=cp.id, rule=active.full_id, as_of=as_of,
                level=step.level if step else 0,
                outcome=step.outcome if step else None,
                counted=len(mine), window=tally.window,
                citation=clause.citation, clause_text=clause.text, force=rule.force,
                targets=tuple(step.targets) if step else (),
                copied_to=tuple(step.copied_to) if step else (),
                events=tuple(e.id for e in mine),
                message=msg,
                interpretations=active.interpretations,
                in_force=all(in_force_of[e.id] for e in mine),
            ))
    return out
