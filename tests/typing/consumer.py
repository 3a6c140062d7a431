"""A program written against govrules' public API only, as another project would use it.

tests/typing/test_typed_surface.py runs ``mypy --strict`` on this file: every name comes from
``govrules`` itself, and each value is used with the type a consumer would expect, so a public
function that loses its annotations (or a missing py.typed marker) fails the test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import govrules
from govrules import (
    CompiledPack, Evaluation, Event, Finding, GovrulesError, Matter, Options, Pack, PackError,
    UnitAccountability, WorkCalendar, accountability, bundled_ids, bundled_pack, compile_pack,
    evaluate, evaluate_all, load_pack, parse_object, parse_objects,
)


def deadline_of(pack: Pack, as_of: date) -> date | None:
    matter = parse_object({"type": "matter", "id": "DC-1", "source": "市领导批示",
                           "assigned_on": "2026-04-30", "lead_unit": "市交通局"})
    # parse_object is typed as returning any input model (an event too), so narrow it first
    assert isinstance(matter, Matter)
    result: Evaluation = evaluate(matter, as_of, pack)
    status: str | None = result.status
    print(result.id, status)
    return result.deadline


def citations(results: list[Evaluation]) -> list[str]:
    found: list[Finding] = [f for r in results for f in r.findings]
    return [f"{f.citation}: {f.message} (due {f.due.isoformat() if f.due else '-'})" for f in found]


def ledger(cp: CompiledPack, as_of: date) -> list[str]:
    cases = parse_objects([
        {"type": "matter", "id": "DC-2", "source": "上级批示", "assigned_on": "2026-04-27", "lead_unit": "市商务局"},
        {"type": "meeting", "id": "HY-1", "kind": "专题会议", "held_on": "2026-04-28", "convened_by": "副市长",
         "organizer": "市政府办公室", "attendees": 35},
    ], "ledger")
    matters = [c for c in cases if isinstance(c, Matter)]
    options = Options(warning_workdays=5, calendar=WorkCalendar.default())
    return citations(evaluate_all(matters, as_of, cp, options))


def ladder(cp: CompiledPack, as_of: date) -> dict[str, int]:
    events = [e for e in parse_objects([{"type": "event", "id": "E-1", "unit": "市交通局", "kind": "通报批评",
                                         "on": "2026-03-02"}], "events") if isinstance(e, Event)]
    steps: list[UnitAccountability] = accountability(events, as_of, cp)
    return {s.unit: s.level for s in steps}


def load(path: Path) -> Pack | None:
    try:
        return load_pack(path)
    except PackError as exc:
        where: str = exc.location
        print(where, exc.problem)
        return None
    except GovrulesError as exc:
        print(exc)
        return None


def main() -> None:
    ids: list[str] = bundled_ids()
    jinan = bundled_pack(ids[ids.index("jinan-2016-30")])
    cp: CompiledPack = compile_pack(jinan, {"progress-reply": "reply-satisfies"})
    print(govrules.__version__, deadline_of(jinan, date(2026, 5, 11)))
    print(ledger(cp, date(2026, 5, 11)), ladder(cp, date(2026, 6, 30)), load(Path("no-such-folder/x.yaml")))


if __name__ == "__main__":
    main()
