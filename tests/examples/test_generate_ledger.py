"""The synthetic ledger: deterministic, valid, within its year, and mixed as designed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from govrules import WorkCalendar, bundled_pack, compile_pack, evaluate, evaluate_all, parse_object, parse_objects
from govrules.models import Event, Matter

Obj = dict[str, Any]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SMALL = {"matters": 200, "meetings": 20, "documents": 30, "events": 15}


def of_type(objects: list[Obj], kind: str) -> list[Obj]:
    return [o for o in objects if o["type"] == kind]


def dates_in(value: Any) -> list[date]:
    """Every ISO date anywhere in an object (ids and names are never dates)."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in dates_in(v)]
    if isinstance(value, list):
        return [d for v in value for d in dates_in(v)]
    return [date.fromisoformat(value)] if isinstance(value, str) and ISO.match(value) else []


def base_deadline(matter: Obj) -> date | None:
    """The reference pack's deadline for the matter as assigned (no extension, no completion)."""
    bare = parse_object({k: v for k, v in matter.items() if k not in ("extension", "completed_on", "reports")}, "", Matter)
    return evaluate(bare, bare.assigned_on, compile_pack(bundled_pack("jinan-2016-30"))).deadline


# -- determinism ------------------------------------------------------------------------------

def test_same_seed_gives_the_same_bytes(gen: ModuleType) -> None:
    first, second = gen.generate(3, **SMALL), gen.generate(3, **SMALL)
    assert gen.to_json(first) == gen.to_json(second)
    assert gen.to_csv(first) == gen.to_csv(second)


def test_the_command_writes_the_same_bytes_twice(gen: ModuleType, tmp_path: Path) -> None:
    argv = ["--seed", "5", "--matters", "100", "--meetings", "10", "--documents", "10", "--events", "5"]
    for suffix in ("json", "csv"):
        a, b = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        assert gen.main([*argv, "--out", str(a)]) == 0
        assert gen.main([*argv, "--out", str(b)]) == 0
        assert a.read_bytes() == b.read_bytes()


def test_another_seed_gives_another_ledger(gen: ModuleType) -> None:
    assert gen.to_json(gen.generate(1, **SMALL)) != gen.to_json(gen.generate(2, **SMALL))


def test_each_kind_of_object_has_its_own_stream(gen: ModuleType) -> None:
    few, many = gen.generate(4, **{**SMALL, "events": 0}), gen.generate(4, **{**SMALL, "events": 40, "documents": 5})
    assert of_type(few, "matter") == of_type(many, "matter")
    assert of_type(few, "meeting") == of_type(many, "meeting")


# -- validity and dates -----------------------------------------------------------------------

def test_every_object_validates(ledger: list[Obj]) -> None:
    parsed = parse_objects(ledger)  # also checks that ids are unique
    assert Counter(o.type for o in parsed) == {"matter": 1000, "meeting": 100, "document": 200, "event": 50}


def test_every_date_is_a_working_day_of_the_year(ledger: list[Obj]) -> None:
    cal = WorkCalendar.default()
    days = [d for obj in ledger for d in dates_in(obj)]
    assert len(days) > 3000
    assert all(d.year == 2026 for d in days)
    assert all(cal.is_workday(d) for d in days)


def test_another_year_stays_in_that_year(gen: ModuleType) -> None:
    objects = gen.generate(2, **SMALL, year=2025)
    assert {d.year for obj in objects for d in dates_in(obj)} == {2025}


def test_a_year_without_holiday_data_is_refused(gen: ModuleType) -> None:
    with pytest.raises(ValueError, match="no holiday data for 2031"):
        gen.generate(1, year=2031)


# -- the mix ------------------------------------------------------------------------------------

def test_sources_urgency_and_complexity_as_designed(ledger: list[Obj]) -> None:
    matters = of_type(ledger, "matter")
    share = Counter(m["source"] for m in matters)
    assert share["市领导批示"] > share["上级批示"] > share["常务会议"] >= 40
    assert 250 <= share["市领导批示"] <= 350 and 100 <= share["上级批示"] <= 200
    assert 10 <= share["政府工作报告"] <= 50 and share["现场办公会议"] < share["专题会议"]
    assert len(share) >= 14
    urgency = Counter(m.get("urgency", "一般") for m in matters)
    assert urgency["一般"] >= 850 and urgency["紧急"] > urgency["特急"] > 0
    assert 60 <= sum(m.get("complex", False) for m in matters) <= 140
    assert 150 <= sum("explicit_deadline" in m for m in matters) <= 500


def test_proposals_follow_the_spring_sessions_and_report_tasks_come_in_january(ledger: list[Obj]) -> None:
    matters = of_type(ledger, "matter")
    proposals = [date.fromisoformat(m["assigned_on"]) for m in matters if m["source"] in ("人大代表建议", "政协提案")]
    assert all(2 <= d.month <= 6 for d in proposals)
    assert sum(d.month <= 4 for d in proposals) >= 0.6 * len(proposals)
    assert len(set(proposals)) < len(proposals) / 2  # assigned in batches
    assert all(m["assigned_on"][5:7] == "01" for m in matters if m["source"] == "政府工作报告")
    months = Counter(int(m["assigned_on"][5:7]) for m in matters)
    assert len(months) == 12


