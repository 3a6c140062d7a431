"""Bad requests get a 4xx JSON error naming what is wrong, and the server keeps answering."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from govrules import bundled_ids
from govrules.service.limits import MAX_BODY_BYTES, MAX_OBJECTS

JINAN = "jinan-2016-30"
OK = {"pack": JINAN, "as_of": "2026-05-11"}


def matter(**fields: Any) -> dict[str, Any]:
    return {"type": "matter", "id": "DC-1", "source": "市领导批示", "assigned_on": "2026-04-30",
            "lead_unit": "市交通局", **fields}


@pytest.fixture(autouse=True)
def still_serving(client: httpx.Client) -> Iterator[None]:
    yield
    r = client.get("/packs")
    assert r.status_code == 200 and len(r.json()) == len(bundled_ids()), "the server stopped answering"


# -- the body: size, count, media type, JSON ----------------------------------------------------

def test_declared_length_over_the_limit_is_refused_before_reading(base_url: str) -> None:
    """Only headers are sent: an answer (rather than a timeout) shows nothing was waited for."""
    url = urlsplit(base_url)
    head = (f"POST /evaluate?as_of=2026-05-11 HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {MAX_BODY_BYTES + 1}\r\nConnection: close\r\n\r\n")
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    status_line, _, rest = reply.partition(b"\r\n")
    assert status_line.split()[1] == b"413"
    assert b'"error":"payload_too_large"' in rest and str(MAX_BODY_BYTES + 1).encode() in rest


def test_streamed_body_over_the_limit(client: httpx.Client, error) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: only counting while reading can stop it
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536
        yield b"[]"

    r = client.post("/evaluate", params=OK, content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    body = error(r, 413, "payload_too_large", "body")
    assert f"more than {MAX_BODY_BYTES}" in body["message"]


def test_body_at_the_limit_is_read(client: httpx.Client) -> None:
    text = b'[{"type": "matter", "id": "DC-1", "source": "\\u4ea4\\u529e", "assigned_on": "2026-04-30", "lead_unit": "x"}'
    body = text + b" " * (MAX_BODY_BYTES - len(text) - 1) + b"]"
    assert len(body) == MAX_BODY_BYTES
    r = client.post("/evaluate", params=OK, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200 and [x["id"] for x in r.json()] == ["DC-1"]


def test_too_many_objects(client: httpx.Client, error) -> None:
    items = [matter(id=f"M{i}") for i in range(MAX_OBJECTS + 1)]
    body = error(client.post("/evaluate", params=OK, json=items), 413, "too_many_objects", "body")
    assert str(MAX_OBJECTS) in body["message"]


def test_as_many_objects_as_allowed(client: httpx.Client) -> None:
    items = [matter(id=f"M{i}") for i in range(MAX_OBJECTS)]
    r = client.post("/evaluate", params=OK, json=items)
    assert r.status_code == 200 and len(r.json()) == MAX_OBJECTS


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=latin-1"])
def test_wrong_content_type(client: httpx.Client, error, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    r = client.post("/evaluate", params=OK, content=b'{"type": "matter"}', headers=headers)
    error(r, 415, "unsupported_media_type", "header.content-type")


def test_json_with_charset_is_accepted(client: httpx.Client) -> None:
    body = '{"type": "matter", "id": "A", "source": "交办", "assigned_on": "2026-04-30", "lead_unit": "x"}'.encode()
    r = client.post("/evaluate", params=OK, content=body, headers={"content-type": "application/json; charset=UTF-8"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("text", "where"), [
    (b'[\n  {"type": "matter",\n   "id": }\n]', "body:3:10"),
    (b'{"type": "matter"', "body:1:18"),
    (b"[1, 2,]", "body:1:7"),
    (b"   ", "body"),
    (b"[NaN]", "body:1:2"),
    (b"\xff\xfe[]", "body:1:1"),  # a UTF-16 byte-order mark is not UTF-8
])
def test_malformed_json_names_line_and_column(client: httpx.Client, error, text: bytes, where: str) -> None:
    r = client.post("/evaluate", params=OK, content=text, headers={"content-type": "application/json"})
    error(r, 400, "malformed_json", where)


def test_deeply_nested_json(client: httpx.Client, error) -> None:
    r = client.post("/evaluate", params=OK, content=b"[" * 100_000 + b"]" * 100_000,
                    headers={"content-type": "application/json"})
    error(r, 400, "malformed_json", "body:1:65")


# -- the objects -----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "where", "says"), [
    (matter(assigned_on="2026-02-30"), "body: (id DC-1): assigned_on", "not a real date"),
    ([matter(), matter(id="DC-2", assigned_on="99999-01-01")], "body: [1] (id DC-2): assigned_on", "YYYY-MM-DD"),
    (matter(assigned_on=1700000000), "body: (id DC-1): assigned_on", "YYYY-MM-DD"),
    (matter(source="领导批示"), "body: (id DC-1): source", "allowed values"),
    (matter(colour="red"), "body: (id DC-1): colour", "unknown key"),
    ({**matter(), "lead_unit": None}, "body: (id DC-1): lead_unit", "lead_unit"),
    ([matter(), matter()], "body: [1] (id DC-1): id", "duplicate"),
    ([], "body", "empty array"),
    ([1], "body: [0]", "expected a JSON object"),
    ({"type": "event", "id": "E1", "unit": "市交通局", "on": "2026-03-01", "kind": "约谈"}, "body: [0] (id E1): type",
     "/accountability"),
])
def test_invalid_objects(client: httpx.Client, error, body: Any, where: str, says: str) -> None:
    found = error(client.post("/evaluate", params=OK, json=body), 422, "invalid_input", where)
    assert says in found["message"]


def test_accountability_takes_only_events(client: httpx.Client, error) -> None:
    r = client.post("/accountability", params=OK, json=[matter()])
    found = error(r, 422, "invalid_input", "body: [0] (id DC-1): type")
    assert "event" in found["message"]


# -- the parameters --------------------------------------------------------------------------

def test_unknown_pack(client: httpx.Client, error) -> None:
    found = error(client.post("/evaluate", params={"pack": "nope", "as_of": "2026-05-11"}, json=matter()),
                  404, "unknown_pack", "query.pack")
    assert all(pack_id in found["message"] for pack_id in bundled_ids())
    found = error(client.get("/packs/nope"), 404, "unknown_pack", "path.pack_id")
    assert JINAN in found["message"]


@pytest.mark.parametrize(("params", "where", "says"), [
    ({"pack": JINAN}, "query.as_of", "missing"),
    ({**OK, "as_of": "2026-02-30"}, "query.as_of", "not a real date"),
    ({**OK, "as_of": "99999-01-01"}, "query.as_of", "YYYY-MM-DD"),
    ({**OK, "as_of": "2026-5-1"}, "query.as_of", "YYYY-MM-DD"),
    ({**OK, "warning_days": "61"}, "query.warning_days", "0 to 60"),
    ({**OK, "warning_days": "three"}, "query.warning_days", "whole number"),
    ({**OK, "allow_not_in_force": "yes"}, "query.allow_not_in_force", "true or false"),
    ({**OK, "asof": "2026-05-11"}, "query.asof", "unknown parameter"),
    ([("pack", JINAN), ("as_of", "2026-05-11"), ("as_of", "2026-05-12")], "query.as_of", "once"),
])
def test_invalid_parameters(client: httpx.Client, error, params: Any, where: str, says: str) -> None:
    found = error(client.post("/evaluate", params=params, json=matter()), 422, "invalid_parameter", where)
    assert says in found["message"]


def test_year_without_holiday_data(client: httpx.Client, error) -> None:
    """A posted ledger answers a matter whose deadline needs an unknown year with status "unknown"
    (and says how many in a header); the one matter of /deadline is refused."""
    late = matter(assigned_on="2026-12-30")  # its 3 working days run into 2027
    r = client.post("/evaluate", params={**OK, "as_of": "2027-01-04"}, json=[matter(id="DC-0"), late])
    assert r.status_code == 200 and r.headers["Govrules-Unanswered"] == "1/2"
    answered, unknown = r.json()
    assert (answered["status"], unknown["status"], unknown["complete"]) == ("overdue", "unknown", False)
    assert "2027年的节假日安排未知" in unknown["findings"][0]["message"]
    found = error(client.get("/deadline", params={"pack": "jinan-2016-30", "source": "市领导批示",
                                                   "assigned": "2026-12-30", "as_of": "2027-01-04"}),
                  422, "holiday_data_missing", "query.as_of")
    assert "no holiday data for 2027" in found["message"] and "provisional=true" in found["message"]
    old = matter(assigned_on="2003-05-06")
    r = client.post("/evaluate", params={**OK, "allow_not_in_force": "true"}, json=old)
    assert r.headers["Govrules-Unanswered"] == "1/1" and "2003年的节假日安排未知" in r.text
    assert "Govrules-Unanswered" not in client.post("/evaluate", params=OK, json=matter()).headers


@pytest.mark.parametrize("fields", [{"source": "全体会议", "assigned_on": "9999-12-31", "complex": True},
                                    {"source": "政府工作报告", "assigned_on": "9999-12-20"}])
def test_dates_running_past_year_9999(client: httpx.Client, error, fields: dict[str, Any]) -> None:
    """Dates near 9999 once overflowed the engine's report walks; they are refused at the door."""
    r = client.post("/evaluate", params={**OK, "allow_not_in_force": "true"}, json=matter(**fields))
    assert "outside the supported range 1900-01-01 to 2200-12-31" in error(r, 422, "invalid_input", "body: (id DC-1): assigned_on")["message"]
    r = client.post("/evaluate", params={**OK, "as_of": "9999-12-31"}, json=matter())
    assert "outside the supported range" in error(r, 422, "invalid_parameter", "query.as_of")["message"]


