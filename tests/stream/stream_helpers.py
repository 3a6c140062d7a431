"""Shared by the stream tests: event builders and the batch reference the stream must agree with.

The reference is deliberately plain and independent of the stream's code: after every event it
rebuilds each matter from the events so far, evaluates *every* matter with ``evaluate`` and
every unit with ``accountability`` as of the event's date, and derives the actions from the
changes (a status becoming due_soon or overdue, a ladder level rising). The stream evaluates
only what may have changed and lets durable-rules do the matching; the two must agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from govrules import Options, accountability, evaluate
from govrules.engine import CompiledPack
from govrules.models import Event, Extension, Matter
from govrules.packs.schema import ObligationRule
from govrules.stream import (
    AccountabilityOccurred, Action, ClockTick, DeadlineSet, ExtensionRequested, MatterAssigned, MatterCompleted,
    ReportFiled, StreamEvent, StreamState, parse_event,
)

UNITS = ("市交通局", "市住建局", "市教育局")
SOURCES = (
    "上级批示", "上级督查", "全体会议", "常务会议", "专题会议", "现场办公会议", "政府工作报告", "重要文件",
    "重点项目", "市领导批示", "人大代表建议", "政协提案", "来文", "交办", "工作计划",
)
EVENT_KINDS = ("逾期未报结", "通报批评", "整改不力", "约谈", "约谈无效果", "弄虚作假", "严重后果")


def assigned(eid: str, on: str, mid: str, source: str = "市领导批示", unit: str = "市交通局", **fields: Any) -> dict[str, Any]:
    matter = {"type": "matter", "id": mid, "source": source, "assigned_on": fields.pop("assigned_on", on),
              "lead_unit": unit, **fields}
    return {"type": "matter_assigned", "id": eid, "on": on, "matter": matter}


def clock(eid: str, on: str) -> dict[str, Any]:
    return {"type": "clock", "id": eid, "on": on}


def report(eid: str, on: str, mid: str) -> dict[str, Any]:
    return {"type": "report", "id": eid, "on": on, "matter_id": mid}


def completed(eid: str, on: str, mid: str) -> dict[str, Any]:
    return {"type": "completed", "id": eid, "on": on, "matter_id": mid}


def extension(eid: str, on: str, mid: str, new_deadline: str, approved: bool = True) -> dict[str, Any]:
    return {"type": "extension", "id": eid, "on": on, "matter_id": mid, "new_deadline": new_deadline, "approved": approved}


def deadline_set(eid: str, on: str, mid: str, deadline: str) -> dict[str, Any]:
    return {"type": "deadline_set", "id": eid, "on": on, "matter_id": mid, "deadline": deadline}


def problem(eid: str, on: str, unit: str, kind: str, event_id: str | None = None) -> dict[str, Any]:
    return {"type": "accountability_event", "id": eid, "on": on,
            "event": {"type": "event", "id": event_id or f"ev-{eid}", "unit": unit, "on": on, "kind": kind}}


# -- the reference --------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Expected:
    """What an action must say, in a form both sides produce."""

    caused_by: str
    kind: str
    subject: str
    rule: str
    level: int | None
    status: str | None
    deadline: date | None
    citation: str
    targets: tuple[str, ...]
    copied_to: tuple[str, ...]
    on: date


def of_action(a: Action) -> Expected:
    return Expected(a.caused_by, a.kind, a.subject, a.rule, a.level, a.status, a.deadline, a.citation,
                    a.targets, a.copied_to, a.on)


def _cited_rule(cp: CompiledPack, matter: Matter, status: str, findings: Any, today: date) -> tuple[str, str]:
    """The rule (and citation) an action about this matter cites: the first deadline rule whose
    ``when`` holds (the reference evaluator's choice), unless a progress reply met its limit (济南
    第十六条 "办结或回复进展情况": no deadline runs then); else the recurring-report finding that
    gives the status (the last missed one when overdue, else the first one still owed)."""
    first = next((a for a in cp.deadlines if a.applies(matter)), None)
    due = findings[0].due if findings else None
    replied = (first is not None and "report" in first.rule.satisfied_by and due is not None  # type: ignore[union-attr]
               and any(r <= due and r <= today for r in matter.reports))
    if first is not None and not replied:
        return first.full_id, first.clause.citation
    owed = {a.full_id: a for a in cp.obligations if isinstance(a.rule, ObligationRule) and a.rule.reports_required}
    if status == "overdue":
        picked = [f for f in findings if f.rule in owed and f.kind != "obligation"][-1]
    else:
        picked = [f for f in findings if f.rule in owed and f.kind == "obligation"][0]
    return picked.rule, owed[picked.rule].clause.citation


def apply_event(matters: dict[str, Matter], units: list[Event], ev: StreamEvent) -> None:
    if isinstance(ev, MatterAssigned):
        matters[ev.matter.id] = ev.matter
    elif isinstance(ev, ReportFiled):
        m = matters[ev.matter_id]
        matters[m.id] = m.model_copy(update={"reports": (*m.reports, ev.on)})
    elif isinstance(ev, ExtensionRequested):
        m = matters[ev.matter_id]
        ext = Extension(requested_on=ev.on, new_deadline=ev.new_deadline, approved=ev.approved)
        matters[m.id] = m.model_copy(update={"extension": ext})
    elif isinstance(ev, MatterCompleted):
        m = matters[ev.matter_id]
        matters[m.id] = m.model_copy(update={"completed_on": ev.on})
    elif isinstance(ev, DeadlineSet):
        m = matters[ev.matter_id]
        matters[m.id] = m.model_copy(update={"explicit_deadline": ev.deadline})
    elif isinstance(ev, AccountabilityOccurred):
        units.append(ev.event)
    else:
        assert isinstance(ev, ClockTick)


def reference_run(cp: CompiledPack, options: Options, raw_events: list[dict[str, Any]]) -> tuple[list[Expected], dict[str, Any]]:
    """The actions the batch reference derives, event by event, and the final state."""
    matters: dict[str, Matter] = {}
    units: list[Event] = []
    status_before: dict[str, str | None] = {}
    level_before: dict[tuple[str, str], tuple[str, int]] = {}
    out: list[Expected] = []
    today: date | None = None
    for raw in raw_events:
        ev = parse_event(raw)
        apply_event(matters, units, ev)
        today = ev.on
        for mid, m in matters.items():
            result = evaluate(m, today, cp, options)
            before = status_before.get(mid, "new")
            status = result.status
            if status != before and status in ("due_soon", "overdue"):
                rule, citation = _cited_rule(cp, m, status, result.findings, today)
                out.append(Expected(ev.id, "催办" if status == "due_soon" else "逾期", mid, rule, None, status,
                                    result.deadline, citation, (m.lead_unit, *m.co_units), (), today))
            status_before[mid] = status
        if units:
            for ua in accountability(units, today, cp, options):
                window, level = level_before.get((ua.rule, ua.unit), (ua.window, 0))
                before_level = level if window == ua.window else 0
                if ua.level > before_level:
                    out.append(Expected(ev.id, "问责", ua.unit, ua.rule, ua.level, None, None, ua.citation,
                                        ua.targets, ua.copied_to, today))
                level_before[(ua.rule, ua.unit)] = (ua.window, ua.level)
    final: dict[str, Any] = {"clock": today, "matters": {}, "ladders": {}}
    if today is not None:
        final["matters"] = {mid: (evaluate(m, today, cp, options).status) for mid, m in matters.items()}
        if units:
            final["ladders"] = {(ua.rule, ua.unit): ua.level for ua in accountability(units, today, cp, options)}
    return out, final


def stream_final(state: StreamState) -> dict[str, Any]:
    return {
        "clock": state.clock,
        "matters": {m.id: m.status for m in state.matters},
        "ladders": {(l.rule, l.unit): l.level for l in state.ladders},
    }


def same_final(stream: dict[str, Any], reference: dict[str, Any]) -> bool:
    """Equal, counting a (ladder, unit) the stream never saw a qualifying event for as level 0."""
    if stream["clock"] != reference["clock"] or stream["matters"] != reference["matters"]:
        return False
    keys = set(stream["ladders"]) | set(reference["ladders"])
    return all(stream["ladders"].get(k, 0) == reference["ladders"].get(k, 0) for k in keys)


# -- a realistic year of supervision, for the crash and concurrency tests -----------------------------


def year_of_events(n_matters: int = 120, seed: int = 7, start: date = date(2025, 1, 1), days: int = 240) -> list[dict[str, Any]]:
    """Matters assigned over the year with reports, extensions and completions, a clock event
    every day and some accountability events; ids unique, dates in order."""
    rng = random.Random(seed)
    per_day: dict[date, list[dict[str, Any]]] = {}
    jinan_sources = [s for s in SOURCES if s != "工作计划"]
    for i in range(n_matters):
        d = start + timedelta(days=rng.randrange(days - 60))
        mid = f"M{i}"
        fields: dict[str, Any] = {"urgency": rng.choice(["一般"] * 8 + ["紧急", "特急"]), "complex": rng.random() < 0.2}
        if rng.random() < 0.3:
            fields["explicit_deadline"] = (d + timedelta(days=rng.randrange(1, 60))).isoformat()
        per_day.setdefault(d, []).append(assigned("", d.isoformat(), mid, rng.choice(jinan_sources), rng.choice(UNITS), **fields))
        for _ in range(rng.randrange(3)):
            r = d + timedelta(days=rng.randrange(1, 40))
            per_day.setdefault(r, []).append(report("", r.isoformat(), mid))
        if rng.random() < 0.1:
            r = d + timedelta(days=rng.randrange(1, 10))
            per_day.setdefault(r, []).append(extension("", r.isoformat(), mid, (r + timedelta(days=30)).isoformat(), True))
        if rng.random() < 0.8:
            r = d + timedelta(days=rng.randrange(11, 50))
            per_day.setdefault(r, []).append(completed("", r.isoformat(), mid))
    for k in range(days // 6):
        d = start + timedelta(days=rng.randrange(days))
        per_day.setdefault(d, []).append(problem("", d.isoformat(), rng.choice(UNITS), rng.choice(EVENT_KINDS), f"ev{k}"))
    order = {"matter_assigned": 0, "report": 1, "extension": 2, "completed": 3, "accountability_event": 4}
    out: list[dict[str, Any]] = []
    for i in range(days):
        d = start + timedelta(days=i)
        out.append(clock(f"C{len(out)}", d.isoformat()))
        for e in sorted(per_day.get(d, []), key=lambda e: order[e["type"]]):
            out.append({**e, "id": f"E{len(out)}"})
    return out
