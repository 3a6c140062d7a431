"""``python -m bench [--quick] [--json FILE] [--no-check]``: measure, compare, check the targets."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.inputs import AS_OF
from bench.measures import (
    PACK_ID, BenchError, EvaluateResult, ScalarResult, VectorResult,
    measure_evaluate, measure_scalar, measure_setup, measure_vector,
)
from bench.timing import fmt_ns, pad


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run stays within ~2 minutes on 2 cores, --quick ~30 s."""

    scalar_inputs: int
    scalar_repeats: int
    vector_size: int
    vector_sample: int
    vector_repeats: int
    matters_per_kind: int
    evaluate_calls: int
    find_workday_calls: int


FULL = Plan(2_000, 7, 1_000_000, 10_000, 5, 10, 6_000, 200)
# --quick keeps the million-date column: that size is what the vector target is about.
QUICK = Plan(300, 5, 1_000_000, 10_000, 3, 4, 1_200, 40)


# add_workdays measures 1.2-1.5x a bare bisect over working-day ordinals on this machine (it also
# checks the range and takes n <= 0); twice the floor leaves room for noise, not for an array call.
BISECT_RATIO = 2.0


@dataclass(frozen=True)
class Target:
    name: str
    wanted: str
    measured: str
    passed: bool


def _section(title: str) -> None:
    print(f"\n== {title}")


def _scalar_report(r: ScalarResult, repeats: int) -> None:
    _section("1. Scalar: the N-th working day after D")
    print(f"   {r.inputs} random (D, N) pairs, D in 2004-2025, N in 1..30 (seeded); per call = loop time /"
          f" calls, medians of {repeats} interleaved rounds")
    print(f"   govrules WorkCalendar.add_workdays(d, n)    {fmt_ns(r.govrules.median):>10}/call"
          f"   ({r.govrules.spread()})")
    print(f"   chinese_calendar.find_workday(n, d)         {fmt_ns(r.baseline.median):>10}/call"
          f"   ({r.baseline.spread()})")
    print(f"   floor: bisect over a list of working-day ordinals {fmt_ns(r.bisect.median):>8}/call"
          f"   ({r.bisect.spread()}; the list built from chinese_calendar's data)")
    print(f"   speed-up: {r.ratio:,.0f}x over find_workday; {r.bisect_ratio:.2f}x the bisect floor"
          " (round by round)")
    print(f"   answers checked equal on every pair; on the {r.non_working_starts} non-working D,"
          f" find_workday(n, d) == add_workdays(d, n + 1) (it counts from the next working day)")


def _vector_report(r: VectorResult) -> None:
    _section(f"2. Vector: add_workdays_array on {r.size:,} datetime64[D] dates, N={r.n}")
    print(f"   add_workdays_array, whole column            {fmt_ns(r.vector.median):>10}"
          f"   ({r.vector.spread()}; {fmt_ns(r.vector.median / r.size)}/element)")
    print(f"   baseline: add_workdays in a Python loop     {fmt_ns(r.loop_per_element.median):>10}/element"
          f"   ({r.loop_per_element.spread()})")
    print(f"   baseline extrapolated from a {r.sample:,}-date sample to {r.size:,}: "
          f"{fmt_ns(r.loop_extrapolated_ns)}")
    print(f"   speed-up over the loop: {r.ratio:,.0f}x   (vector checked equal to the loop on the sample)")


def _evaluate_report(r: EvaluateResult) -> None:
    _section(f"3. evaluate(matter, {AS_OF}, {PACK_ID} compiled once)")
    print(f"   {r.calls:,} calls, each timed, over a shuffled mix of {r.matters} matters")
    print(f"   median {fmt_ns(r.per_call.median)}/call   (mean {fmt_ns(r.mean_ns)}, p90 {fmt_ns(r.p90_ns)},"
          f" min {fmt_ns(r.per_call.low)}, max {fmt_ns(r.per_call.high)})")
    for kind, stats in r.by_kind.items():
        print(f"     {pad(kind, 20)} median {fmt_ns(stats.median):>9}   ({stats.samples} calls)")
    old, new = r.by_kind.get("周报 since 2019"), r.by_kind.get("complex+周报")
    if old is not None and new is not None:  # issue 13: a recurring report's cost independent of age
        print(f"   周报 since 2019 / complex+周报 of 2026: {old.median / new.median:.2f}x (medians)")
    print(f"   baseline: one chinese_calendar.find_workday(15, d): median {fmt_ns(r.find_workday_15.median)}"
          f" over {r.find_workday_15.samples} dates")
    print(f"   one evaluate = {r.ratio:.3f} x one find_workday(15, d)"
          f"  ({1 / r.ratio:,.1f} evaluations in the time of one find_workday)")


def _targets(scalar: ScalarResult, vector: VectorResult, ev: EvaluateResult) -> list[Target]:
    """The project's stated targets (shared/design/architecture.md, "Speed", and the bench brief)."""
    return [
        Target("scalar add_workdays vs find_workday", ">= 500x", f"{scalar.ratio:,.0f}x", scalar.ratio >= 500),
        # issue 13: the scalar face of the one working-day table stays a bisect, not an array call
        Target("scalar add_workdays / bisect floor", f"<= {BISECT_RATIO:.0f}x", f"{scalar.bisect_ratio:.2f}x",
               scalar.bisect_ratio <= BISECT_RATIO),
        Target(f"add_workdays_array, {vector.size:,} dates", "< 1 s", fmt_ns(vector.vector.median),
               vector.vector.median < 1e9),
        Target("evaluate, median per matter", "< 100 µs", fmt_ns(ev.per_call.median), ev.per_call.median < 100e3),
    ]


