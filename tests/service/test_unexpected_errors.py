"""An exception nobody expected: a generic, logged 500 without a traceback; the server goes on."""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import httpx
import pytest

import govrules.service.app
import govrules.service.runs

SECRET = "internal detail that must not reach the client"
MATTER = {"type": "matter", "id": "DC-1", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}


def boom(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError(SECRET)


@pytest.mark.parametrize("target", ["evaluate", "packs"])
def test_unexpected_exception_is_a_logged_generic_500(
        client: httpx.Client, error, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, target: str) -> None:
    def call() -> httpx.Response:
        if target == "evaluate":
            return client.post("/evaluate", params={"pack": "jinan-2016-30", "as_of": "2026-05-11"}, json=MATTER)
        return client.get("/packs")

    # the server runs in this process, so patching the module it calls reaches it
    module, name = (govrules.service.runs, "evaluate_all") if target == "evaluate" else (govrules.service.app, "pack_summary")
    monkeypatch.setattr(module, name, boom)
    with caplog.at_level(logging.ERROR, logger="govrules.service"):
        r = call()
    found = error(r, 500, "internal_error", "server")
    assert SECRET not in r.text and "RuntimeError" not in r.text and "Traceback" not in r.text
    logged = [rec for rec in caplog.records if rec.name == "govrules.service"]
    assert logged and logged[0].exc_info is not None and SECRET in str(logged[0].exc_info[1])
    assert "logged" in found["message"]
    monkeypatch.undo()
    assert call().status_code == 200, "the server keeps serving"
