"""`govrules deadline`: one matter's deadline from the command line."""

from __future__ import annotations

import pytest

BASE = ("deadline", "--pack", "jinan-2016-30", "--assigned", "2026-04-30")


@pytest.mark.parametrize("source", ["市领导批示", "市領導批示"], ids=["simplified", "traditional"])
def test_city_leader_instruction(govrules, source) -> None:
    r = govrules(*BASE, "--source", source)
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert lines[0] == "jinan-2016-30: 2026-05-08"
    # the explanation: citation and the skipped 劳动节 holiday
    assert "济政办发〔2016〕30号 第十六条第（六）项" in lines[1]
    assert "跳过劳动节假期2026-05-01至2026-05-05" in lines[1]


def test_traditional_gives_the_same_output(govrules) -> None:
    a = govrules(*BASE, "--source", "市领导批示", "--format", "json")
    b = govrules(*BASE, "--source", "市領導批示", "--format", "json")
    assert a.code == b.code == 0
    assert a.out == b.out


def test_deadline_json(govrules) -> None:
    r = govrules(*BASE, "--source", "市领导批示", "--format", "json")
    [one] = r.json()
    assert (one["deadline"], one["as_of"], one["pack"]) == ("2026-05-08", "2026-04-30", "jinan-2016-30")


@pytest.mark.parametrize(("source", "urgency", "expected"), [
    ("上级批示", "一般", "2026-05-13"),  # 7 working days: 05-06 … 05-09 (调休 Saturday), 05-11 … 05-13
    ("常务会议", "一般", "2026-05-18"),  # 10 working days
    ("市领导批示", "特急", "2026-04-30"),  # 即接即办: the same day
    ("人大代表建议", "一般", "2026-07-30"),  # 3 months
])
def test_other_sources(govrules, source, urgency, expected) -> None:
    r = govrules(*BASE, "--source", source, "--urgency", urgency)
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == f"jinan-2016-30: {expected}"


def test_unknown_source(govrules) -> None:
    r = govrules(*BASE, "--source", "市长批示")
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("govrules: error: ")
    assert "source: unknown value '市长批示'; allowed values: " in r.err
    assert "'市领导批示'" in r.err and "'上级批示'" in r.err
    assert r.err.count("\n") == 1


def test_bad_assigned_date(govrules) -> None:
    r = govrules(*BASE[:-1], "2026-02-30", "--source", "市领导批示")
    assert (r.code, r.out) == (2, "")
    assert "--assigned" in r.err and "'2026-02-30' is not a real date" in r.err
