"""Accountability ladders: for each responsible unit, the highest step reached as of a date
(the counting is semantics.ladder's, the wording semantics.wording's)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from govrules.semantics.compiled import CompiledPack, compile_pack
from govrules.engine.options import DEFAULT, Options
from govrules.semantics.results import UnitAccountability
from govrules.models import Event
from govrules.packs.schema import LadderRule, Pack
from govrules.semantics.ladder import highest_step, ladder_tally
from govrules.semantics.wording import accountability_message


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
            step = highest_step(rule, tally)
            clause = cp.clauses[step.clause] if step else active.clause
            msg = accountability_message(rule, tally, unit, as_of, step, clause.citation)
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
