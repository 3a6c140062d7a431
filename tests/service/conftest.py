"""One real server for the session: uvicorn serving create_app() on a free loopback port, in a
background thread (so a test can patch the engine the server runs and read its log)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from govrules.service import create_app
from govrules.service.doors import DoorLimits, guarded_protocol

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def running(app: Any, limits: DoorLimits | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port until the block ends; yields its URL.
    The protocol is the one ``govrules serve`` uses, with ``limits`` (default: the service's)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the kernel picks a free port; no race with other runs
    port = sock.getsockname()[1]
    # log_config=None: leave logging to pytest, so caplog sees what the service logs
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, log_level="warning", lifespan="off",
                                           http=guarded_protocol(limits or DoorLimits())))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()


@pytest.fixture(scope="session")
def serving() -> Callable[[Any], AbstractContextManager[str]]:
    """``with serving(app) as url``: another live server, e.g. one configured differently."""
    return running


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with running(create_app()) as url:
        yield url


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as c:
        yield c


@pytest.fixture(scope="session")
def ledger() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((REPO / "examples" / "ledger.json").read_text(encoding="utf-8"))
    return data


def _assert_error(response: httpx.Response, status: int, kind: str, where: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "message", "where"}, body
    assert body["error"] == kind, body
    assert body["message"] and "Traceback" not in body["message"]
    if where is not None:
        assert body["where"] == where, body
    return body


ErrorCheck = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def error() -> ErrorCheck:
    """``error(response, status, kind, where)``: the service's error shape (exactly error, message,
    where; no traceback) with that status, kind and, if given, where; returns the body."""
    return _assert_error