def _json(plan: Plan, quick: bool, scalar: ScalarResult, vector: VectorResult, ev: EvaluateResult,
          setup_ns: dict[str, int], targets: list[Target]) -> dict[str, Any]:
    return {
        "quick": quick,
        "plan": asdict(plan),
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "platform": platform.platform(), "cpus": os.cpu_count()},
        "setup_ns": setup_ns,
        "scalar": {"inputs": scalar.inputs, "non_working_starts": scalar.non_working_starts,
                   "govrules_per_call": scalar.govrules.as_dict(),
                   "find_workday_per_call": scalar.baseline.as_dict(), "ratio": scalar.ratio,
                   "bisect_per_call": scalar.bisect.as_dict(), "ratio_to_bisect": scalar.bisect_ratio},
        "vector": {"size": vector.size, "n": vector.n, "wall": vector.vector.as_dict(),
                   "loop_sample": vector.sample, "loop_per_element": vector.loop_per_element.as_dict(),
                   "loop_extrapolated_ns": vector.loop_extrapolated_ns, "ratio": vector.ratio},
        "evaluate": {"calls": ev.calls, "matters": ev.matters, "per_call": ev.per_call.as_dict(),
                     "mean_ns": ev.mean_ns, "p90_ns": ev.p90_ns,
                     "by_kind": {k: s.as_dict() for k, s in ev.by_kind.items()},
                     "find_workday_15_per_call": ev.find_workday_15.as_dict(), "ratio_to_find_workday_15": ev.ratio},
        "targets": [asdict(t) for t in targets],
        "passed": all(t.passed for t in targets),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for CI smoke runs (~30 s)")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the numbers as JSON")
    parser.add_argument("--no-check", action="store_true", help="exit 0 even when a target fails")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    began = time.perf_counter()

    print(f"govrules benchmark{' (--quick)' if args.quick else ''}: Python {platform.python_version()},"
          f" numpy {np.__version__}, {os.cpu_count()} CPUs, {platform.machine()}")
    print("times are wall clock (perf_counter_ns); GC paused inside samples; ratios are of medians"
          " measured in this process")
    try:
        setup = measure_setup()
        print(f"setup, once (not a target): WorkCalendar.default() {fmt_ns(setup.calendar_ns)},"
              f" load + compile {PACK_ID} {fmt_ns(setup.pack_ns)}")
        scalar = measure_scalar(setup.calendar, plan.scalar_inputs, plan.scalar_repeats)
        _scalar_report(scalar, plan.scalar_repeats)
        vector = measure_vector(setup.calendar, plan.vector_size, plan.vector_sample, plan.vector_repeats)
        _vector_report(vector)
        ev = measure_evaluate(setup.pack, plan.matters_per_kind, plan.evaluate_calls, plan.find_workday_calls)
        _evaluate_report(ev)
    except BenchError as exc:
        print(f"\nbench: wrong answer, not timed: {exc}", file=sys.stderr)
        return 2

    # The supervision stream (issue 4): measured and shown every run; its aim (half of raw
    # durable-rules throughput) is not met on this design (docs/stream.md, Speed), so it is
    # reported, not gated.
    aims: list[Target] = []
    try:
        from bench.stream import run as run_stream

        aims.append(Target(*run_stream(args.quick).target()))
    except ImportError as exc:  # durable-rules is not installable everywhere (Python 3.13+)
        print(f"\n== Stream: not measured ({exc})")
    # Vectorized ledgers (issue 5, 13): 1M rows in <= 1 s, < 1 GB and a ratio to the loop, one core
    # beside one and two beside two, gate the exit code; ">= 100x a loop" and 2M rows/s are aims.
    # Age (issue 13): cost independent of age is an aim until recurring reports are in closed form.
    # A target named "(aim)" is reported, not enforced.
    batch: list[Target] = []
    try:
        from bench.age import run as run_age
        from bench.batch import run as run_batch

        size, sample = (200_000, 500) if args.quick else (1_000_000, 2_000)
        for t in (Target(*t) for t in run_batch(size, sample, 3 if args.quick else 5) + run_age(args.quick)):
            (aims if "(aim)" in t.name else batch).append(t)
    except ImportError as exc:  # pandas is in the analysis extra
        print(f"\n== Batch and age: not measured ({exc})")

    targets = _targets(scalar, vector, ev) + batch
    _section("Targets")
    for t in targets:
        print(f"   {'PASS' if t.passed else 'FAIL'}  {pad(t.name, 44)} {t.wanted:>9}   measured {t.measured}")
    for t in aims:
        print(f"   {'MET ' if t.passed else 'MISS'}  {pad(t.name.replace(' (aim)', ''), 44)} {t.wanted:>9}   measured"
              f" {t.measured}   (an aim: reported, not enforced)")
    passed = all(t.passed for t in targets)
    print(f"\n{'all targets met' if passed else 'some targets missed'}; total {time.perf_counter() - began:.1f} s")

    if args.json is not None:
        setup_ns = {"calendar_default": setup.calendar_ns, "pack_load_compile": setup.pack_ns}
        data = _json(plan, args.quick, scalar, vector, ev, setup_ns, targets)
        data["aims"] = [asdict(t) for t in aims]
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0 if passed or args.no_check else 1


if __name__ == "__main__":
    raise SystemExit(main())
