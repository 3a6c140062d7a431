"""The stream acts the moment a rule fires: 催办 in the warning window, 逾期 past the deadline, the
next accountability step when a unit fails again; each action cites its clause and names its
targets and copied_to where the clause says so. Examples read as sentences of the regulations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from govrules import Options
from govrules.stream import Action, Supervisor
from stream_helpers import assigned, clock, completed, deadline_set, extension, problem, report


@pytest.fixture(scope="module")
def jinan() -> Iterator[Supervisor]:
    """One Supervisor for the Jinan scenarios: each uses its own matter ids and units, and the
    scenarios run in date order (the stream's date only moves forward)."""
    with Supervisor("jinan-2016-30") as sup:
        yield sup


def kinds(actions: list[Action]) -> list[tuple[str, str]]:
    return [(a.kind, a.subject) for a in actions]


def test_a_city_leader_instruction_is_urged_in_its_warning_window_and_overdue_after_three_working_days(jinan: Supervisor) -> None:
    # 济南 第十六条（六）: 市领导批示 within 3 working days; 2026-04-30 + 3 working days, the Labour
    # Day break skipped, is 2026-05-08; 3 working days or fewer remain from the start: 催办 at once
    first = jinan.post(assigned("J1-1", "2026-04-30", "DC-1", "市领导批示", "市交通局", co_units=["市公安局"]))
    assert kinds(first) == [("催办", "DC-1")]
    urge = first[0]
    assert urge.deadline == date(2026, 5, 8) and urge.status == "due_soon" and urge.on == date(2026, 4, 30)
    assert urge.citation == "济政办发〔2016〕30号 第十六条第（六）项、第七条第（四）项、第七条第（五）项"  # also_cites
    assert urge.rule == "jinan-2016-30/deadline/city-leader-instruction"
    assert urge.targets == ("市交通局", "市公安局") and urge.copied_to == ()
    assert "3个工作日" in urge.clause_text and urge.caused_by == "J1-1"
    assert jinan.post(clock("J1-2", "2026-05-08")) == []  # still due_soon: no second 催办
    late = jinan.post(clock("J1-3", "2026-05-11"))
    assert kinds(late) == [("逾期", "DC-1")]
    assert late[0].deadline == date(2026, 5, 8) and late[0].status == "overdue" and late[0].unit == "市交通局"
    assert jinan.post(clock("J1-4", "2026-05-12")) == []  # overdue once, not every day


def test_a_progress_reply_within_the_limit_meets_a_city_leader_instruction(jinan: Supervisor) -> None:
    # “办结或回复进展情况”: a report by the deadline satisfies it (interpretation progress-reply)
    assert kinds(jinan.post(assigned("J2-1", "2026-05-13", "DC-2", "市领导批示", "市住建局"))) == [("催办", "DC-2")]
    assert jinan.post(report("J2-2", "2026-05-14", "DC-2")) == []
    assert jinan.post(clock("J2-3", "2026-05-25")) == []
    state = {m.id: m for m in jinan.state().matters}
    assert (state["DC-2"].status, state["DC-2"].deadline) == ("replied", None)  # 已回复进展,待办结: no deadline runs


def test_a_time_limit_set_anew_after_a_progress_reply_is_the_deadline_from_then_on() -> None:
    # 第十五条 "不能按时办结的,要说明理由,并按新确定的期限要求尽快办理": after the reply that met
    # 第十六条（六）, the new limit is the matter's explicit deadline (第十六条 "在规定期限内办结")
    with Supervisor("jinan-2016-30") as sup:
        sup.post(assigned("N1", "2026-06-01", "DC-N", "市领导批示", "市交通局"))
        assert sup.post(report("N2", "2026-06-02", "DC-N")) == []
        assert sup.post(clock("N3", "2026-06-05")) == []  # the reply met the 3 working days
        assert sup.post(deadline_set("N4", "2026-06-05", "DC-N", "2026-06-26")) == []
        assert sup.post(clock("N5", "2026-06-22")) == []  # 4 working days left
        urge = sup.post(clock("N6", "2026-06-23"))
        assert kinds(urge) == [("催办", "DC-N")] and urge[0].deadline == date(2026, 6, 26)
        assert urge[0].rule == "jinan-2016-30/deadline/general-explicit"
        assert urge[0].citation == "济政办发〔2016〕30号 第十六条、第七条第（四）项、第七条第（五）项"
        late = sup.post(clock("N7", "2026-06-29"))
        assert kinds(late) == [("逾期", "DC-N")] and late[0].deadline == date(2026, 6, 26)


def test_after_a_reply_the_weekly_reports_of_a_complex_matter_run_on_and_a_missed_one_is_cited() -> None:
    # 第十六条（六）"3个工作日内办结或回复进展情况" met by the reply of 04-22; 第十七条 "对…情况复杂…
    # 实行周报制": the week of 04-27 owes a report by 04-30; missed, the matter is overdue under 第十七条
    with Supervisor("jinan-2016-30") as sup:
        sup.post(assigned("W1", "2026-04-20", "DC-W", "市领导批示", "市生态环境局", complex=True))
        assert sup.post(report("W2", "2026-04-22", "DC-W")) == []
        late = sup.post(clock("W3", "2026-05-06"))
        assert kinds(late) == [("逾期", "DC-W")]
        assert (late[0].rule, late[0].deadline) == ("jinan-2016-30/obligation/weekly-report", date(2026, 4, 30))
        assert late[0].citation == "济政办发〔2016〕30号 第十七条"


def test_an_advisory_same_day_target_missed_draws_no_overdue_action() -> None:
    # 滁州 第19项 "大力倡导…实行当日事当日毕" (advisory): the day is the target, its miss is advice;
    # the matter never turns overdue, so the stream takes no 逾期 action
    with Supervisor("chuzhou-2009-8") as sup:
        sup.post(assigned("C1", "2009-03-10", "C-19", "来文", "市建委"))
        assert sup.post(clock("C2", "2009-03-20")) == []
        assert {m.id: m.status for m in sup.state().matters}["C-19"] == "on_track"
        assert sup.post(completed("C3", "2009-03-23", "C-19")) == []
        assert {m.id: m.status for m in sup.state().matters}["C-19"] == "done"


def test_an_extension_asked_in_advance_moves_the_deadline_and_one_asked_too_late_does_not(jinan: Supervisor) -> None:
    # 第十八条: 提前申请延长; 交办 with an explicit deadline (第十六条: 有明确时限的按时限)
    jinan.post(assigned("J3-1", "2026-05-26", "X-1", "交办", "市教育局", explicit_deadline="2026-06-12"))
    jinan.post(assigned("J3-2", "2026-05-26", "X-2", "交办", "市教育局", explicit_deadline="2026-06-12"))
    assert jinan.post(extension("J3-3", "2026-06-01", "X-1", "2026-07-10")) == []
    late = jinan.post(extension("J3-4", "2026-06-12", "X-2", "2026-07-10"))  # on the deadline day: too late
    assert kinds(late) == [("催办", "X-2")]
    assert kinds(jinan.post(clock("J3-5", "2026-06-15"))) == [("逾期", "X-2")]
    assert kinds(jinan.post(clock("J3-6", "2026-07-07"))) == [("催办", "X-1")]
    overdue = jinan.post(clock("J3-7", "2026-07-13"))
    assert kinds(overdue) == [("逾期", "X-1")] and overdue[0].deadline == date(2026, 7, 10)


def test_a_matter_completed_in_time_draws_no_further_action(jinan: Supervisor) -> None:
    assert kinds(jinan.post(assigned("J4-1", "2026-07-14", "DC-4", "常务会议", "市交通局"))) == []
    assert jinan.post(completed("J4-2", "2026-07-20", "DC-4")) == []
    assert jinan.post(clock("J4-3", "2026-09-30")) == []
    assert {m.id: m.status for m in jinan.state().matters}["DC-4"] == "done"


def test_the_jinan_ladder_escalates_with_each_criticism_in_the_year(jinan: Supervisor) -> None:
    # 第二十条: 通报批评; 年度内被通报批评2次: 诫勉谈话 of 主要责任人 and 分管责任人, 抄报市委组织部、市监察局;
    # 3次: 组织处理或纪律处分, 涉嫌违纪的移交纪检监察机关
    steps = [jinan.post(problem(f"J5-{i}", "2026-10-08", "市发改委", "通报批评")) for i in range(1, 5)]
    assert [[a.level for a in s] for s in steps] == [[1], [2], [3], []]
    one, two, three = steps[0][0], steps[1][0], steps[2][0]
    assert (one.kind, one.subject, one.outcome, one.targets, one.copied_to) == ("问责", "市发改委", "通报批评", ("责任单位",), ())
    assert (two.outcome, two.targets, two.copied_to) == ("诫勉谈话", ("主要责任人", "分管责任人"), ("市委组织部", "市监察局"))
    assert two.citation == "济政办发〔2016〕30号 第二十条第（二）项" and two.window == "2026" and two.counted == 2
    assert (three.outcome, three.copied_to) == ("组织处理或纪律处分", ("纪检监察机关(涉嫌违纪的)",))
    assert three.events == ("ev-J5-1", "ev-J5-2", "ev-J5-3")


def test_rectification_falling_short_leads_to_a_warning_talk_only_after_a_criticism() -> None:
    # 第二十条（二）“被通报批评的责任单位,在规定时限内整改措施不力…的”: 诫勉谈话 needs a 通报批评
    # earlier in the year; a 整改不力 alone, or one before the criticism, counts for nothing
    with Supervisor("jinan-2016-30") as sup:
        assert sup.post(problem("R1", "2026-03-02", "市交通局", "整改不力")) == []
        (criticism,) = sup.post(problem("R2", "2026-04-15", "市交通局", "通报批评"))
        assert (criticism.level, criticism.counted, criticism.events) == (1, 1, ("ev-R2",))
        (talk,) = sup.post(problem("R3", "2026-05-06", "市交通局", "整改不力"))
        assert (talk.level, talk.outcome, talk.counted, talk.events) == (2, "诫勉谈话", 2, ("ev-R2", "ev-R3"))
        assert "通报批评1次、整改不力1次(整改不力1次:此前无通报批评,不计入)" in talk.message
        # a criticism recorded late, dated before a unit's 整改不力, makes that 整改不力 count
        assert sup.post(problem("R4", "2026-05-07", "市住建局", "整改不力")) == []
        (late,) = sup.post(problem("R5", "2026-05-08", "市住建局", "通报批评", event_id="ev-R5") | {
            "event": {"type": "event", "id": "ev-R5", "unit": "市住建局", "on": "2026-04-01", "kind": "通报批评"}})
        assert (late.level, late.outcome, late.counted) == (2, "诫勉谈话", 2)
        assert sup.incidents == ()


def test_serious_consequences_reach_the_top_step_at_once_with_one_action(jinan: Supervisor) -> None:
    actions = jinan.post(problem("J6-1", "2026-10-09", "市水务局", "严重后果"))
    assert [(a.kind, a.level, a.outcome) for a in actions] == [("问责", 3, "组织处理或纪律处分")]
    assert jinan.post(problem("J6-2", "2026-10-09", "市水务局", "通报批评")) == []  # already at the top


def test_shaoxing_strikes_are_reported_to_the_city_leaders_then_to_the_supervision_bureau() -> None:
    with Supervisor("shaoxing-2008-185") as sup:
        levels = [sup.post(problem(f"S{i}", "2026-03-02", "市住建局", "逾期未报结")) for i in range(3)]
        assert [(a.level, a.outcome, a.copied_to) for s in levels for a in s] == [
            (1, "督查通报", ()), (2, "通报告知相关市领导", ("相关市领导",)),
            (3, "提交市监察局、市效能办调查处理", ("市监察局", "市效能办")),
        ]
        sup.post(assigned("S9", "2026-03-02", "S-1", "专题会议", "市交通局"))
        late = sup.post(clock("S10", "2026-03-30"))
        assert [(a.kind, a.rule, a.citation) for a in late] == [
            ("逾期", "shaoxing-2008-185/deadline/topic-meeting", "绍政办发〔2008〕185号 二（三）")]


def test_a_batch_of_strikes_on_one_unit_climbs_the_ladder_as_one_at_a_time_does() -> None:
    # a unit's step is learnt from what durable-rules fired, so each strike waits for the answer
    # to the one before it, also inside one batch and across a worker killed in the middle of it
    strikes = [problem(f"S{i}", "2026-03-02", "市住建局", "逾期未报结") for i in range(5)]
    strikes += [clock("S-c", "2026-03-03"), problem("S-x", "2026-03-03", "市交通局", "逾期未报结")]
    with Supervisor("shaoxing-2008-185") as one:
        singly = [(a.caused_by, a.level) for e in strikes for a in one.post(e)]
    assert singly == [("S0", 1), ("S1", 2), ("S2", 3), ("S-x", 1)]
    for crash_after in (None, 1, 2):
        with Supervisor("shaoxing-2008-185", chunk_size=64) as sup:
            if crash_after is not None:
                sup.arm_worker_crash(crash_after)
            outcomes = sup.post_all(strikes)
            assert [(a.caused_by, a.level) for o in outcomes for a in o.actions] == singly
            assert {(l.unit, l.level) for l in sup.state().ladders} == {("市住建局", 3), ("市交通局", 1)}
            assert sup.restarts == (0 if crash_after is None else 1)


def test_panjin_is_applied_only_by_opt_in_and_its_actions_say_so() -> None:
    # 盘锦 was abolished on a date its source does not give: no day is known to be in force
    with Supervisor("panjin-2015-142") as sup:
        with pytest.raises(Exception, match="not in force.*allow_not_in_force"):
            sup.post(assigned("P1", "2026-01-10", "P-1", "工作计划", "市交通局"))
        assert sup.state().matters == ()
    with Supervisor("panjin-2015-142", Options(allow_not_in_force=True)) as sup:
        assert sup.post(assigned("P1", "2026-01-10", "P-1", "工作计划", "市交通局")) == []
        late = sup.post(clock("P2", "2026-02-02"))  # 每月底 report of January (due 2026-01-30) missed
        assert [(a.kind, a.rule, a.in_force) for a in late] == [("逾期", "panjin-2015-142/obligation/monthly-plan-report", False)]
        step = sup.post(problem("P3", "2026-02-03", "市交通局", "约谈无效果"))
        assert [(a.level, a.outcome, a.in_force) for a in step] == [(2, "依法依规严肃追责", False)]


def test_an_action_has_a_stable_json_form_in_the_interchange_style(jinan: Supervisor) -> None:
    action = jinan.post(problem("J7-1", "2026-10-12", "市统计局", "通报批评"))[0]
    data = json.loads(action.to_json())
    assert list(data) == [
        "kind", "subject", "subject_type", "unit", "on", "caused_by", "pack", "rule", "citation",
        "clause_text", "outcome", "force", "level", "status", "deadline", "window", "counted", "events",
        "targets", "copied_to", "message", "in_force",
    ]
    assert data["on"] == "2026-10-12" and data["kind"] == "问责" and "通报批评1次" in data["message"]
    assert Action.model_validate_json(action.to_json()) == action
    assert action.to_json() == action.to_json()


def test_replaying_the_journal_gives_the_same_actions(jinan: Supervisor) -> None:
    jinan.post(assigned("J8-1", "2026-10-13", "DC-8", "市领导批示", "市财政局"))
    jinan.post(clock("J8-2", "2026-10-20"))
    journal = jinan.journal
    assert [e.id for e in journal][-2:] == ["J8-1", "J8-2"]
    with Supervisor("jinan-2016-30") as again:
        replayed = [a.to_json() for o in again.post_all(journal) for a in o.actions]
    with Supervisor("jinan-2016-30") as third:
        once_more = [a.to_json() for e in journal for a in third.post(e)]
    assert replayed == once_more
    assert [json.loads(a)["kind"] for a in replayed][-2:] == ["催办", "逾期"]


def test_the_state_shows_each_matter_and_each_units_step(jinan: Supervisor) -> None:
    jinan.post(assigned("J9-1", "2026-10-21", "DC-9", "常务会议", "市审计局"))
    jinan.post(problem("J9-2", "2026-10-21", "市审计局", "通报批评"))
    jinan.post(problem("J9-3", "2026-10-22", "市审计局", "通报批评"))
    state = jinan.state()
    assert state.pack == "jinan-2016-30" and state.clock == date(2026, 10, 22)
    assert {m.id: m.status for m in state.matters}["DC-9"] == "on_track"
    assert {l.unit: (l.level, l.window) for l in state.ladders}["市审计局"] == (2, "2026")
    assert state.events == len(jinan.journal)


def test_a_disagreement_between_durable_rules_and_the_reference_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from govrules.stream import supervisor as supervisor_module
    from govrules.stream.rules_json import Ruleset, compile_ruleset

    def without_city_leader_rules(cp: object) -> Ruleset:
        full = compile_ruleset(cp)  # type: ignore[arg-type]
        keep = {n: r for n, r in full.definition.items()
                if not full.rules[n].active.full_id.endswith("city-leader-instruction")}
        return Ruleset(definition=keep, rules={n: full.rules[n] for n in keep})

    monkeypatch.setattr(supervisor_module, "compile_ruleset", without_city_leader_rules)
    with Supervisor("jinan-2016-30") as unchecked:  # the cross-check is a debugging aid, off by default
        assert unchecked.post(assigned("D1", "2026-04-30", "DC-1", "市领导批示", "市交通局")) == []
        assert unchecked.incidents == ()
    with Supervisor("jinan-2016-30", cross_check=True) as sup:
        assert sup.post(assigned("D1", "2026-04-30", "DC-1", "市领导批示", "市交通局")) == []
        (incident,) = sup.incidents
    assert incident.kind == "disagreement" and incident.events == ("D1",)
    assert "durable-rules fired nothing" in incident.detail and "city-leader-instruction" in incident.detail
