"""`govrules evaluate` on examples/ledger.json, as the interchange contract describes it."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest

AS_OF = "2026-05-11"
EVALUATION_KEYS = ["id", "type", "pack", "as_of", "deadline", "status", "provisional", "findings", "complete", "calendar"]
FINDING_KEYS = ["rule", "kind", "outcome", "force", "citation", "clause_text", "due", "message", "interpretations"]
KINDS = {"deadline", "violation", "obligation", "deemed", "accountability", "advice"}
STATUSES = {"on_track", "due_soon", "overdue", "done", "done_late", "replied", None}
CITATION_16_6 = "济政办发〔2016〕30号 第十六条第（六）项、第七条第（四）项、第七条第（五）项"


def ledger_ids(ledger) -> list[str]:
    return [o["id"] for o in json.loads(ledger.read_text(encoding="utf-8"))]


@pytest.fixture
def results(govrules, ledger) -> list[dict]:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", ledger)
    assert (r.code, r.err) == (0, "")
    return r.json()


def by_id(results: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in results}


def test_one_object_per_input_in_input_order(results, ledger) -> None:
    assert isinstance(results, list)
    assert [r["id"] for r in results] == ledger_ids(ledger)
    types = [o["type"] for o in json.loads(ledger.read_text(encoding="utf-8"))]
    assert [r["type"] for r in results] == types and {"matter", "meeting", "document"} <= set(types)
    assert all(r["pack"] == "jinan-2016-30" and r["as_of"] == AS_OF for r in results)


def test_evaluation_keys_in_interchange_order(results) -> None:
    for r in results:
        assert list(r) == EVALUATION_KEYS, r["id"]
        assert r["status"] in STATUSES
        assert r["provisional"] is False


def test_finding_keys(results) -> None:
    findings = [f for r in results for f in r["findings"]]
    assert findings
    for f in findings:
        keys = list(f)
        assert set(FINDING_KEYS) <= set(keys), keys
        # the contract's keys keep the contract's order, whatever may be added after them
        assert [k for k in keys if k in FINDING_KEYS] == FINDING_KEYS
        assert f["kind"] in KINDS
        assert f["force"] in ("mandatory", "default", "advisory")
        assert f["rule"].startswith("jinan-2016-30/")
        assert f["citation"].startswith("济政办发〔2016〕30号 第")
        assert f["clause_text"] and f["message"]
        assert isinstance(f["interpretations"], list)
        for i in f["interpretations"]:
            assert set(i) == {"id", "choice", "reading"}


def test_city_leader_instruction_overdue(results) -> None:
    r = by_id(results)["DC-2026-001"]
    assert (r["deadline"], r["status"]) == ("2026-05-08", "overdue")
    deadline = r["findings"][0]
    assert deadline["kind"] == "deadline"
    assert deadline["rule"] == "jinan-2016-30/deadline/city-leader-instruction"
    assert deadline["citation"] == CITATION_16_6
    assert deadline["force"] == "default"
    assert deadline["due"] == "2026-05-08"
    assert "3个工作日" in deadline["clause_text"]
    assert [i["id"] for i in deadline["interpretations"]] == ["progress-reply"]
    assert any(f["kind"] == "violation" and f["due"] == "2026-05-08" for f in r["findings"])


def test_no_deadline_means_null_status(results) -> None:
    # DC-2026-009: 重点项目 without an explicit deadline: the deadline cannot be known.
    r = by_id(results)["DC-2026-009"]
    assert (r["deadline"], r["status"]) == (None, None)
    assert "explicit_deadline" in r["findings"][0]["message"]


def test_obligation_carries_next_due(results) -> None:
    # DC-2026-006 is complex: 周报制 from the week after assignment; next report due Fri 2026-05-15.
    obligations = [f for f in by_id(results)["DC-2026-006"]["findings"] if f["kind"] == "obligation"]
    assert [(f["citation"], f["due"]) for f in obligations] == [("济政办发〔2016〕30号 第十七条", "2026-05-15")]


def test_statuses_of_the_ledger(results) -> None:
    got = {r["id"]: (r["deadline"], r["status"]) for r in results}
    assert got["DC-2026-003"] == ("2026-05-09", "done")  # 7 working days; 2026-05-09 is a 调休 Saturday
    assert got["DC-2026-004"] == ("2026-05-14", "due_soon")
    assert got["DC-2026-010"] == ("2026-05-09", "done")  # 特急: same day
    assert got["DC-2026-011"] == ("2026-05-20", "on_track")  # extension asked in time and approved
    assert got["DC-2026-012"] == ("2026-04-29", "overdue")  # extension asked after the deadline


def test_json_output_is_deterministic(govrules, ledger) -> None:
    argv = ("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", ledger)
    first, second = govrules(*argv), govrules(*argv)
    assert first.code == second.code == 0
    assert first.out.encode("utf-8") == second.out.encode("utf-8")
    assert first.out.endswith("]\n")


def test_json_is_not_ascii_escaped(govrules, ledger) -> None:
    out = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", ledger).out
    assert CITATION_16_6 in out and "\\u" not in out


def test_stdin(govrules, ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from_file = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", ledger)
    monkeypatch.setattr(sys, "stdin", io.StringIO(ledger.read_text(encoding="utf-8")))
    from_stdin = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", "-")
    assert (from_stdin.code, from_stdin.err) == (0, "")
    assert from_stdin.out == from_file.out


def test_stdin_error_names_stdin(govrules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('[{"type": "matter", "id": "S-1", "source": "市长批示", '
                                                  '"assigned_on": "2026-04-30", "lead_unit": "市交通局"}]'))
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "-")
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("govrules: error: <stdin>: [0] (id S-1): source: unknown value '市长批示'")


def test_single_object_input(govrules, write_json) -> None:
    path = write_json("one.json", {"type": "matter", "id": "ONE", "source": "市领导批示",
                                   "assigned_on": "2026-04-30", "lead_unit": "市交通局"})
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", path)
    assert r.code == 0
    [one] = r.json()
    assert (one["id"], one["deadline"], one["status"]) == ("ONE", "2026-05-08", "overdue")


def test_table_is_readable(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, ledger)
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert lines[0].split() == ["编号", "规则包", "期限", "状态", "依据", "违规/建议"]
    row = next(line for line in lines if line.startswith("DC-2026-001 "))
    assert "2026-05-08" in row and "逾期" in row and CITATION_16_6 in row
    assert "{" not in r.out  # a table, not JSON
    # the explanations follow the table, one line per finding
    assert any(line.startswith("DC-2026-001 [deadline] ") and "期限为2026-05-08" in line for line in lines)
    assert any(line.startswith("DC-2026-009 ") and "—" in line for line in lines)


def test_interpretation_changes_the_result(govrules, write_json) -> None:
    # 紧急 matter assigned Thu 2026-04-30: same day by default, next working day (2026-05-06,
    # after the 劳动节 holiday) under immediate=next-working-day.
    path = write_json("urgent.json", [{"type": "matter", "id": "U-1", "source": "交办", "urgency": "紧急",
                                        "assigned_on": "2026-04-30", "lead_unit": "市应急局"}])
    default = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-04-30", "--format", "json", path).json()[0]
    other = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-04-30", "--format", "json",
                     "--interpretation", "immediate=next-working-day", path).json()[0]
    assert default["deadline"] == "2026-04-30"
    assert other["deadline"] == "2026-05-06"
    assert other["findings"][0]["interpretations"][0]["choice"] == "next-working-day"


def test_chinese_keys_and_traditional_values(govrules, write_json) -> None:
    english = write_json("en.json", [{"type": "matter", "id": "A", "source": "市领导批示", "urgency": "一般",
                                      "assigned_on": "2026-04-30", "lead_unit": "市交通局"}])
    chinese = write_json("zh.json", [{"类型": "事项", "编号": "A", "事项来源": "市領導批示", "紧急程度": "一般",
                                      "交办日期": "2026-04-30", "主办单位": "市交通局"}])
    a = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", english)
    b = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", chinese)
    assert (b.code, b.err) == (0, "")
    assert a.out == b.out


def test_missing_as_of_uses_today_and_says_so(govrules, write_json) -> None:
    path = write_json("events.json", [{"type": "event", "id": "E1", "unit": "市交通局", "on": "2026-01-05", "kind": "通报批评"}])
    r = govrules("accountability", "--pack", "jinan-2016-30", "--format", "json", path)
    today = date.today().isoformat()
    assert r.code == 0
    assert r.err == f"govrules: --as-of not given; using today, {today}\n"
    assert r.json()[0]["as_of"] == today


def test_missing_as_of_on_evaluate_says_so(govrules, ledger) -> None:
    # Whatever today brings (it may need holiday data not yet published), the date used is said.
    r = govrules("evaluate", "--format", "json", ledger)
    assert r.err.splitlines()[0] == f"govrules: --as-of not given; using today, {date.today().isoformat()}"


def test_default_packs_skip_cases_outside_their_time_in_force_with_a_notice(govrules, write_json) -> None:
    old = {"type": "matter", "id": "OLD-1", "source": "市领导批示", "assigned_on": "2016-03-01", "lead_unit": "市交通局"}
    path = write_json("old.json", [old])
    r = govrules("evaluate", "--as-of", "2016-03-10", "--format", "json", path)
    assert r.code == 0
    assert all(item["pack"] != "jinan-2016-30" for item in r.json())
    assert "pack jinan-2016-30 not applied to 1 of 1 objects" in r.err and "2016-12-23" in r.err
    named = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2016-03-10", path)
    assert named.code == 2 and named.out == "" and "not in force" in named.err


def test_an_interpretation_applies_to_the_packs_that_declare_it(govrules, ledger) -> None:
    """With several packs, an unprefixed ID goes to each pack declaring it; PACK:ID to that one only."""
    both = ("--pack", "jinan-2016-30", "--pack", "shaoxing-2008-185")
    r = govrules("evaluate", *both, "--as-of", AS_OF, "--format", "json",
                 "--interpretation", "progress-reply=completion-only", ledger)
    assert r.code == 0, r.err
    used = {(o["pack"], i["id"], i["choice"]) for o in r.json() for f in o["findings"] for i in f["interpretations"]}
    assert ("jinan-2016-30", "progress-reply", "completion-only") in used
    wrong = govrules("evaluate", *both, "--as-of", AS_OF, "--interpretation", "shaoxing-2008-185:progress-reply=x", ledger)
    assert wrong.code == 2 and "no pack evaluated declares 'progress-reply'" in wrong.err
