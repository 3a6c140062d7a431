"""The service is an optional extra (govrules imports without it and says how to get it), and
serve()/create_app() take their configuration at start-up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from govrules import GovrulesError, Options, WorkCalendar, bundled_pack, evaluate, parse_object
from govrules.service import create_app

REPO = Path(__file__).resolve().parents[2]


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)


def test_import_govrules_does_not_import_fastapi() -> None:
    r = python("import sys, govrules, govrules.cli; "
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn')))")
    assert (r.returncode, r.stdout.strip()) == (0, "[]"), r.stderr


BLOCK_FASTAPI = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] == 'fastapi':
            raise ImportError(f"No module named {name!r}")
sys.meta_path.insert(0, Block())
from govrules.errors import GovrulesError
try:
    import govrules.service
except GovrulesError as exc:
    print(exc)
else:
    print("imported")
"""


def test_without_fastapi_the_error_says_how_to_install() -> None:
    r = python(BLOCK_FASTAPI)
    assert r.returncode == 0, r.stderr
    assert "pip install 'govrules[service]'" in r.stdout and "FastAPI" in r.stdout


def test_serve_runs_uvicorn_on_the_given_host_and_port() -> None:
    with socket.socket() as s:  # a port free a moment ago; serve() takes a number, not a socket
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = f"from govrules.service import serve; serve('127.0.0.1', {port})"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/packs", timeout=5, trust_env=False)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve() did not start listening"
                time.sleep(0.1)
        assert r.status_code == 200 and any(p["id"] == "jinan-2016-30" for p in r.json())
        # serve() speaks through the doors (govrules.service.doors): a long URL gets the JSON error
        long = httpx.get(f"http://127.0.0.1:{port}/packs?q={'a' * 10_000}", timeout=5, trust_env=False)
        assert (long.status_code, long.json()["error"]) == (414, "uri_too_long")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "Uvicorn running on http://127.0.0.1:" in out


def test_holiday_data_given_at_start_up_is_used(serving) -> None:
    year_file = REPO / "examples" / "holidays-2027.example.yaml"
    matter = {"type": "matter", "id": "DC-1", "source": "市领导批示", "assigned_on": "2026-12-30", "lead_unit": "市交通局"}
    params = {"pack": "jinan-2016-30", "as_of": "2027-01-04"}
    with serving(create_app([year_file])) as url:
        r = httpx.post(f"{url}/evaluate", params=params, json=matter, trust_env=False, timeout=30)
    assert r.status_code == 200, r.text
    cal = WorkCalendar.default().with_year_file(year_file)
    expected = evaluate(parse_object(matter), date(2027, 1, 4), bundled_pack("jinan-2016-30"), Options(calendar=cal))
    assert r.json() == [expected.to_dict()]
    assert r.json()[0]["deadline"] == "2027-01-05"  # 12-31, then 01-04 and 01-05 after the example 元旦 01-01..03


def test_bad_holiday_data_stops_the_start_up(tmp_path: Path) -> None:
    bad = tmp_path / "2027.yaml"
    bad.write_text("year: 2027\ncomplete: false\n", encoding="utf-8")
    with pytest.raises(GovrulesError, match="2027.yaml"):
        create_app([bad])
