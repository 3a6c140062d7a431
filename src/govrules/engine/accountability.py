"""Accountability ladders: for each responsible unit, the highest step reached as of a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from govrules.engine.compiled import CompiledPack, compile_pack
from govrules.engine.options import DEFAULT, Options
from govrules.engine.results import UnitAccountability
from govrules.models import Event
from govrules.packs.schema import LadderRule, LadderStep, Pack


def _window(rule: LadderRule, as_of: date) -> tuple[str, date]:
    """The label and first day of the counting window (年度内 = the calendar year of as_of)."""
    if rule.window == "calendar_year":
        return str(as_of.year), date(as_of.year, 1, 1)
    return "cumulative", date.min


def _reached(step: LadderStep, counts: dict[str, int]) -> bool:
    return any(sum(counts.get(k, 0) for k in t.kinds) >= t.at_least for t in step.triggers)


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
        label, first_day = _window(rule, as_of)
        qualifying = {k for step in rule.steps for t in step.triggers for k in t.kinds}
        for unit in units:
            mine = [e for e in events if e.unit == unit and first_day <= e.on <= as_of and e.kind in qualifying]
            counts: dict[str, int] = {}
            for e in mine:
                counts[e.kind] = counts.get(e.kind, 0) + 1
            step = next((s for s in reversed(rule.steps) if _reached(s, counts)), None)
            clause = cp.clauses[step.clause] if step else active.clause
            tally = "、".join(f"{k}{n}次" for k, n in counts.items()) or "无计入事件"
            window_zh = f"{label}年度内" if rule.window == "calendar_year" else "累计"
            if step:
                msg = f"{unit}截至{as_of}({window_zh}):{tally};达到第{step.level}级:{step.outcome}(依{clause.citation})。"
            else:
                msg = f"{unit}截至{as_of}({window_zh}):{tally};未达到问责条件。"
            out.append(UnitAccountability(
                unit=unit, pack=cp.id, rule=active.full_id, as_of=as_of,
                level=step.level if step else 0,
                outcome=step.outcome if step else None,
                counted=len(mine), window=label,
                citation=clause.citation, clause_text=clause.text, force=rule.force,
                targets=tuple(step.targets) if step else (),
                copied_to=tuple(step.copied_to) if step else (),
                events=tuple(e.id for e in mine),
                message=msg,
                interpretations=active.interpretations,
                in_force=all(in_force_of[e.id] for e in mine),
            ))
    return out
