"""`govrules accountability`: each unit's step on the 第二十条 ladder."""

from __future__ import annotations

import pytest

AS_OF = "2026-05-11"
# The interchange contract's keys, in its order (more may follow or sit between them).
CONTRACT_KEYS = ["unit", "pack", "as_of", "level", "outcome", "counted", "window", "citation", "clause_text", "targets"]


def event(ident: str, unit: str, on: str, kind: str = "通报批评") -> dict:
    return {"type": "event", "id": ident, "unit": unit, "on": on, "kind": kind}


@pytest.fixture
def account(govrules, write_json):
    def run(events: list[dict], *extra: str) -> dict[str, dict]:
        path = write_json("events.json", events)
        r = govrules("accountability", "--pack", "jinan-2016-30", "--as-of", AS_OF, "--format", "json", *extra, path)
        assert (r.code, r.err) == (0, ""), r.err
        results = r.json()
        units = [x["unit"] for x in results]
        assert len(units) == len(set(units)), "one object per unit"
        return {x["unit"]: x for x in results}

    return run


def test_keys_in_contract_order(account) -> None:
    [result] = account([event("E1", "市交通局", "2026-02-01")]).values()
    keys = list(result)
    assert set(CONTRACT_KEYS) <= set(keys)
    assert [k for k in keys if k in CONTRACT_KEYS] == CONTRACT_KEYS
    assert (result["pack"], result["as_of"], result["window"]) == ("jinan-2016-30", AS_OF, "2026")


def test_one_criticism_is_level_one(account) -> None:
    r = account([event("E1", "市交通局", "2026-02-01")])["市交通局"]
    assert (r["level"], r["outcome"], r["counted"]) == (1, "通报批评", 1)
    assert r["citation"] == "济政办发〔2016〕30号 第二十条第（一）项"
    assert r["targets"] == ["责任单位"]


def test_two_criticisms_in_a_year_is_level_two(account) -> None:
    r = account([event("E1", "市交通局", "2026-02-01"), event("E2", "市交通局", "2026-04-01")])["市交通局"]
    assert (r["level"], r["outcome"], r["counted"]) == (2, "诫勉谈话", 2)
    assert r["targets"] == ["主要责任人", "分管责任人"]
    assert r["copied_to"] == ["市委组织部", "市监察局"]
    assert r["citation"] == "济政办发〔2016〕30号 第二十条第（二）项"
    assert "年度内被通报批评2次" in r["clause_text"]


def test_three_criticisms_is_level_three(account) -> None:
    events = [event(f"E{i}", "市交通局", f"2026-0{i}-01") for i in (1, 2, 3)]
    r = account(events)["市交通局"]
    assert (r["level"], r["outcome"], r["counted"]) == (3, "组织处理或纪律处分", 3)
    assert r["citation"] == "济政办发〔2016〕30号 第二十条第（三）项"


def test_last_year_does_not_count(account) -> None:
    events = [event("E1", "市住建局", "2025-12-31"), event("E2", "市住建局", "2026-01-01"),
              event("E3", "市水务局", "2025-06-01"), event("E4", "市水务局", "2025-07-01")]
    got = account(events)
    assert (got["市住建局"]["level"], got["市住建局"]["counted"]) == (1, 1)
    # a unit whose events all fall in 2025 has reached no step in 2026
    assert (got["市水务局"]["level"], got["市水务局"]["outcome"], got["市水务局"]["counted"]) == (0, None, 0)
    assert got["市水务局"]["targets"] == []


def test_events_after_as_of_do_not_count(account) -> None:
    got = account([event("E1", "市交通局", "2026-05-11"), event("E2", "市交通局", "2026-05-12")])
    assert (got["市交通局"]["level"], got["市交通局"]["counted"]) == (1, 1)


def test_units_in_order_of_first_appearance(account) -> None:
    got = account([event("E1", "乙局", "2026-02-01"), event("E2", "甲局", "2026-02-01"), event("E3", "乙局", "2026-03-01")])
    assert list(got) == ["乙局", "甲局"]