def test_lead_units_come_from_the_bureaus(gen: ModuleType, ledger: list[Obj]) -> None:
    names = {name for name, _, _ in gen.UNITS}
    assert 20 <= len(names) <= 30
    leads = Counter(m["lead_unit"] for m in of_type(ledger, "matter"))
    assert set(leads) == names
    assert all(set(m.get("co_units", ())) <= names - {m["lead_unit"]} for m in of_type(ledger, "matter"))


def test_habitually_late_units_are_late_more_often(gen: ModuleType, ledger: list[Obj]) -> None:
    matters = of_type(ledger, "matter")
    parsed = [c for c in parse_objects(matters) if not isinstance(c, Event)]
    results = evaluate_all(parsed, date(2026, 12, 31), compile_pack(bundled_pack("jinan-2016-30")))
    status = Counter(r.status for r in results)
    assert status["done"] > 600 and 50 <= status["done_late"] <= 250 and 20 <= status["overdue"] <= 150
    late: Counter[bool] = Counter()
    total: Counter[bool] = Counter()
    for matter, result in zip(matters, results):
        habitual = matter["lead_unit"] in gen.LATE_UNITS
        total[habitual] += 1
        late[habitual] += result.status in ("overdue", "done_late")
    assert late[True] / total[True] > 2 * late[False] / total[False]


def test_reports_and_extensions_before_and_after_the_deadline(ledger: list[Obj]) -> None:
    matters = of_type(ledger, "matter")
    long_complex = [m for m in matters if m.get("complex") and "completed_on" in m and
                    (date.fromisoformat(m["completed_on"]) - date.fromisoformat(m["assigned_on"])).days > 28]
    assert sum(len(m.get("reports", ())) >= 2 for m in long_complex) > 0.8 * len(long_complex) > 10  # 周报
    assert any(m.get("reports") for m in matters if m["source"] == "政府工作报告")  # 季报
    extended = [m for m in matters if "extension" in m]
    assert 20 <= len(extended) <= 120
    ahead = Counter(date.fromisoformat(m["extension"]["requested_on"]) < (base_deadline(m) or date.min)
                    for m in extended)
    assert ahead[True] >= 5 and ahead[False] >= 5
    assert {m["extension"]["approved"] for m in extended} == {True, False}


def test_meetings_around_the_attendance_limit(ledger: list[Obj]) -> None:
    meetings = of_type(ledger, "meeting")
    kinds = Counter(m["kind"] for m in meetings)
    assert kinds["专题会议"] > kinds["全市性工作会议"] > 0 and kinds["常务会议"] > 5
    capped = [m["attendees"] for m in meetings if m["kind"] != "全市综合性会议"]
    assert any(n > 100 for n in capped) and sum(n <= 100 for n in capped) > 0.8 * len(capped)
    assert all(m["convened_by"] == "市长" for m in meetings if m["kind"] == "常务会议")
    assert any(m.get("approvals") for m in meetings) and any("minutes_comment_requested_on" in m for m in meetings)


@pytest.mark.parametrize(("issuer", "category", "limit"), [
    ("市政府", "普发类文件", 4000), ("市政府办公室", "普发类文件", 3000), (None, "领导讲话", 5000),
])
def test_documents_around_the_length_limits(ledger: list[Obj], issuer: str | None, category: str, limit: int) -> None:
    counts = [d["char_count"] for d in of_type(ledger, "document")
              if d.get("category") == category and issuer in (None, d["issuer"])]
    assert any(n > limit for n in counts) and any(n <= limit for n in counts)
    assert all(abs(n - limit) < limit for n in counts)


def test_events_fall_on_the_habitually_late_units(gen: ModuleType, ledger: list[Obj]) -> None:
    events = of_type(ledger, "event")
    matters = {m["id"]: m for m in of_type(ledger, "matter")}
    assert sum(e["unit"] in gen.LATE_UNITS for e in events) >= 0.7 * len(events)
    kinds = Counter(e["kind"] for e in events)
    assert kinds["逾期未报结"] >= kinds["通报批评"] > 0
    for event in events:
        if "matter" in event:
            assert matters[event["matter"]]["lead_unit"] == event["unit"]
        if event["kind"] == "逾期未报结" and "matter" in event:
            deadline = base_deadline(matters[event["matter"]])  # None: worked to a nominal 15 working days
            assert deadline is None or date.fromisoformat(event["on"]) > deadline


# -- the other formats ----------------------------------------------------------------------------

def test_csv_has_a_row_per_object_and_reads_back(gen: ModuleType) -> None:
    objects = gen.generate(6, **SMALL)
    text = gen.to_csv(objects)
    lines = text.splitlines()
    assert lines[0].split(",")[:4] == ["type", "id", "source", "assigned_on"]
    assert len(lines) == len(objects) + 1  # no cell holds a line break
    assert gen.from_csv(text) == objects
    assert '"[""' in text  # a list, JSON-encoded in one quoted cell


def test_parquet(gen: ModuleType, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "ledger.parquet"
    assert gen.main(["--seed", "8", "--matters", "50", "--meetings", "5", "--documents", "5", "--events", "3",
                     "--out", str(path)]) == 0
    frame = pd.read_parquet(path)
    assert len(frame) == 63 and list(frame.columns) == list(gen.COLUMNS)
    assert str(frame["complex"].dtype) == "boolean" and str(frame["attendees"].dtype) == "Int64"
