"""Each endpoint of the live server gives what the Python API and the CLI give for the same input."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from govrules import accountability, bundled_ids, bundled_pack, compile_pack, evaluate_all, parse_object, parse_objects
from govrules.cli import main as cli_main
from govrules.engine.evaluate import case_date
from govrules.models import Event
from govrules.packs.coverage import coverage
from govrules.packs.summary import pack_summary

AS_OF = date(2026, 5, 11)
JINAN = "jinan-2016-30"
EVENTS = [
    {"type": "event", "id": "E1", "unit": "市交通局", "on": "2026-02-01", "kind": "通报批评"},
    {"type": "event", "id": "E2", "unit": "市交通局", "on": "2026-03-01", "kind": "通报批评"},
    {"type": "event", "id": "E3", "unit": "市住建局", "on": "2026-04-01", "kind": "逾期未报结"},
]


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_packs_lists_each_bundled_summary_as_the_cli_does(client: httpx.Client) -> None:
    r = client.get("/packs")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == [pack_summary(bundled_pack(i)) for i in bundled_ids()]
    code, out, _ = cli("packs", "--format", "json")
    assert code == 0 and r.json() == json.loads(out)


def test_pack_summary_has_the_keys_of_the_cli_in_order() -> None:
    _, out, _ = cli("packs", "--format", "json")
    for printed in json.loads(out):
        summary = pack_summary(bundled_pack(printed["id"]))
        assert list(summary.items()) == list(printed.items())


def test_pack_detail(client: httpx.Client) -> None:
    pack = bundled_pack(JINAN)
    r = client.get(f"/packs/{JINAN}")
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["summary", "clauses", "interpretations", "rules", "coverage"]
    assert body["summary"] == pack_summary(pack)
    assert body["clauses"] == [c.model_dump(mode="json") for c in pack.clauses]
    assert [i["id"] for i in body["interpretations"]] == [i.id for i in pack.interpretations]
    assert body["rules"] == [r.model_dump(mode="json", by_alias=True) for r in pack.rules]
    assert body["coverage"] == [c.to_dict() for c in coverage(pack)]


def test_pack_detail_dumps_conditions_by_alias(client: httpx.Client) -> None:
    rules = json.dumps(client.get(f"/packs/{JINAN}").json()["rules"], ensure_ascii=False)
    assert '"in": [' in rules and '"in_"' not in rules


def test_evaluate_named_pack_equals_the_python_api(client: httpx.Client, ledger: list[dict[str, Any]]) -> None:
    r = client.post("/evaluate", params={"pack": JINAN, "as_of": AS_OF.isoformat()}, json=ledger)
    assert r.status_code == 200, r.text
    expected = evaluate_all(parse_objects(ledger), AS_OF, bundled_pack(JINAN))
    assert r.json() == [e.to_dict() for e in expected]
    assert "govrules-not-applied" not in r.headers


def test_evaluate_default_packs_are_the_cli_bytes_and_say_what_was_left_out(
        client: httpx.Client, ledger: list[dict[str, Any]], tmp_path: Path) -> None:
    r = client.post("/evaluate", params={"as_of": AS_OF.isoformat()}, json=ledger)
    assert r.status_code == 200, r.text
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(ledger, ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli("evaluate", "--as-of", AS_OF.isoformat(), "--format", "json", str(path))
    assert code == 0 and r.text == out  # same bytes as the CLI
    cases = parse_objects(ledger)
    left_out = {}
    for pack_id in bundled_ids():
        cp = compile_pack(bundled_pack(pack_id))
        n = sum(not cp.in_force_on(case_date(c))[0] for c in cases)
        if n:
            left_out[pack_id] = f"{n}/{len(cases)}"
    assert left_out, "the ledger should fall outside some pack's time in force"
    header = dict(part.split("=") for part in r.headers["govrules-not-applied"].split(", "))
    assert header == left_out


def test_evaluate_one_object_with_chinese_keys(client: httpx.Client) -> None:
    raw = {"类型": "事项", "编号": "DC-1", "事项来源": "市領導批示", "交办日期": "2026-04-30", "主办单位": "市交通局"}
    r = client.post("/evaluate", params={"pack": JINAN, "as_of": AS_OF.isoformat()}, json=raw)
    assert r.status_code == 200, r.text
    [result] = r.json()
    assert (result["id"], result["deadline"], result["status"]) == ("DC-1", "2026-05-08", "overdue")
    assert result == evaluate_all([parse_object(raw)], AS_OF, bundled_pack(JINAN))[0].to_dict()


def test_evaluate_options_reach_the_engine(client: httpx.Client, ledger: list[dict[str, Any]]) -> None:
    from govrules import Options

    params = [("pack", JINAN), ("as_of", "2026-05-06"), ("interpretation", f"{JINAN}:progress-reply=completion-only"),
              ("warning_days", "5")]
    r = client.post("/evaluate", params=params, json=ledger)
    assert r.status_code == 200, r.text
    cp = compile_pack(bundled_pack(JINAN), {"progress-reply": "completion-only"})
    expected = evaluate_all(parse_objects(ledger), date(2026, 5, 6), cp, Options(warning_workdays=5))
    assert r.json() == [e.to_dict() for e in expected]
    default = client.post("/evaluate", params=[("pack", JINAN), ("as_of", "2026-05-06")], json=ledger).json()
    assert r.json() != default, "the reading and the warning window should change some result"


def test_evaluate_not_in_force_when_allowed_is_marked(client: httpx.Client) -> None:
    raw = {"type": "matter", "id": "OLD", "source": "市领导批示", "assigned_on": "2015-03-02", "lead_unit": "市交通局"}
    r = client.post("/evaluate", params={"pack": JINAN, "as_of": "2015-03-20", "allow_not_in_force": "true"}, json=raw)
    assert r.status_code == 200, r.text
    assert r.json()[0]["findings"] and all(f["in_force"] is False for f in r.json()[0]["findings"])


def test_evaluate_provisional_year(client: httpx.Client) -> None:
    raw = {"type": "matter", "id": "F", "source": "市领导批示", "assigned_on": "2026-12-30", "lead_unit": "市交通局"}
    r = client.post("/evaluate", params={"pack": JINAN, "as_of": "2027-01-04", "provisional": "true"}, json=raw)
    assert r.status_code == 200, r.text
    assert r.json()[0]["provisional"] is True


def test_accountability_equals_the_python_api(client: httpx.Client) -> None:
    r = client.post("/accountability", params={"pack": JINAN, "as_of": "2026-06-30"}, json=EVENTS)
    assert r.status_code == 200, r.text
    events = parse_objects(EVENTS, expect=Event)
    expected = accountability(events, date(2026, 6, 30), bundled_pack(JINAN))
    assert r.json() == [u.to_dict() for u in expected]
    assert {u["unit"]: u["level"] for u in r.json()} == {"市交通局": 2, "市住建局": 1}  # 逾期未报结 应予通报批评


def test_accountability_default_packs_are_the_cli_bytes(client: httpx.Client, tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(EVENTS, ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli("accountability", "--as-of", "2026-06-30", "--format", "json", str(path))
    r = client.post("/accountability", params={"as_of": "2026-06-30"}, json=EVENTS)
    assert code == 0 and r.status_code == 200 and r.text == out


@pytest.mark.parametrize("extra", [[], [("as_of", "2026-05-11"), ("urgency", "特急")], [("complex", "true")],
                                   [("explicit_deadline", "2026-06-01"), ("as_of", "2026-05-11")]])
def test_deadline_is_the_cli_answer(client: httpx.Client, extra: list[tuple[str, str]]) -> None:
    params = [("pack", JINAN), ("source", "市领导批示"), ("assigned", "2026-04-30"), *extra]
    r = client.get("/deadline", params=params)
    assert r.status_code == 200, r.text
    argv = ["deadline", "--pack", JINAN, "--source", "市领导批示", "--assigned", "2026-04-30", "--format", "json"]
    for name, value in extra:
        argv += [f"--{name.replace('_', '-')}"] + ([] if name == "complex" else [value])
    code, out, _ = cli(*argv)
    assert code == 0 and r.text == out


def test_deadline_crosses_labour_day(client: httpx.Client) -> None:
    r = client.get("/deadline", params={"pack": JINAN, "source": "市领导批示", "assigned": "2026-04-30"})
    assert [x["deadline"] for x in r.json()] == ["2026-05-08"]  # 3 working days, 05-01..05-05 off


def test_openapi_describes_bodies_and_responses(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    ops = doc["paths"]
    assert set(ops) == {"/packs", "/packs/{pack_id}", "/evaluate", "/accountability", "/deadline"}
    body = ops["/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"][0] == {"$ref": "#/components/schemas/CaseObject"}
    schemas = doc["components"]["schemas"]
    assert schemas["Matter"]["properties"]["source"]["enum"][0] == "上级批示"
    assert ops["/evaluate"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["items"] == \
        {"$ref": "#/components/schemas/Evaluation"}
    as_of = next(p for p in ops["/evaluate"]["post"]["parameters"] if p["name"] == "as_of")
    assert as_of["required"] is True
    refs = {m for m in json.dumps(doc).split('"$ref": "')[1:]}
    for target in refs:
        name = target.split('"')[0].removeprefix("#/components/schemas/")
        assert name in schemas, f"dangling $ref {name}"
