"""``python -m bench.age [OLD_OBLIGATIONS_PY]``: does evaluating a matter cost more as it ages?

Evaluates a complex 重点项目 under 济南 第十七条 (周报制) assigned 2019-01-07 with a report every
third Friday, and one assigned 2026-11-02, as of 2026-11-30, in one process. Given the path of
another engine/obligations.py (e.g. main's: ``git show main:src/govrules/engine/obligations.py >
/tmp/old_obligations.py``), it is timed too, as "before", and its answers must be the same.
"""

from __future__ import annotations

import importlib.util
import sys
import timeit
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from govrules.engine import compile_pack, evaluate
from govrules.engine import obligations as current
from govrules.models import Matter
from govrules.packs import bundled_pack

AS_OF = date(2026, 11, 30)


def weekly_matter(ident: str, assigned: date, last_only: int | None = None) -> Matter:
    """Reports every third Friday from the first (or only the last ``last_only`` of them)."""
    first = assigned + timedelta(days=4 - assigned.weekday())  # its Friday
    reports = tuple(first + timedelta(weeks=3 * i) for i in range((AS_OF - first).days // 21 + 1))
    reports = reports[-last_only:] if last_only else reports
    return Matter(type="matter", id=ident, source="重点项目", assigned_on=assigned, lead_unit="市住房城乡建设局",
                  complex=True, reports=reports)


def best_us(fn: Callable[[], Any], number: int, rounds: int = 25) -> float:
    """The least time per call over many short rounds: on a shared machine the least is the cost."""
    return min(timeit.repeat(fn, number=number, repeat=rounds)) / number * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    cp = compile_pack(bundled_pack("jinan-2016-30"))
    old, new = weekly_matter("ZD-2019", date(2019, 1, 7)), weekly_matter("ZD-2026", date(2026, 11, 2))
    quiet = weekly_matter("ZD-2019b", date(2019, 1, 7), last_only=2)  # as old, as few reports as the new one
    engine = sys.modules["govrules.engine.evaluate"]  # (govrules.engine.evaluate is also the function's name)
    versions: list[tuple[str, Any]] = [("closed form", current.obligation_state)]
    if args:
        spec = importlib.util.spec_from_file_location("old_obligations", args[0])
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        versions.insert(0, ("before", module.obligation_state))
    print(f"evaluate(matter, {AS_OF}, jinan-2016-30) of a complex 重点项目 under 周报制 (best of 25 rounds)")
    answers = set()
    try:
        for name, state in versions:
            engine.obligation_state = state  # type: ignore[attr-defined]
            answers.add(tuple(evaluate(m, AS_OF, cp).to_json() for m in (old, quiet, new)))
            t_old, t_quiet = best_us(lambda: evaluate(old, AS_OF, cp), 50), best_us(lambda: evaluate(quiet, AS_OF, cp), 50)
            t_new = best_us(lambda: evaluate(new, AS_OF, cp), 200)
            print(f"  {name:<12} since 2019-01-07: {t_old:7.1f} µs ({len(old.reports)} reports),"
                  f" {t_quiet:7.1f} µs ({len(quiet.reports)} reports);  since 2026-11-02: {t_new:5.1f} µs"
                  f" ({len(new.reports)} reports);  old/new {t_old / t_new:5.2f}, {t_quiet / t_new:5.2f}")
    finally:
        engine.obligation_state = current.obligation_state  # type: ignore[attr-defined]
    if len(answers) != 1:
        print("the versions' answers differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
