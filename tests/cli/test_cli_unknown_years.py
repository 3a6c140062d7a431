"""A year without holiday data stops only what needs it (semantics.md, "Working days").

`govrules evaluate FILE` answers a ledger: a case whose own deadline needs an unknown year is
answered with status "unknown" (its finding says which year and how to supply it), every other
case exactly as without it, and the exit code is 3 with the unanswered ids on stderr. A finding
of someone else's duty that needs the year is that finding's "unknown"; the case stays answered
(``complete`` false, exit 0). `govrules deadline` asks one question, and is refused (exit 2).
"""

from __future__ import annotations

import json

MESSAGE_PARTS = ("2027", "govrules calendar add FILE", "docs/holiday-data.md", "--provisional")


def matter(ident: str, assigned_on: str = "2026-04-30") -> dict[str, str]:
    return {"type": "matter", "id": ident, "source": "市领导批示", "assigned_on": assigned_on, "lead_unit": "市交通局"}

def test_a_row_needing_2027_is_answered_unknown_and_the_others_as_alone(govrules, write_json) -> None:
    alone = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json",
                     write_json("alone.json", [matter("DC-1")]))
    both = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json",
                    write_json("both.json", [matter("DC-1"), matter("DC-2", assigned_on="2026-12-30")]))
    assert alone.code == 0 and both.code == 3, both.err
    first, second = both.json()
    assert first == alone.json()[0]
    assert (second["id"], second["status"], second["deadline"], second["complete"]) == ("DC-2", "unknown", None, False)
    [unknown] = [f for f in second["findings"] if f["kind"] == "unknown"]
    assert unknown["rule"] == "jinan-2016-30/deadline/city-leader-instruction" and unknown["due"] is None
    for part in MESSAGE_PARTS:
        assert part in unknown["message"]
    assert "1 of 2 answers could not be given" in both.err and "DC-2" in both.err and "DC-1" not in both.err


def test_the_table_says_unknown_and_stderr_lists_the_row(govrules, write_json) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2027-01-05",
                 write_json("early.json", [matter("LATE-1", assigned_on="2027-01-04")]))
    assert r.code == 3
    assert "未知(缺少节假日数据)" in r.out and "LATE-1 [unknown]" in r.out
    assert "LATE-1" in r.err and "calendar add" in r.err


def test_the_csv_ledger_counts_the_unknown_rows(govrules, tmp_path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("type,id,source,assigned_on,lead_unit\n"
                    "matter,DC-1,市领导批示,2026-04-30,市交通局\n"
                    "matter,DC-2,市领导批示,2026-12-30,市交通局\n", encoding="utf-8")
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", path)
    assert r.code == 3, r.err
    assert "未知(缺少节假日数据) 1" in r.out and "DC-2" in r.err
    j = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json", path)
    assert j.code == 3 and [e["status"] for e in j.json()] == ["overdue", "unknown"]


def test_an_informational_duty_in_2027_does_not_refuse_the_deadline(govrules) -> None:
    # The case: 绍兴's monthly 督查 (the 督查室's own duty) looks at January 2027; the
    # matter's 15 working days end inside 2026.
    r = govrules("deadline", "--pack", "shaoxing-2008-185", "--source", "专题会议", "--assigned", "2026-12-01",
                 "--as-of", "2026-12-04", "--format", "json")
    assert r.code == 0, r.err
    [one] = r.json()
    assert (one["deadline"], one["status"], one["complete"]) == ("2026-12-22", "on_track", False)
    kinds = {f["rule"].split("/", 1)[1]: f["kind"] for f in one["findings"]}
    assert kinds == {"deadline/topic-meeting": "deadline", "obligation/monthly-supervision": "unknown"}


def test_the_deadline_command_refuses_a_deadline_in_2027(govrules) -> None:
    r = govrules("deadline", "--pack", "jinan-2016-30", "--source", "市领导批示", "--assigned", "2026-12-30",
                 "--as-of", "2026-12-31")
    assert (r.code, r.out, r.err.count("\n")) == (2, "", 1), r.err
    for part in ("govrules: error: --assigned", "no holiday data for 2027", "govrules calendar add", "--provisional",
                 "docs/holiday-data.md"):
        assert part in r.err


def test_partial_answers_are_counted_on_stderr(govrules, write_json) -> None:
    one = {"type": "matter", "id": "S-1", "source": "专题会议", "assigned_on": "2026-12-01", "lead_unit": "市交通局"}
    r = govrules("evaluate", "--pack", "shaoxing-2008-185", "--as-of", "2026-12-04", "--format", "json",
                 write_json("s.json", [one]))
    assert r.code == 0
    assert "1 of 1 answers are incomplete" in r.err
    assert json.loads(r.out)[0]["complete"] is False


def test_stderr_names_the_first_ten_unanswered_rows_and_counts_the_rest(govrules, write_json) -> None:
    late = [matter(f"LATE-{i}" + "x" * 100, assigned_on="2026-12-30") for i in range(12)]
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json",
                 write_json("late.json", late))
    assert r.code == 3 and "12 of 12 answers could not be given" in r.err and "and 2 more" in r.err
    assert "LATE-9" in r.err and "LATE-10" not in r.err and len(r.err) < 1000  # each id shortened to 40 characters
