"""Quota rules count across many cases, so they are shown on ledgers rather than single cases:
《提高效率抓落实意见》（一） one 全市综合性工作会议 a year, and （五） 发文数量比上年减少5—10%."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from govrules.engine import Options, evaluate_all
from govrules.models import parse_object
from govrules.packs import bundled_pack

PACK = bundled_pack("tigao-xiaolv-yijian")
OPT_IN = Options(allow_not_in_force=True)  # the document's date is unknown (see its validity note)


def meeting(ident: str, kind: str, held_on: str, organizer: str) -> Any:
    return parse_object({
        "type": "meeting", "id": ident, "kind": kind, "held_on": held_on, "organizer": organizer,
        "convened_by": "部门", "in_name_of_city_government": True, "format": "视频", "attendees": 80,
        "approvals": ["常务会议同意", "分管领导批准", "备案"],
    })


MEETINGS = [
    meeting("Q1", "全市综合性会议", "2026-02-10", "市教育局"),
    meeting("Q2", "全市综合性会议", "2026-07-15", "市教育局"),
    meeting("Q3", "全市综合性会议", "2026-03-01", "市卫健委"),
    meeting("Q4", "全市性工作会议", "2026-05-20", "市卫健委"),
    meeting("Q5", "全市综合性会议", "2025-12-20", "市教育局"),  # last year: its own count
    meeting("Q6", "全市综合性会议", "2026-11-20", "市教育局"),  # after as_of: not yet held
]


def quota_findings(results: Any) -> dict[str, list[tuple[str, str]]]:
    return {
        r.id: [(f.rule.removeprefix(f"{PACK.id}/"), f.kind) for f in r.findings if "/quota/" in f.rule]
        for r in results
        if any("/quota/" in f.rule for f in r.findings)
    }


def test_a_second_comprehensive_meeting_in_a_year_by_one_department_is_flagged() -> None:
    results = evaluate_all(MEETINGS, date(2026, 8, 31), PACK, OPT_IN)
    assert quota_findings(results) == {"Q2": [("quota/comprehensive-meeting-once-a-year", "violation")]}


def test_counting_work_meetings_too_flags_the_second_of_either_kind() -> None:
    opts = Options(allow_not_in_force=True, interpretations={"comprehensive-work-meeting": "include-work-meetings"})
    results = evaluate_all(MEETINGS, date(2026, 8, 31), PACK, opts)
    assert quota_findings(results) == {
        "Q2": [("quota/comprehensive-meeting-once-a-year-including-work-meetings", "violation")],
        "Q4": [("quota/comprehensive-meeting-once-a-year-including-work-meetings", "violation")],
    }


def documents() -> list[Any]:
    def doc(ident: str, issuer: str, issued_on: str) -> Any:
        return parse_object({"type": "document", "id": ident, "kind": "函", "header": "白头",
                             "issuer": issuer, "issued_on": issued_on})

    docs = [doc(f"O25-{i}", "市政府办公室", f"2025-{i % 12 + 1:02d}-10") for i in range(20)]
    # ids in date order: O26-19 is the year's 20th, on 2026-07-25
    docs += [doc(f"O26-{i}", "市政府办公室", (date(2026, 1, 5) + timedelta(days=10 * i)).isoformat()) for i in range(20)]
    docs += [doc(f"G26-{i}", "市政府", f"2026-0{i + 1}-05") for i in range(3)]  # none in 2025: nothing to compare
    docs += [doc(f"B{y}-{i}", "部门", f"{y}-04-0{i + 1}") for y in (2025, 2026) for i in range(5)]
    return docs


def test_documents_beyond_last_year_less_five_percent_get_advice() -> None:
    results = evaluate_all(documents(), date(2026, 12, 31), PACK, OPT_IN)
    # 20 last year, 5% fewer -> at most 19: the 20th of 2026 by date is beyond it
    assert quota_findings(results) == {"O26-19": [("quota/document-reduction", "advice")]}
    (finding,) = [f for r in results if r.id == "O26-19" for f in r.findings if "/quota/" in f.rule]
    assert "上限19件(上年20件,减少5%)" in finding.message


def test_the_ten_percent_reading_flags_two() -> None:
    opts = Options(allow_not_in_force=True, interpretations={"reduction-target": "at-least-10"})
    results = evaluate_all(documents(), date(2026, 12, 31), PACK, opts)
    assert set(quota_findings(results)) == {"O26-18", "O26-19"}
