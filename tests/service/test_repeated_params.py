"""Repeated query parameters: ``pack`` and ``interpretation`` count once each (a pack named twice
is evaluated once, where first named; two options for one reading are refused); any other
parameter given twice is refused naming it. The object limit counts objects × packs evaluated."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules import bundled_ids
from govrules.service import limits

AS_OF = "2026-05-11"
JINAN = "jinan-2016-30"
PACKS = list(bundled_ids())
QUICK = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def matter(i: int) -> dict[str, Any]:
    return {"type": "matter", "id": f"M{i}", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}


def params(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("as_of", AS_OF), ("allow_not_in_force", "true"), *pairs]


@QUICK
@given(names=st.lists(st.sampled_from(PACKS), min_size=1, max_size=12))
def test_repeated_packs_answer_as_the_packs_named_once(client: httpx.Client, names: list[str]) -> None:
    body = [matter(1), matter(2)]
    repeated = client.post("/evaluate", params=params(*(("pack", n) for n in names)), json=body)
    once = client.post("/evaluate", params=params(*(("pack", n) for n in dict.fromkeys(names))), json=body)
    assert repeated.status_code == 200, repeated.text
    assert repeated.content == once.content
    assert [r["pack"] for r in repeated.json()] == [n for n in dict.fromkeys(names) for _ in body]


@QUICK
@given(times=st.integers(2, 20), which=st.sampled_from(["as_of", "warning_days", "provisional", "allow_not_in_force"]),
       values=st.data())
def test_any_other_parameter_given_twice_is_refused(client: httpx.Client, error, times: int, which: str,
                                                    values: st.DataObject) -> None:
    good = {"as_of": AS_OF, "warning_days": "3", "provisional": "false", "allow_not_in_force": "true"}
    value = values.draw(st.sampled_from([good[which], "x"]))
    pairs = [(k, v) for k, v in good.items() if k != which] + [(which, value)] * times + [("pack", JINAN)]
    r = client.post("/evaluate", params=pairs, json=[matter(1)])
    body = error(r, 422, "invalid_parameter", f"query.{which}")
    assert f"given {times} times" in body["message"]


@pytest.mark.parametrize("name", ["source", "assigned", "urgency", "complex", "explicit_deadline", "as_of"])
def test_deadline_parameter_given_twice_is_refused(client: httpx.Client, error, name: str) -> None:
    good = {"source": "市领导批示", "assigned": "2026-04-30", "urgency": "一般", "complex": "false",
            "explicit_deadline": "2026-05-20", "as_of": "2026-05-01"}
    pairs = list(good.items()) + [(name, good[name])]
    error(client.get("/deadline", params=pairs), 422, "invalid_parameter", f"query.{name}")


def test_the_same_reading_twice_counts_once(client: httpx.Client) -> None:
    choice = ("interpretation", "immediate=next-working-day")
    once = client.post("/evaluate", params=params(("pack", JINAN), choice), json=[matter(1)])
    twice = client.post("/evaluate", params=params(("pack", JINAN), choice, choice,
                                                   ("interpretation", f"{JINAN}:immediate=next-working-day")),
                        json=[matter(1)])
    assert once.status_code == 200 and twice.content == once.content


def test_two_options_for_one_reading_are_refused(client: httpx.Client, error) -> None:
    r = client.post("/evaluate", params=params(("pack", JINAN), ("interpretation", "immediate=same-day"),
                                               ("interpretation", "immediate=next-working-day")), json=[matter(1)])
    body = error(r, 422, "unknown_interpretation", "query.interpretation")
    assert "already chosen as 'same-day'" in body["message"]


def test_the_limit_counts_objects_times_packs(client: httpx.Client, error, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server runs in this process, so a smaller limit can stand in for 50,000."""
    monkeypatch.setattr(limits, "MAX_EVALUATIONS", 10)
    body = [matter(i) for i in range(3)]
    every = client.post("/evaluate", params=[("as_of", AS_OF)], json=body)  # every bundled pack counts
    message = error(every, 413, "too_many_objects", "body")["message"]
    assert f"3 objects × {len(PACKS)} packs = {3 * len(PACKS)} evaluations; the limit is 10" in message
    repeated = client.post("/evaluate", params=params(*[("pack", JINAN)] * 20), json=body)
    assert repeated.status_code == 200 and len(repeated.json()) == 3
    three = client.post("/evaluate", params=params(*(("pack", p) for p in PACKS[:4])), json=body)
    error(three, 413, "too_many_objects", "body")
    events = [{"type": "event", "id": f"E{i}", "unit": "u", "on": "2026-04-01", "kind": "通报批评"} for i in range(4)]
    error(client.post("/accountability", params=[("as_of", AS_OF)], json=events), 413, "too_many_objects", "body")


def test_every_bundled_pack_under_the_object_limit_fits(client: httpx.Client) -> None:
    assert limits.MAX_OBJECTS * len(PACKS) <= limits.MAX_EVALUATIONS
