"""Where durable-rules cannot be imported (Python 3.13+), everything else installs and works, and
the stream says clearly why it is unavailable. Simulated here by making ``import durable`` fail."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from govrules import GovrulesError
from govrules.stream import StreamUnavailable, Supervisor, durable_status, parse_event

BLOCK_DURABLE = textwrap.dedent("""
    import sys
    class _NoDurable:
        def find_spec(self, name, path=None, target=None):
            if name == "durable" or name.startswith("durable.") or name == "durable_rules_engine":
                raise ImportError(f"No module named {name!r} (simulated: durable-rules does not build on Python 3.13)")
            return None
    sys.meta_path.insert(0, _NoDurable())
""")


def test_the_stream_names_the_reason_when_durable_rules_cannot_be_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "durable" or n.startswith("durable.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "durable", None)  # import durable -> ImportError
    ok, why = durable_status()
    assert not ok
    assert "durable-rules" in why and "Python 3.13" in why and "Everything else in govrules works" in why
    with pytest.raises(StreamUnavailable) as info:
        Supervisor("jinan-2016-30")
    assert isinstance(info.value, GovrulesError) and "ModuleNotFoundError" in str(info.value)
    # the event and action models do not need durable-rules
    assert parse_event({"type": "clock", "id": "C1", "on": "2026-03-02"}).type == "clock"


def test_without_durable_rules_govrules_works_and_the_stream_refuses_clearly(tmp_path: Path) -> None:
    script = BLOCK_DURABLE + textwrap.dedent("""
        from datetime import date
        from govrules import bundled_pack, evaluate, parse_object
        import govrules.cli
        m = parse_object({"type": "matter", "id": "DC-1", "source": "市领导批示",
                          "assigned_on": "2026-04-30", "lead_unit": "市交通局"})
        print(evaluate(m, date(2026, 5, 11), bundled_pack("jinan-2016-30")).status)
        assert "durable" not in sys.modules, "govrules imported durable-rules"
        from govrules.stream import Supervisor, StreamUnavailable
        try:
            Supervisor("jinan-2016-30")
        except StreamUnavailable as exc:
            print("unavailable:", exc)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "overdue"
    assert lines[1].startswith("unavailable: the supervision stream (govrules.stream) needs durable-rules")
    assert "simulated: durable-rules does not build on Python 3.13" in lines[1]


def test_a_worker_that_cannot_import_durable_rules_is_reported_as_unavailable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "durable"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('durable_rules_engine: undefined symbol (simulated)')\n")
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    if not durable_status()[0]:
        pytest.skip("durable-rules is unavailable in this process too")
    with pytest.raises(StreamUnavailable, match="worker cannot import durable-rules.*undefined symbol"):
        Supervisor("jinan-2016-30")
