"""The service's doors, spoken to over raw sockets: a half-sent request is answered 408 and closed
within the timeout, an over-long URL 414 and over-large headers 431, each with the JSON error and
no reset; the server goes on serving."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from govrules.service import create_app
from govrules.service.doors import DoorLimits

FAST = DoorLimits(header_timeout=0.5, body_timeout=0.5, linger=1.0)


@pytest.fixture(scope="module")
def port(serving) -> Iterator[int]:
    with serving(create_app(), FAST) as url:
        yield int(url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def default_port(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def exchange(port: int, data: bytes, wait: float = 5.0) -> tuple[bytes, float]:
    """Send ``data``, read until the server closes; the answer and how long the server took."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        started = time.monotonic()
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):  # a reset raises here, failing the test
            answer += chunk
        return answer, time.monotonic() - started


def parsed(answer: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


def assert_error(answer: bytes, status: int, kind: str) -> dict[str, str]:
    code, headers, body = parsed(answer)
    assert code == status, answer[:300]
    assert headers["content-type"] == "application/json" and headers["connection"] == "close"
    assert set(body) == {"error", "message", "where"} and body["error"] == kind
    return dict(body)


def still_serving(port: int) -> None:
    answer, _ = exchange(port, b"GET /packs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert parsed(answer)[0] == 200


def test_half_sent_headers_get_408_within_the_timeout(port: int) -> None:
    answer, took = exchange(port, b"GET /packs HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
    body = assert_error(answer, 408, "request_timeout")
    assert body["where"] == "header" and "0.5 s" in body["message"]
    assert FAST.header_timeout <= took < FAST.header_timeout + 2
    still_serving(port)


def test_headers_dripped_slowly_are_cut_off(port: int) -> None:
    """The timeout runs from the head's first byte, not from the last one (slowloris keeps sending)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        started = time.monotonic()
        s.sendall(b"GET /packs HTTP/1.1\r\n")
        answer = b""
        for i in range(40):
            try:
                s.sendall(f"X-{i}: a\r\n".encode())
            except OSError:
                break
            time.sleep(0.05)
        while chunk := s.recv(65536):
            answer += chunk
    assert_error(answer, 408, "request_timeout")
    assert time.monotonic() - started < FAST.header_timeout + 2


def test_many_half_sent_requests_are_all_closed(port: int) -> None:
    socks = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(50)]
    try:
        for s in socks:
            s.sendall(b"POST /evaluate?as_of=2026-05-11 HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        for s in socks:
            assert_error(b"".join(iter(lambda s=s: s.recv(65536), b"")), 408, "request_timeout")
        assert time.monotonic() - started < FAST.header_timeout + 3
    finally:
        for s in socks:
            s.close()
    still_serving(port)


def test_half_sent_body_gets_408(port: int) -> None:
    head = (b"POST /evaluate?as_of=2026-05-11&pack=jinan-2016-30 HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"type\": ")
    answer, took = exchange(port, head)
    body = assert_error(answer, 408, "request_timeout")
    assert body["where"] == "body"
    assert took < FAST.body_timeout + 2
    still_serving(port)


def test_a_connection_that_sends_nothing_is_closed(port: int) -> None:
    answer, took = exchange(port, b"")
    assert answer == b"" and took < FAST.header_timeout + 2


def test_a_whole_request_is_answered_as_usual(port: int) -> None:
    answer, _ = exchange(port, b"GET /deadline?source=%E5%B8%82%E9%A2%86%E5%AF%BC%E6%89%B9%E7%A4%BA&assigned=2026-04-30"
                               b"&pack=jinan-2016-30 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, _, body = parsed(answer)
    assert status == 200 and body[0]["deadline"]


def test_keep_alive_then_a_second_request(port: int) -> None:
    """The head timer starts again for the next request on a kept-alive connection."""
    request = b"GET /packs HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request + request)  # pipelined
        time.sleep(FAST.header_timeout + 0.3)  # longer than the head timeout, less than keep-alive's
        s.sendall(b"GET /packs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b"".join(iter(lambda: s.recv(65536), b""))
    assert answer.count(b"HTTP/1.1 200 OK") == 3


@pytest.mark.parametrize("which", ["fast", "default"])
def test_a_240_kb_url_gets_414(which: str, port: int, default_port: int) -> None:
    target = port if which == "fast" else default_port
    answer, _ = exchange(target, b"GET /packs?q=" + b"a" * 240_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    body = assert_error(answer, 414, "uri_too_long")
    assert str(DoorLimits().max_url_bytes) in body["message"] and len(body["message"]) < 200
    still_serving(target)


def test_a_url_at_the_limit_is_read(port: int) -> None:
    line = b"GET /deadline?q= HTTP/1.1"
    url = b"GET /deadline?q=" + b"a" * (FAST.max_url_bytes - len(line)) + b" HTTP/1.1"
    assert len(url) == FAST.max_url_bytes
    status, _, body = parsed(exchange(port, url + b"\r\nHost: x\r\nConnection: close\r\n\r\n")[0])
    assert (status, body["error"], body["where"]) == (422, "invalid_parameter", "query.q")
    over = url.replace(b"?q=", b"?q=a")
    assert_error(exchange(port, over + b"\r\nHost: x\r\n\r\n")[0], 414, "uri_too_long")


def test_huge_headers_get_431(port: int, default_port: int) -> None:
    for target in (port, default_port):
        many = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(2000))
        answer, _ = exchange(target, b"GET /packs HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
        assert_error(answer, 431, "request_header_fields_too_large")
        one = b"X-Big: " + b"v" * 300_000 + b"\r\n"
        answer, _ = exchange(target, b"GET /packs HTTP/1.1\r\nHost: x\r\n" + one + b"\r\n")
        assert_error(answer, 431, "request_header_fields_too_large")
        still_serving(target)


def test_headers_just_under_the_limit_are_read(port: int) -> None:
    start = b"GET /packs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: "
    pad = b"v" * (FAST.max_header_bytes - len(start) - 2)
    head = start + pad + b"\r\n"
    assert len(head) == FAST.max_header_bytes
    assert parsed(exchange(port, head + b"\r\n")[0])[0] == 200


def test_the_service_page_states_the_limits() -> None:
    from pathlib import Path

    from govrules.service import limits

    page = (Path(__file__).resolve().parents[2] / "docs" / "service.md").read_text(encoding="utf-8")
    table = page.partition("## Limits")[2]
    d = DoorLimits()
    for shown in (f"{d.max_url_bytes:,} bytes", f"{d.max_header_bytes:,} bytes", f"| {d.header_timeout:g} s |",
                  f"| {d.body_timeout:g} s ", f"up to {d.linger:g} seconds", f"{limits.MAX_BODY_BYTES:,} bytes",
                  f"| {limits.MAX_OBJECTS:,} |", f"| {limits.MAX_EVALUATIONS:,} |"):
        assert shown in table, shown
    for kind in ("uri_too_long", "request_header_fields_too_large", "request_timeout", "payload_too_large",
                 "too_many_objects"):
        assert f"`{kind}`" in table, kind


@pytest.mark.parametrize("request_bytes", [
    b"NOT HTTP AT ALL\r\n\r\n",
    b"GET /packs HTTP/1.1\r\nHost: x\r\nBad header line\r\n\r\n",
    b"POST /evaluate?as_of=2026-05-11 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /evaluate?as_of=2026-05-11 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
], ids=["not-http", "bad-header", "bad-length", "two-lengths"])
def test_unreadable_http_gets_400_json(port: int, request_bytes: bytes) -> None:
    assert_error(exchange(port, request_bytes)[0], 400, "malformed_request")
    still_serving(port)
