"""A generated ledger runs through govrules: the CLI as a user would run it, and every bundled
pack on any day of the year without the next year's holiday data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from govrules import Options, accountability, bundled_ids, bundled_pack, compile_pack, evaluate_all, parse_objects
from govrules.models import Case, Event

Obj = dict[str, Any]
SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "generate_ledger.py"


def cases(objects: list[Obj]) -> list[Case]:
    return [c for c in parse_objects(objects) if not isinstance(c, Event)]


def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*map(str, argv)], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, check=False)


def govrules() -> list[str]:
    script = shutil.which("govrules", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "govrules.cli"]


def test_govrules_evaluates_a_generated_ledger_of_300_matters(tmp_path: Path) -> None:
    cases, events = tmp_path / "ledger.json", tmp_path / "events.json"
    made = run(sys.executable, SCRIPT, "--seed", "11", "--matters", "300", "--meetings", "30", "--documents", "60",
               "--events", "20", "--year", "2026", "--out", cases, "--events-out", events)
    assert made.returncode == 0, made.stderr
    assert "300 matters" in made.stderr

    done = run(*govrules(), "evaluate", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json", cases)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == 390
    status = Counter(r["status"] for r in results if r["type"] == "matter")
    assert status["overdue"] > 0 and status["done"] > 0 and status["done_late"] > 0
    assert status["done"] > status["done_late"] + status["overdue"]

    judged = run(*govrules(), "accountability", "--pack", "jinan-2016-30", "--as-of", "2026-12-31", "--format", "json", events)
    assert judged.returncode == 0, judged.stderr
    assert any(r["level"] >= 1 for r in json.loads(judged.stdout))


@pytest.mark.parametrize("pack", bundled_ids())
def test_every_pack_needs_no_holiday_data_of_the_next_year(ledger: list[Obj], pack: str) -> None:
    objects = cases(ledger)
    events = parse_objects([o for o in ledger if o["type"] == "event"], "events", Event)
    compiled, options = compile_pack(bundled_pack(pack)), Options(allow_not_in_force=True)
    for as_of in (date(2026, 2, 27), date(2026, 7, 16), date(2026, 12, 24), date(2026, 12, 31)):
        results = evaluate_all(objects, as_of, compiled, options)
        # the generated year's matters never need 2027 for their own deadline or status
        assert len(results) == len(objects) and all(r.status != "unknown" for r in results)
        accountability(events, as_of, compiled, options)


def test_recurring_reports_stay_in_the_year_on_every_day(gen: ModuleType) -> None:
    """The matters with weekly, daily, monthly or quarterly reports, evaluated on each day of
    the year: once a period's report is in, the engine computes the next period's due date."""
    objects: list[Obj] = gen.generate(12, matters=600, meetings=0, documents=0, events=0)
    recurring = [o for o in objects if o.get("complex") or o["source"] in ("突发事件", "工作计划", "政府工作报告")]
    matters = cases(recurring)
    packs = [compile_pack(bundled_pack(p)) for p in ("jinan-2016-30", "panjin-2015-142", "tigao-xiaolv-yijian")]
    options = Options(allow_not_in_force=True)
    day, unknown = date(2026, 1, 1), []
    while day.year == 2026:
        for compiled in packs:
            reports = {a.full_id for a in compiled.obligations}
            for ev in evaluate_all(matters, day, compiled, options):
                assert all(f.due is None or f.due.year == 2026 for f in ev.findings if f.kind == "obligation")
                gaps = [f for f in ev.findings if f.kind == "unknown"]
                assert ev.complete == (not gaps) and all(f.rule in reports for f in gaps), ev.id
                unknown += [(day, ev.id) for _ in gaps]
        day = date.fromordinal(day.toordinal() + 2)
    # only a next period reaching into 2027 (weekly from late December, Q4 due in January) is unknown
    assert all(d >= date(2026, 10, 1) for d, _ in unknown), unknown[:3]
