"""``govrules watch``: lines read as bytes, each decoded by itself; a bad line costs that line only,
from a file and from stdin alike; each line bounded; each incident printed once."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile_bounds import HOSTILE, bounded
from govrules import GovrulesError
from govrules.json_reader import JsonRefused, LineOf, read_json_bytes
from govrules.stream import add_watch_arguments, durable_status, watch_main
from govrules.stream import watch as watch_module
from hostile_strategies import BOM, spoiled_json

REPO = Path(__file__).resolve().parents[2]
DURABLE, WHY_NOT = durable_status()
needs_durable = pytest.mark.skipif(not DURABLE, reason=f"durable-rules unavailable: {WHY_NOT}")

ASSIGNED = {"type": "matter_assigned", "id": "E1", "on": "2026-04-30", "matter": {
    "type": "matter", "id": "DC-1", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}}
CLOCK = {"type": "clock", "id": "E2", "on": "2026-05-11"}


def line(item: Any) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode() + b"\n"


@HOSTILE
@given(st.lists(spoiled_json() | st.binary(max_size=80), max_size=8), st.integers(8, 300))
def test_lines_are_bounded_and_each_is_read_alone(items: list[bytes], limit: int) -> None:
    data = b"\n".join(item.replace(b"\n", b" ") for item in items)
    original = watch_module.MAX_LINE_BYTES
    watch_module.MAX_LINE_BYTES = limit
    try:
        got = list(watch_module._lines(io.BytesIO(data)))
    finally:
        watch_module.MAX_LINE_BYTES = original
    numbers = [n for n, _ in got]
    assert numbers == sorted(set(numbers)) and all(n <= len(items) for n in numbers)
    for number, text in got:
        if text is None:
            assert len(items[number - 1]) > limit
            continue
        assert len(text) <= limit + 1
        try:
            read_json_bytes(LineOf("e.jsonl", number), text.rstrip(b"\r\n"), limit, "the line")
        except JsonRefused as exc:
            assert exc.where.startswith(f"e.jsonl:{number}")
            bounded(str(exc))


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="govrules watch")
    add_watch_arguments(parser)
    return parser.parse_args(list(argv))


def watch(events: str) -> tuple[list[dict[str, Any]], str, GovrulesError | None]:
    out, err = io.StringIO(), io.StringIO()
    failure = None
    try:
        watch_main(parse("--pack", "jinan-2016-30", events), out, err)
    except GovrulesError as exc:
        failure = exc
    return [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue(), failure


STREAM = BOM + line(ASSIGNED) + b'{"type": "clock", "id": "X", "on": "2026-05-\xff"}\n' + line(CLOCK)


@needs_durable
def test_a_non_utf8_line_is_one_error_and_the_stream_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(STREAM)
    actions, err, failure = watch(str(path))
    assert [(a["kind"], a["caused_by"]) for a in actions] == [("催办", "E1"), ("逾期", "E2")]
    assert err.splitlines() == [f"govrules: {path}:2:45: error: not UTF-8: byte(s) ff at offset 44 are not valid "
                                "UTF-8 (invalid start byte); expected UTF-8 text"]
    assert failure is not None and "1 line(s) refused" in str(failure)


@needs_durable
def test_stdin_is_read_as_the_file_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STREAM), encoding="utf-8"))
    actions, err, failure = watch("-")
    assert [a["caused_by"] for a in actions] == ["E1", "E2"]
    assert err.startswith("govrules: <stdin>:2:45: error: not UTF-8") and err.count("\n") == 1


@needs_durable
def test_a_line_too_long_is_refused_unread_and_the_stream_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_module, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "events.jsonl"
    path.write_bytes(line(ASSIGNED) + b"[" + b" " * 5000 + b"]\n" + line(CLOCK))
    actions, err, _ = watch(str(path))
    assert [a["caused_by"] for a in actions] == ["E1", "E2"]
    assert err == (f"govrules: {path}:2: error: the line is more than 1000 bytes; the limit is 1000 bytes; "
                   "the line is skipped\n")


@needs_durable
@pytest.mark.parametrize("where", ["id", "key", "unit"])
def test_a_huge_field_is_quoted_as_an_excerpt(tmp_path: Path, where: str) -> None:
    huge = "x" * 3_000_000
    event: dict[str, Any] = {**CLOCK}
    if where == "id":
        event["id"] = huge
    elif where == "key":
        event[huge] = 1
    else:
        event = json.loads(json.dumps(ASSIGNED))
        event["matter"]["lead_unit"] = huge
    path = tmp_path / "events.jsonl"
    path.write_bytes(line(event))
    _, err, failure = watch(str(path))
    assert failure is not None and err.count("\n") == 1
    bounded(err, str(path))


@needs_durable
def test_duplicate_keys_in_a_line_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b'{"type": "clock", "id": "A", "id": "B", "on": "2026-05-11"}\n')
    _, err, _ = watch(str(path))
    assert err == f"govrules: {path}:1:1: error: duplicate key 'id' in the object starting here; each key may appear once in an object\n"


INCIDENT = """
import sys
from govrules.cli import main
from govrules.stream import supervisor as s
post_all = s.Supervisor.post_all
def noisy(self, events):
    self._incident(s.Incident(kind="restarted", detail="INCIDENT-MARK"))
    return post_all(self, events)
s.Supervisor.post_all = noisy
sys.exit(main(["watch", "--pack", "jinan-2016-30", sys.argv[1]]))
"""


@needs_durable
def test_each_incident_is_printed_once(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(line(CLOCK))
    p = subprocess.run([sys.executable, "-c", INCIDENT, str(path)], capture_output=True, text=True, timeout=60,
                       cwd=REPO, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert p.returncode == 0, p.stderr
    assert p.stderr.count("INCIDENT-MARK") == 1, p.stderr