def test_not_in_force(client: httpx.Client, error) -> None:
    found = error(client.post("/evaluate", params=OK, json=matter(assigned_on="2015-03-02")), 422, "not_in_force", "body")
    assert "DC-1" in found["message"] and "allow_not_in_force=true" in found["message"]
    event = {"type": "event", "id": "E1", "unit": "市交通局", "on": "2015-03-02", "kind": "约谈"}
    error(client.post("/accountability", params=OK, json=event), 422, "not_in_force", "body")


@pytest.mark.parametrize(("choice", "says"), [
    ("no-such-reading=x", "no pack evaluated declares 'no-such-reading'"),
    ("progress-reply=no-such-option", "no option 'no-such-option'"),
    ("panjin-2015-142:progress-reply=completion-only", "not among the packs evaluated"),
    ("progress-reply", "[PACK:]ID=OPTION"),
])
def test_unknown_interpretation(client: httpx.Client, error, choice: str, says: str) -> None:
    found = error(client.post("/evaluate", params={**OK, "interpretation": choice}, json=matter()),
                  422, "unknown_interpretation", "query.interpretation")
    assert says in found["message"]


@pytest.mark.parametrize(("params", "where"), [
    ({"source": "市领导批示"}, "query.assigned"),
    ({"assigned": "2026-04-30"}, "query.source"),
    ({"source": "市领导批示", "assigned": "2026-13-01"}, "query.assigned"),
    ({"source": "领导批示", "assigned": "2026-04-30"}, "query.source"),
    ({"source": "市领导批示", "assigned": "2026-04-30", "urgency": "很急"}, "query.urgency"),
    ({"source": "市领导批示", "assigned": "2026-04-30", "explicit_deadline": "2026-04-01"}, "query"),
])
def test_deadline_parameters(client: httpx.Client, error, params: dict[str, str], where: str) -> None:
    error(client.get("/deadline", params={"pack": JINAN, **params}), 422, "invalid_parameter", where)


def test_deadline_in_a_year_without_holiday_data(client: httpx.Client, error) -> None:
    params = {"pack": JINAN, "source": "市领导批示", "assigned": "2026-12-30"}
    error(client.get("/deadline", params=params), 422, "holiday_data_missing", "query")
    error(client.get("/deadline", params={**params, "as_of": "2031-01-05"}), 422, "holiday_data_missing", "query.as_of")


def test_unknown_path_and_method(client: httpx.Client, error) -> None:
    error(client.get("/nothing"), 404, "not_found", "path")
    r = client.delete("/packs")
    error(r, 405, "method_not_allowed", "path")
    assert r.headers["allow"] == "GET"