def test_overdue_counts_interpretation(account) -> None:
    events = [event("E1", "市水务局", "2026-03-01", "逾期未报结"), event("E2", "市水务局", "2026-03-20", "逾期未报结")]
    default = account(events)["市水务局"]
    # 逾期未报结 calls for 通报批评 (level 1) but is not itself a criticism counted toward 2 or 3
    assert (default["level"], default["outcome"]) == (1, "通报批评")
    assert [i["choice"] for i in default["interpretations"]] == ["criticisms-only"]
    other = account(events, "--interpretation", "criticism-count=overdue-counts")["市水务局"]
    assert (other["level"], other["outcome"], other["counted"]) == (2, "诫勉谈话", 2)
    assert [i["choice"] for i in other["interpretations"]] == ["overdue-counts"]
    assert other["rule"] != default["rule"]


def test_traditional_event_kind(account) -> None:
    # 通報批評 is 通报批评 in traditional characters
    r = account([event("E1", "市交通局", "2026-02-01", "通報批評"), event("E2", "市交通局", "2026-03-01")])["市交通局"]
    assert (r["level"], r["counted"]) == (2, 2)


def test_table(govrules, write_json) -> None:
    path = write_json("events.json", [event("E1", "市交通局", "2026-02-01"), event("E2", "市交通局", "2026-04-01")])
    r = govrules("accountability", "--pack", "jinan-2016-30", "--as-of", AS_OF, path)
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert lines[0].split() == ["责任单位", "级别", "问责方式", "计入次数", "期间", "依据", "对象", "抄报"]
    row = next(line for line in lines if line.startswith("市交通局"))
    for cell in ("诫勉谈话", "2026", "济政办发〔2016〕30号 第二十条第（二）项", "主要责任人、分管责任人", "市委组织部、市监察局"):
        assert cell in row


def test_cases_are_not_events(govrules, ledger) -> None:
    r = govrules("accountability", "--as-of", AS_OF, ledger)
    assert (r.code, r.out) == (2, "")
    assert r.err == (f"govrules: error: {ledger}: [0] (id DC-2026-001): type: unknown value 'matter'; "
                     "expected one of event (事件)\n")


def test_bad_event_date(govrules, write_json) -> None:
    path = write_json("events.json", [event("E1", "市交通局", "2026-02-01"), event("E2", "市交通局", "2026-04-31")])
    r = govrules("accountability", "--as-of", AS_OF, path)
    assert (r.code, r.out) == (2, "")
    assert r.err == f"govrules: error: {path}: [1] (id E2): on: '2026-04-31' is not a real date (day is out of range for month)\n"


def test_unknown_event_kind(govrules, write_json) -> None:
    path = write_json("events.json", [event("E1", "市交通局", "2026-02-01", "表扬")])
    r = govrules("accountability", "--as-of", AS_OF, path)
    assert (r.code, r.out) == (2, "")
    assert f"{path}: [0] (id E1): kind: unknown value '表扬'; allowed values: " in r.err
    assert "'通报批评'" in r.err


def test_event_before_the_pack_was_in_force(govrules, write_json) -> None:
    path = write_json("events.json", [event("E1", "市交通局", "2015-04-30")])
    r = govrules("accountability", "--pack", "jinan-2016-30", "--as-of", "2015-05-11", path)
    assert (r.code, r.out) == (2, "")
    assert "event E1" in r.err and "2016-12-23" in r.err and "--allow-not-in-force" in r.err


def test_default_packs_apply_only_where_in_force_and_say_so(govrules, write_json) -> None:
    path = write_json("events.json", [event("E1", "市交通局", "2015-04-30")])
    r = govrules("accountability", "--as-of", "2015-05-11", "--format", "json", path)
    assert r.code == 0
    assert all(item["pack"] != "jinan-2016-30" for item in r.json())
    assert "pack jinan-2016-30 not applied to 1 of 1 objects" in r.err and "--allow-not-in-force" in r.err
