"""Bad input: exit code 2, nothing on stdout, one clear message on stderr.

The message names the file, the object (``[index]`` and ``(id …)``) and the field, and says what
was expected (shared/design/interchange.md, "The CLI").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AS_OF = "2026-05-11"
REPO = Path(__file__).resolve().parents[2]


def matter(ident: str = "A", **fields: object) -> dict:
    base = {"type": "matter", "id": ident, "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}
    return {**base, **fields}


def assert_one_error(r, *parts: str) -> None:
    assert r.code == 2, (r.code, r.err)
    assert r.out == "", "nothing partial on stdout"
    assert r.err.startswith("govrules: error: "), r.err
    assert r.err.count("\n") == 1 and r.err.endswith("\n"), f"one message on one line: {r.err!r}"
    for part in parts:
        assert part in r.err, f"{part!r} not in {r.err!r}"


@pytest.fixture
def evaluate(govrules, write_json):
    def run(data: object, *extra: str, name: str = "cases.json"):
        path = write_json(name, data)
        return path, govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", *extra, path)

    return run


# ---- the objects of a file ------------------------------------------------------------------


def test_unknown_source_lists_allowed_values(evaluate) -> None:
    path, r = evaluate([matter("DC-1"), matter("DC-2", source="市长批示")])
    assert_one_error(r, f"{path}: [1] (id DC-2): source: unknown value '市长批示'; allowed values: ")
    allowed = r.err.split("allowed values: ", 1)[1]
    for value in ("上级批示", "上级督查", "市领导批示", "人大代表建议", "政协提案", "来文", "交办"):
        assert f"'{value}'" in allowed


def test_impossible_date(evaluate) -> None:
    path, r = evaluate([matter("DC-1", assigned_on="2026-02-30")])
    assert_one_error(r, f"{path}: [0] (id DC-1): assigned_on: '2026-02-30' is not a real date")


@pytest.mark.parametrize("value", ["2026/04/30", "2026-4-30", 1700000000, "2026-04-30T00:00:00"])
def test_date_not_iso(evaluate, value) -> None:
    path, r = evaluate([matter("DC-1", assigned_on=value)])
    assert_one_error(r, f"{path}: [0] (id DC-1): assigned_on: expected a date as YYYY-MM-DD, got {value!r}")


def test_negative_attendees(evaluate) -> None:
    path, r = evaluate([{"type": "meeting", "id": "M-1", "kind": "专题会议", "held_on": "2026-04-30", "attendees": -5}])
    assert_one_error(r, f"{path}: [0] (id M-1): attendees: ", "greater than or equal to 0", "-5")


def test_attendees_as_string(evaluate) -> None:
    path, r = evaluate([{"type": "meeting", "id": "M-1", "kind": "专题会议", "held_on": "2026-04-30", "attendees": "12"}])
    assert_one_error(r, f"{path}: [0] (id M-1): attendees: ", "'12'")


def test_completed_before_assigned(evaluate) -> None:
    path, r = evaluate([matter("DC-1", completed_on="2026-04-01")])
    assert_one_error(r, f"{path}: [0] (id DC-1): completed_on 2026-04-01 is before assigned_on 2026-04-30")


def test_extension_ends_before_it_was_asked(evaluate) -> None:
    path, r = evaluate([matter("DC-1", extension={"requested_on": "2026-05-06", "new_deadline": "2026-05-01"})])
    assert_one_error(r, f"{path}: [0] (id DC-1): extension.new_deadline 2026-05-01 is before extension.requested_on 2026-05-06")


def test_unknown_key(evaluate) -> None:
    path, r = evaluate([matter("DC-1", colour="red")])
    assert_one_error(r, f"{path}: [0] (id DC-1): colour: unknown key; allowed keys: type, id, source, assigned_on")


def test_unknown_key_in_nested_extension(evaluate) -> None:
    path, r = evaluate([matter("DC-1", extension={"requested_on": "2026-05-06", "new_deadline": "2026-05-20", "ok": True})])
    assert_one_error(r, f"{path}: [0] (id DC-1): extension.ok: unknown key")


def test_bool_as_string(evaluate) -> None:
    path, r = evaluate([matter("DC-1", complex="yes")])
    assert_one_error(r, f"{path}: [0] (id DC-1): complex: ", "'yes'")


def test_unknown_type(evaluate) -> None:
    path, r = evaluate([matter("DC-1", type="mater")])
    assert_one_error(r, f"{path}: [0] (id DC-1): type: unknown value 'mater'; expected one of matter, meeting, document, event (事项、会议、公文、事件)")


def test_element_not_an_object(evaluate) -> None:
    path, r = evaluate([matter("DC-1"), 7])
    assert_one_error(r, f"{path}: [1]: expected a JSON object, got int")


def test_missing_field_is_named(evaluate) -> None:
    data = matter("DC-1")
    del data["lead_unit"]
    path, r = evaluate([data])
    assert_one_error(r, f"{path}: [0] (id DC-1): ", "required field is missing")


def test_missing_field_is_named_by_its_english_key(evaluate) -> None:
    data = matter("DC-1")
    del data["assigned_on"]
    path, r = evaluate([data])
    assert_one_error(r, f"{path}: [0] (id DC-1): assigned_on: required field is missing")


def test_traditional_characters_are_not_an_error(evaluate) -> None:
    path, r = evaluate([matter("DC-1", source="市領導批示", urgency="緊急")])
    assert (r.code, r.err) == (0, "")
    [one] = json.loads(r.out)
    assert (one["deadline"], one["findings"][0]["citation"]) == ("2026-04-30", "济政办发〔2016〕30号 第十一条、第七条第（四）项、第七条第（五）项")


def test_empty_array(evaluate) -> None:
    path, r = evaluate([])
    assert_one_error(r, f"{path}: the input is an empty array")


def test_duplicate_id(evaluate) -> None:
    path, r = evaluate([matter("DC-1"), matter("DC-2"), matter("DC-1", assigned_on="2026-05-06")])
    assert_one_error(r, f"{path}: [2] (id DC-1): id: duplicate id 'DC-1' (also at [0])")


def test_events_given_to_evaluate(evaluate) -> None:
    path, r = evaluate([matter("DC-1"), {"type": "event", "id": "E-1", "unit": "市交通局", "on": "2026-05-06", "kind": "通报批评"}])
    assert_one_error(r, f"{path}: ", "events", "govrules accountability")


def test_events_given_to_evaluate_names_the_object(evaluate) -> None:
    path, r = evaluate([matter("DC-1"), {"type": "event", "id": "E-1", "unit": "市交通局", "on": "2026-05-06", "kind": "通报批评"}])
    assert_one_error(r, f"{path}: [1] (id E-1)")


# ---- the file itself ------------------------------------------------------------------------


def test_not_json_gives_line_and_column(govrules, tmp_path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"type": "matter",\n  "id": }]\n', encoding="utf-8")
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, path)
    assert_one_error(r, f"{path}:2:9: not valid JSON: Expecting value")


def test_not_utf8(govrules, tmp_path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps([matter()], ensure_ascii=False).encode("gbk"))
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, path)
    assert_one_error(r, f"{path}:1:43: not UTF-8: byte(s) ca at offset 42")  # line:col of the first GBK byte


def test_file_does_not_exist(govrules, tmp_path) -> None:
    path = tmp_path / "nope.json"
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, path)
    assert_one_error(r, f"{path}: file not found")


# ---- holiday data -----------------------------------------------------------------------------


@pytest.fixture
def late(write_json) -> Path:
    # 市领导批示 on Wed 2026-12-30: 3 working days reach into 2027.
    return write_json("late.json", [matter("LATE-1", assigned_on="2026-12-30")])


def test_provisional_answers_2027(govrules, late) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json", "--provisional", late)
    assert (r.code, r.err) == (0, "")
    [one] = json.loads(r.out)
    assert one["provisional"] is True
    # weekends only: Thu 12-31, Fri 01-01 (not known to be a holiday), Mon 01-04
    assert one["deadline"] == "2027-01-04"


def test_provisional_is_marked_in_the_table(govrules, late) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--provisional", late)
    assert r.code == 0
    assert "临时结果" in r.out


def test_provisional_does_not_mark_known_years(govrules, write_json) -> None:
    path = write_json("known.json", [matter("DC-1")])
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", "--provisional", path)
    assert json.loads(r.out)[0]["provisional"] is False


def test_holiday_data_file_answers_2027(govrules, late) -> None:
    example = REPO / "examples" / "holidays-2027.example.yaml"
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json", "--holiday-data", example, late)
    assert (r.code, r.err) == (0, "")
    [one] = json.loads(r.out)
    # the example file makes 01-01 … 01-03 元旦: Thu 12-31, Mon 01-04, Tue 01-05
    assert (one["deadline"], one["provisional"]) == ("2027-01-05", False)


# ---- options ----------------------------------------------------------------------------------


def test_unknown_pack_lists_bundled_packs(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--pack", "nanjing-2020-1", ledger)
    assert_one_error(r, "no bundled pack 'nanjing-2020-1'; bundled packs: ", "jinan-2016-30")


def test_pack_file_that_does_not_exist(govrules, ledger, tmp_path) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--pack", tmp_path / "mine.yaml", ledger)
    assert_one_error(r, f"{tmp_path / 'mine.yaml'}:1:1: file not found")


def test_unknown_interpretation(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--interpretation", "immediately=same-day", ledger)
    assert_one_error(r, "--interpretation 'immediately=same-day': no pack evaluated declares 'immediately'; declared: "
                        "jinan-2016-30:criticism-count, jinan-2016-30:immediate, jinan-2016-30:progress-reply,")


def test_unknown_interpretation_option(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--interpretation", "immediate=tomorrow", ledger)
    assert_one_error(r, "--interpretation 'immediate=tomorrow': jinan-2016-30:immediate has no option 'tomorrow'; "
                        "options: same-day, next-working-day")


def test_interpretation_without_option(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--interpretation", "immediate", ledger)
    assert_one_error(r, "--interpretation 'immediate': expected [PACK:]ID=OPTION")


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "11/05/2026", "today"])
def test_bad_as_of(govrules, ledger, value) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", value, ledger)
    assert r.code == 2 and r.out == ""
    # argparse prints its usage first; the last line is the message
    last = r.err.splitlines()[-1]
    assert last.startswith("govrules: error: argument --as-of: "), r.err
    assert repr(value) in last


def test_bad_as_of_says_why(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-13-01", ledger)
    assert r.err == ("govrules: error: argument --as-of: '2026-13-01' is not a real date (month must be in 1..12)"
                     " (see: govrules evaluate --help)\n")


def test_warning_days_out_of_range(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--warning-days", "100", ledger)
    assert_one_error(r, "must be from 0 to 60 working days, got 100")


def test_warning_days_out_of_range_names_the_option(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--warning-days", "100", ledger)
    assert_one_error(r, "--warning-days")


def test_a_date_outside_the_supported_range_is_a_clear_error(evaluate) -> None:
    """Year 9999 once overflowed inside a weekly-report walk; dates are bounded at the door."""
    path, r = evaluate([matter("DC-1", assigned_on="9999-12-31", complex=True)], "--allow-not-in-force")
    assert_one_error(r, f"{path}: [0] (id DC-1): assigned_on: '9999-12-31' is outside the supported range 1900-01-01 to 2200-12-31")
