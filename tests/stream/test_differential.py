"""The stream and the batch reference agree: same actions, same final states.

Hypothesis draws random event sequences -- matters assigned (every source, urgencies, complex,
explicit deadlines, assigned a few days before they are posted), reports, extensions asked early or
late, approved or not, time limits set anew, completions, days passing, accountability events of every kind -- across
the Jinan, Shaoxing and Panjin ladders and their alternative readings, and the engine's pack of
every rule kind (tests/engine/packs/kinds.yaml), over a year end (so that
the 年度内 windows restart). Each sequence goes through a fresh Supervisor (one event at a time, or
in batches of random size) and through the plain reference of stream_helpers.py, which evaluates
every matter and every unit after every event. Every action must match: kind, subject, rule,
citation, level, status, deadline, targets, copied_to, date, causing event.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules import Options, bundled_pack, compile_pack
from govrules.stream import Supervisor
from kinds_packs import KINDS_DAILY_ID, KINDS_ID, KINDS_SOURCES, pack_of
from stream_helpers import (
    EVENT_KINDS, SOURCES, UNITS, assigned, clock, completed, deadline_set, extension, of_action, problem,
    reference_run, report, same_final, stream_final,
)

PACKS = {
    # pack: (readings a run may choose, sources most relevant to it, allow_not_in_force)
    "jinan-2016-30": ({"criticism-count": ["criticisms-only", "overdue-counts"],
                       "progress-reply": ["reply-satisfies", "completion-only"]}, SOURCES, False),
    "shaoxing-2008-185": ({"strike-window": ["calendar-year", "cumulative"],
                           "serious-circumstances": ["consequence-only", "falsification-or-consequence"]},
                          ("专题会议", "常务会议", "专题会议", "市领导批示"), False),
    "panjin-2015-142": ({"interview-window": ["cumulative", "calendar-year"],
                         "poor-implementation": ["rectification-counts", "overdue-only"]},
                        ("工作计划", "工作计划", "交办"), True),
    # an advisory deadline rule (滁州 第19项, in force in 2009 only: opted in)
    "chuzhou-2009-8": ({"same-day-force": ["advisory-same-day", "mandatory-same-day"]},
                       ("来文", "交办", "工作计划"), True),
    # the engine's pack of every rule kind: a 10-working-day deadline, an extension only for a
    # complex matter, daily reports for a 突发事件, a quarter-end schedule for a 常务会议
    KINDS_ID: ({}, KINDS_SOURCES, False),
    KINDS_DAILY_ID: ({}, KINDS_SOURCES, False),  # the same, a 突发事件's daily reports giving its status
}
LAST_DAY = date(2026, 6, 20)  # deadlines and reports stay inside the years the calendar knows


@st.composite
def event_sequences(draw: Any, pack_id: str) -> list[dict[str, Any]]:
    _, sources, _ = PACKS[pack_id]
    day = date(2025, 12, 1) + timedelta(days=draw(st.integers(0, 40)))
    events: list[dict[str, Any]] = []
    open_matters: list[str] = []
    all_matters: list[str] = []
    for n in range(draw(st.integers(4, 32))):
        day = min(LAST_DAY, day + timedelta(days=draw(st.sampled_from([0, 0, 1, 1, 2, 3, 5, 9]))))
        on = day.isoformat()
        eid = f"E{n}"
        kinds = ["assign", "clock", "problem"] + (["report", "extension", "complete", "deadline"] if open_matters else [])
        kind = draw(st.sampled_from(kinds + ["assign", "clock"] + (["report"] if open_matters else [])))
        if kind == "assign":
            mid = f"M{len(all_matters)}"
            source = draw(st.sampled_from(sources if draw(st.booleans()) else SOURCES))
            fields: dict[str, Any] = {
                "assigned_on": (day - timedelta(days=draw(st.sampled_from([0, 0, 1, 4, 12])))).isoformat(),
                "urgency": draw(st.sampled_from(["一般", "一般", "紧急", "特急"])),
                "complex": draw(st.booleans()),
                "needs_consultation": draw(st.booleans()),
            }
            if draw(st.integers(0, 3)) == 0:
                fields["explicit_deadline"] = (day + timedelta(days=draw(st.integers(0, 40)))).isoformat()
            if draw(st.integers(0, 4)) == 0:
                fields["co_units"] = [draw(st.sampled_from(UNITS))]
            events.append(assigned(eid, on, mid, source, draw(st.sampled_from(UNITS)), **fields))
            open_matters.append(mid)
            all_matters.append(mid)
        elif kind == "clock":
            events.append(clock(eid, on))
        elif kind == "problem":
            events.append(problem(eid, on, draw(st.sampled_from(UNITS)), draw(st.sampled_from(EVENT_KINDS))))
        elif kind == "report":
            events.append(report(eid, on, draw(st.sampled_from(all_matters))))
        elif kind == "extension":
            new = day + timedelta(days=draw(st.integers(0, 45)))
            events.append(extension(eid, on, draw(st.sampled_from(open_matters)), new.isoformat(), draw(st.booleans())))
        elif kind == "deadline":  # a time limit set anew (济南 第十五条), from today on
            new = day + timedelta(days=draw(st.integers(0, 30)))
            events.append(deadline_set(eid, on, draw(st.sampled_from(open_matters)), new.isoformat()))
        else:
            mid = draw(st.sampled_from(open_matters))
            open_matters.remove(mid)
            events.append(completed(eid, on, mid))
    return events


def run_both(pack_id: str, events: list[dict[str, Any]], choices: dict[str, str], warning: int, batch: int) -> None:
    _, _, allow = PACKS[pack_id]
    options = Options(warning_workdays=warning, interpretations=choices, allow_not_in_force=allow)
    cp = compile_pack(pack_of(pack_id), choices)
    expected, final = reference_run(cp, options, events)
    with Supervisor(cp, options, chunk_size=max(1, batch), cross_check=True) as sup:
        if batch == 0:
            actions = [a for e in events for a in sup.post(e)]
        else:
            outcomes = sup.post_all(events)
            assert [o.error for o in outcomes if o.error] == []
            actions = [a for o in outcomes for a in o.actions]
        state = sup.state()
        incidents = sup.incidents
    assert incidents == (), incidents  # in particular no disagreement: cross_check asked the reference for each answer
    got = sorted(of_action(a) for a in actions)
    assert got == sorted(expected), _diff(got, sorted(expected))
    assert same_final(stream_final(state), final), (stream_final(state), final)


def _diff(got: list[Any], want: list[Any]) -> str:
    extra = [g for g in got if g not in want]
    missing = [w for w in want if w not in got]
    return f"stream only: {extra[:5]}; reference only: {missing[:5]}"


@pytest.mark.parametrize("pack_id", list(PACKS))
@settings(max_examples=int(os.environ.get("GOVRULES_STREAM_EXAMPLES", "14")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_stream_and_batch_reference_agree(pack_id: str, data: st.DataObject) -> None:
    events = data.draw(event_sequences(pack_id), label="events")
    choices = {key: data.draw(st.sampled_from(values), label=key) for key, values in PACKS[pack_id][0].items()}
    warning = data.draw(st.sampled_from([3, 3, 0, 5]), label="warning_workdays")
    batch = data.draw(st.sampled_from([0, 1, 3, 64]), label="batch (0: post one at a time)")
    run_both(pack_id, events, choices, warning, batch)


def test_a_year_end_restarts_the_jinan_count_and_escalates_again() -> None:
    events = [
        problem("E1", "2025-12-01", "市交通局", "通报批评"),
        problem("E2", "2025-12-20", "市交通局", "通报批评"),
        clock("E3", "2026-01-02"),
        problem("E4", "2026-01-05", "市交通局", "通报批评"),
        problem("E5", "2026-02-05", "市交通局", "通报批评"),
    ]
    run_both("jinan-2016-30", events, {}, 3, 0)
    cp = compile_pack(bundled_pack("jinan-2016-30"))
    expected, _ = reference_run(cp, Options(), events)
    assert [(e.caused_by, e.level) for e in expected] == [("E1", 1), ("E2", 2), ("E4", 1), ("E5", 2)]


def test_an_obligation_driven_matter_agrees_too() -> None:
    # 政府工作报告 has no deadline rule in Jinan: the quarterly report drives its status
    events = [assigned("E1", "2026-03-20", "GW-1", "政府工作报告"), clock("E2", "2026-04-10"),
              clock("E3", "2026-04-16"), report("E4", "2026-04-20", "GW-1"), clock("E5", "2026-07-20")]
    run_both("jinan-2016-30", events, {}, 3, 0)
    run_both("panjin-2015-142", [assigned("E1", "2026-01-10", "P-1", "工作计划"), clock("E2", "2026-01-27"),
                                 clock("E3", "2026-02-02")], {}, 3, 0)


def test_a_reply_then_weekly_reports_agree_too() -> None:
    # 济南 第十六条（六）met by a progress reply (replied); the complex matter's 第十七条 weekly
    # reports then give its status: one missed makes it overdue, cited under 第十七条
    events = [assigned("E1", "2026-04-20", "DC-W", "市领导批示", complex=True), report("E2", "2026-04-22", "DC-W"),
              clock("E3", "2026-04-28"), clock("E4", "2026-05-06"), report("E5", "2026-05-07", "DC-W"),
              assigned("E6", "2026-05-11", "DC-R", "上级批示"), report("E7", "2026-05-12", "DC-R"),
              clock("E8", "2026-06-01"), completed("E9", "2026-06-02", "DC-R")]
    run_both("jinan-2016-30", events, {}, 3, 0)
    run_both("jinan-2016-30", events, {"progress-reply": "completion-only"}, 3, 3)


def test_a_season_of_daily_supervision_agrees_with_the_reference() -> None:
    # a clock event every day: every warning window and every deadline is met on its own day
    from stream_helpers import year_of_events
    events = year_of_events(n_matters=40, seed=23, start=date(2025, 10, 1), days=120)
    assert len(events) > 250
    run_both("jinan-2016-30", events, {}, 3, 64)
