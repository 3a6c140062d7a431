"""One explanation: every finding the reference makes carries the trace of what the semantics
decided, and its message is that trace rendered (semantics.wording.render) — nothing else words it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from govrules.engine import compile_pack, evaluate_all
from govrules.engine.evaluate import evaluate
from govrules.engine.options import DEFAULT, Options
from govrules.models.parse import parse_object
from govrules.packs import bundled_ids, bundled_pack
from govrules.semantics.compiled import Active, CompiledPack
from govrules.semantics.trace import (
    DeadlineTrace, ExtensionTrace, LateTrace, MissedTrace, NextReportTrace, QuotaTrace, UnknownTrace,
)
from govrules.semantics.wording import render
from tests.ledger_generator import generator

LEDGER = Path(__file__).parents[2] / "examples" / "ledger.json"
AS_OF = (date(2026, 5, 11), date(2026, 12, 31))
# which trace a finding of each kind may carry
KIND_TRACES = {
    "deadline": (DeadlineTrace, ExtensionTrace),
    "obligation": (NextReportTrace,),
    "unknown": (UnknownTrace,),
}


def _actives(cp: CompiledPack) -> dict[str, Active]:
    every = [*cp.deadlines, *cp.obligations, *cp.extensions, *cp.ladders, *cp.quotas,
             *(a for group in cp.checks.values() for a in group)]
    return {a.full_id: a for a in every}


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_every_message_is_its_trace_rendered(pack_id: str) -> None:
    cp = compile_pack(bundled_pack(pack_id))
    actives = _actives(cp)
    cal = DEFAULT.work_calendar()
    objects = generator().generate(7, matters=300, meetings=60, documents=80, events=0)
    cases = [parse_object(o) for o in objects if o.get("type") != "event"]
    seen: set[str] = set()
    for as_of in AS_OF:
        for ev in evaluate_all(cases, as_of, cp, Options(allow_not_in_force=True)):
            for f in ev.findings:
                assert f.trace is not None, f
                assert render(f.trace, actives[f.rule], cal) == f.message
                if f.kind in KIND_TRACES:
                    assert isinstance(f.trace, KIND_TRACES[f.kind]), (f.kind, f.trace)
                seen.add(type(f.trace).__name__)
    assert "DeadlineTrace" in seen or not cp.deadlines


def test_trace_is_the_same_without_messages() -> None:
    """explain=False leaves messages empty and decides the same: the traces are equal."""
    cp = compile_pack(bundled_pack("jinan-2016-30"))
    cases = [parse_object(c) for c in json.loads(LEDGER.read_text(encoding="utf-8"))]
    for case in cases:
        full = evaluate(case, date(2026, 5, 11), cp)
        bare = evaluate(case, date(2026, 5, 11), cp, explain=False)
        assert [f.trace for f in full.findings] == [f.trace for f in bare.findings]
        assert all(f.message == "" for f in bare.findings)


def test_traces_name_the_decision() -> None:
    """A late matter's trace says late and when; a missed report's, which dues."""
    cp = compile_pack(bundled_pack("jinan-2016-30"))
    matter = parse_object({"type": "matter", "id": "T1", "source": "市领导批示", "assigned_on": "2026-03-02",
                         "lead_unit": "市交通运输局"})
    ev = evaluate(matter, date(2026, 5, 11), cp)
    late = [f.trace for f in ev.findings if isinstance(f.trace, LateTrace)]
    assert late and late[0].dated == "overdue" and late[0].due == ev.deadline
    assert all(not isinstance(f.trace, (MissedTrace, QuotaTrace)) for f in ev.findings)
