"""Each rule kind of the format, on a synthetic pack whose clauses quote real text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from govrules.engine import Options, evaluate, evaluate_all
from govrules.errors import NotInForce
from govrules.models import parse_object
from govrules.packs import load_pack
from govrules.packs.schema import Pack

PACK = load_pack(Path(__file__).parent / "packs" / "kinds.yaml")


def case(**raw: Any) -> Any:
    return parse_object(raw)


def kinds(result: Any) -> list[tuple[str, str, date | None]]:
    return [(f.rule.removeprefix("test-kinds/"), f.kind, f.due) for f in result.findings]


def matter(**kw: Any) -> Any:
    base = {"type": "matter", "id": "M", "source": "常务会议", "assigned_on": "2026-04-28", "lead_unit": "市财政局"}
    return case(**{**base, **kw})


def test_extension_of_a_matter_the_clause_does_not_allow_is_refused() -> None:
    ext = {"requested_on": "2026-05-06", "new_deadline": "2026-06-30", "approved": True}
    plain = evaluate(matter(extension=ext), date(2026, 5, 11), PACK)
    # 10 working days: 04-29, 04-30, 05-06, 05-07, 05-08, 05-09 (调休 Saturday), 05-11 .. 05-14
    assert plain.deadline == date(2026, 5, 14)
    assert ("extension/complex-only", "violation", date(2026, 5, 14)) in kinds(plain)
    allowed = evaluate(matter(extension=ext, complex=True), date(2026, 5, 11), PACK)
    assert allowed.deadline == date(2026, 6, 30)


def test_daily_reports_count_working_days_only() -> None:
    # assigned Thu 2026-04-30; from the next day: 05-06, 05-07, 05-08 (05-01..05 off)
    m = matter(source="突发事件", assigned_on="2026-04-30", reports=["2026-05-06", "2026-05-08"])
    result = evaluate(m, date(2026, 5, 8), PACK)
    assert kinds(result)[-2:] == [
        ("obligation/daily", "violation", date(2026, 5, 7)),
        ("obligation/daily", "obligation", date(2026, 5, 9)),  # Saturday 05-09 is a working day
    ]


def test_schedule_only_obligation_reports_the_next_due_and_never_a_miss() -> None:
    m = matter(assigned_on="2026-01-15")  # no reports at all
    result = evaluate(m, date(2026, 5, 11), PACK)
    quarter = [k for k in kinds(result) if k[0] == "obligation/quarter-end"]
    assert quarter == [("obligation/quarter-end", "obligation", date(2026, 6, 30))]  # Q2's last working day


def meeting(**kw: Any) -> Any:
    base = {"type": "meeting", "id": "H", "kind": "专题会议", "held_on": "2026-04-29"}
    return case(**{**base, **kw})


@pytest.mark.parametrize(
    ("feedback", "as_of", "deemed"),
    [
        (None, "2026-05-07", False),  # due 05-07 (04-30, then 05-06 .. 05-07 across Labour Day)
        (None, "2026-05-08", True),
        ("2026-05-07", "2026-05-11", False),  # answered on the last day
        ("2026-05-08", "2026-05-11", True),  # answered too late
    ],
)
def test_silence_is_deemed_an_answer_after_the_period(feedback: str | None, as_of: str, deemed: bool) -> None:
    m = meeting(minutes_comment_requested_on="2026-04-30", **({"minutes_feedback_on": feedback} if feedback else {}))
    result = evaluate(m, date.fromisoformat(as_of), PACK)
    assert (("deemed/minutes", "deemed", date(2026, 5, 7)) in kinds(result)) is deemed


def test_is_empty_on_a_list_field() -> None:
    assert kinds(evaluate(meeting(absent_without_reason=["市交通局"]), date(2026, 5, 11), PACK)) == [
        ("requirement/absent", "violation", None)
    ]
    assert kinds(evaluate(meeting(), date(2026, 5, 11), PACK)) == []


def test_quota_per_organizer_per_year_flags_the_meetings_beyond_it() -> None:
    ms = [
        meeting(id="A1", kind="全市综合性会议", organizer="市交通局", held_on="2026-03-02"),
        meeting(id="B1", kind="全市综合性会议", organizer="市教育局", held_on="2026-03-03"),
        meeting(id="A2", kind="全市综合性会议", organizer="市交通局", held_on="2026-01-05"),
        meeting(id="A3", kind="全市综合性会议", organizer="市交通局", held_on="2025-06-01"),
        meeting(id="A4", kind="全市综合性会议", organizer="市交通局", held_on="2026-12-01"),
    ]
    results = {r.id: r for r in evaluate_all(ms, date(2026, 6, 30), PACK)}
    flagged = {i for i, r in results.items() if r.findings}
    assert flagged == {"A1"}  # A2 came first in 2026; A3 is 2025; A4 is after as_of
    (finding,) = results["A1"].findings
    assert finding.kind == "violation" and "一般应" in finding.message
    assert finding.message.startswith("市交通局在2026年的第2次(截至2026-06-30共2次),超出每年1次的上限;")
    assert evaluate(ms[0], date(2026, 6, 30), PACK).findings == ()  # one case alone cannot count


def test_quota_reduction_against_the_year_before_is_advice() -> None:
    def doc(i: int, year: int) -> Any:
        return case(type="document", id=f"D{year}-{i}", kind="通知", issuer="市政府办公室", issued_on=f"{year}-03-{i + 1:02d}")

    docs = [doc(i, 2025) for i in range(10)] + [doc(i, 2026) for i in range(10)]
    results = evaluate_all(docs, date(2026, 12, 31), PACK)
    flagged = [r.id for r in results if r.findings]
    assert flagged == ["D2026-9"]  # 10 last year, 5% fewer -> at most 9 this year
    assert results[-1].findings[0].kind == "advice"


def test_unknown_date_in_force_needs_the_opt_in() -> None:
    data = PACK.model_dump(exclude_unset=True)
    data["validity"] = {**data["validity"], "in_force_from": None}
    unknown = Pack.model_validate(data)
    with pytest.raises(NotInForce, match="施行日期"):
        evaluate(matter(), date(2026, 5, 11), unknown)
    result = evaluate(matter(), date(2026, 5, 11), unknown, Options(allow_not_in_force=True))
    assert result.findings and not any(f.in_force for f in result.findings)


def test_a_breach_message_names_the_facts_that_made_it() -> None:
    (finding,) = evaluate(meeting(absent_without_reason=["市交通局", "市教育局"]), date(2026, 5, 11), PACK).findings
    assert finding.message.startswith("无正当理由缺席单位为市交通局、市教育局;依测试 二:予以通报")


def test_breach_reasons_read_through_not_and_any() -> None:
    from govrules.semantics.phrases import breach_reasons
    from govrules.packs.conditions import parse_condition

    cond = parse_condition({"any": [
        {"not": {"field": "approvals", "contains": "市长批准"}},
        {"field": "organizer", "is_null": True},
        {"field": "kind", "eq": "片会"},
    ]})
    assert breach_reasons(cond, meeting(approvals=["备案"])) == ["审批未含市长批准", "主办单位未填写"]
