"""HTTP bodies: ``parse_json`` (the service's door to the JSON reader) and whole answers through the
app, in process (httpx TestClient): only the documented 400 malformed_json, bounded answers."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest
from hypothesis import given

from hostile_bounds import HOSTILE, bounded
from govrules.service import create_app
from govrules.service.errors import ApiError
from govrules.service.limits import parse_json
from hostile_strategies import BOM, spoiled_json

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on its httpx-based client
    from fastapi.testclient import TestClient

OK = {"pack": "jinan-2016-30", "as_of": "2026-05-11"}
JSON = {"content-type": "application/json"}
MB = 1_000_000


@HOSTILE
@given(spoiled_json())
def test_any_body_gives_a_value_or_a_bounded_malformed_json(body: bytes) -> None:
    try:
        parse_json(body)
    except ApiError as exc:
        assert (exc.status, exc.kind) == (400, "malformed_json")
        assert re.fullmatch(r"body(:\d+:\d+)?", exc.where), exc.where
        bounded(exc.message)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def post(client: TestClient, body: Any) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return client.post("/evaluate", params=OK, content=content, headers=JSON)


def matter(**fields: Any) -> dict[str, Any]:
    return {"type": "matter", "id": "A", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局", **fields}


@pytest.mark.parametrize("body", [
    [matter(id="x" * MB)],
    [matter(id="x" * MB, assigned_on="2026-02-30")],
    [matter(id="x" * MB)] * 2,
    [matter(assigned_on="x" * MB)],
    [matter(reports=["x" * MB])],
    [{**matter(), "k" * MB: 1}],
    [{"type": "x" * MB}],
], ids=["id", "id-and-date", "id-twice", "date", "report", "key", "type"])
def test_a_megabyte_value_is_not_echoed(client: TestClient, body: Any) -> None:
    r = post(client, body)
    assert r.status_code == 422 and len(r.content) < 1500, (r.status_code, r.text[:300])
    assert set(r.json()) == {"error", "message", "where"}


def test_duplicate_keys_are_refused_with_their_place(client: TestClient) -> None:
    r = post(client, b'[{"type": "matter",\n "type": "meeting"}]')
    assert r.status_code == 400
    assert r.json() == {"error": "malformed_json", "where": "body:1:2",
                        "message": "duplicate key 'type' in the object starting here; each key may appear once in an object"}


def test_a_bom_is_accepted_as_evaluate_accepts_it(client: TestClient) -> None:
    r = post(client, BOM + json.dumps([matter()]).encode())
    assert r.status_code == 200, r.text
    assert [e["id"] for e in r.json()] == ["A"]


def test_a_traditional_type_and_a_missing_type(client: TestClient) -> None:
    assert post(client, [matter(type="事項")]).status_code == 200
    data = matter()
    del data["type"]
    r = post(client, [data])
    assert r.status_code == 422 and "type: required; expected one of matter" in r.json()["message"]
