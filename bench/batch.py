"""evaluate_frame on a million Jinan matters against a loop over the reference ``evaluate``, one
core beside one core and two beside two.

``python -m bench.batch [--size N] [--sample N]``; ``run()`` is what bench/__main__ calls. The
ledger is bench.ledgers.ledger (its docstring gives the mix).

The pairings (issue 13: "a one-core loop over the reference beside a one-core evaluate_frame, and
two cores beside two"):

- one core: the process is pinned to one CPU (``os.sched_setaffinity``; Arrow's pool set to one
  thread), so evaluate_frame takes its single pass, as the loop does.
- two cores: evaluate_frame as shipped (two halves on two threads where the process may use two
  cores) beside the loop split over two worker processes, each evaluating half the sample. The
  loop's time is the slower worker's own loop time, without start-up or messaging: the most a
  loop can gain from a second core. On a machine whose two cores are shared with other work,
  these are the least steady figures of the bench: each pairing is measured in alternation, so
  the load weighs on both sides, but not always equally.

The loops are timed on a random sample of the rows and extrapolated linearly to the full size (a
full loop would take most of a minute). Frame and loops take turns, round by round; each figure
is the best of its rounds: the machine's speed drifts too much for measures taken minutes apart
to be compared. Two one-core loops are timed: ``evaluate`` alone, over models built beforehand
(the baseline), and ``parse_object`` + ``evaluate``, which starts from the same rows as
evaluate_frame (it validates them too). Peak memory is tracemalloc's peak during one
evaluate_frame call (numpy, pandas and Arrow allocate through it).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from bench.ledgers import AS_OF, PACK_ID, SEED, ledger, records
from govrules.batch import evaluate_frame
from govrules.engine import compile_pack, evaluate
from govrules.models import Matter, parse_object
from govrules.packs import bundled_pack
from govrules.semantics.compiled import CompiledPack

TARGET_SECONDS, TARGET_BYTES = 1.0, 1 << 30
AIM_RATIO = 100.0  # issue 5's ">= 100x a loop", now asked of each honest pairing
# Gated: a frame that sent its rows back to the reference one by one would measure ~1x, one that
# lost a vector kind (say, recurring reports) ~10x; the vector path measures 36-90x one core to one
# core here (less under load, and less as the reference itself gets faster, hence the margin).
GATE_RATIO = 25.0
AIM_ROWS_PER_S = 2e6  # issue 13, must not regress: >= 2M rows/s on 1M rows (two cores)


@contextmanager
def one_core() -> Iterator[int]:
    """This thread (and the threads it starts) on one CPU, and Arrow's pool at one thread."""
    before, threads = os.sched_getaffinity(0), pa.cpu_count()
    cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    pa.set_cpu_count(1)
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)
        pa.set_cpu_count(threads)


# -- the loop on two processes -----------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _worker_init(raw: list[dict[str, Any]]) -> None:
    cp = compile_pack(bundled_pack(PACK_ID))
    models = [parse_object(r, "bench", Matter) for r in raw]
    for m in models[:50]:  # warm the calendar and the pack's caches
        evaluate(m, AS_OF, cp)
    _WORKER.update(cp=cp, models=models)


def _worker_loop(part: tuple[int, int]) -> float:
    """Evaluate every ``step``-th model from ``start``: the seconds the loop took."""
    start, step = part
    cp, models = _WORKER["cp"], _WORKER["models"][start::step]
    gc.collect()
    began = time.perf_counter()
    for m in models:
        evaluate(m, AS_OF, cp)
    return time.perf_counter() - began


# -- measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    size: int
    sample: int
    frame_1: float  # evaluate_frame seconds, one core, best of the rounds
    frame_2: float  # evaluate_frame seconds, as shipped (two threads on two cores)
    loop_1: float  # seconds per row: loop over evaluate, one core
    parse_loop_1: float  # seconds per row: loop over parse_object + evaluate, one core
    loop_2: float  # seconds per row: the loop over evaluate split over two processes
    peak_bytes: int  # tracemalloc peak during one evaluate_frame
    paths: dict[str, int]
    cores: int

    def ratio_1(self, per_row: float) -> float:
        return per_row * self.size / self.frame_1

    @property
    def ratio_2(self) -> float:
        return self.loop_2 * self.size / self.frame_2


def _check(out: Any, rows: np.ndarray[Any, Any], models: list[Any], cp: CompiledPack) -> None:
    """The frame's answers on the sample are the reference's, or the timing means nothing."""
    for row, model in zip(rows.tolist(), models):
        ev = evaluate(model, AS_OF, cp)
        got = [(f["rule"], f["kind"], f["due"]) for f in out["findings"].iat[row]]
        if got != [(f.rule, f.kind, f.due) for f in ev.findings]:
            raise SystemExit(f"bench: evaluate_frame disagrees with evaluate on row {row} ({model.id})")


def _per_row(fn: Callable[[Any], Any], items: list[Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items)


def _seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def measure(size: int, sample: int, repeats: int = 5) -> Measured:
    cp = compile_pack(bundled_pack(PACK_ID))
    df = ledger(size)
    evaluate_frame(df.head(1000), cp, AS_OF)  # warm the calendar tables
    rows = np.random.default_rng(SEED).choice(size, min(sample, size), replace=False)
    raw = records(df, rows)
    models = [parse_object(r, "bench", Matter) for r in raw]
    cores = len(os.sched_getaffinity(0))
    frame_1: list[float] = []
    frame_2: list[float] = []
    loop_1: list[float] = []
    parse_loop_1: list[float] = []
    loop_2: list[float] = []
    out = None
    # spawn, not fork: the parent holds Arrow's threads, which a forked child would inherit broken
    with mp.get_context("spawn").Pool(2, _worker_init, (raw,)) as pool:
        pool.map(_worker_loop, [(0, 2), (1, 2)])  # both started and warm before the first round
        for _ in range(repeats):
            with one_core():
                t, _ = _seconds(lambda: evaluate_frame(df, cp, AS_OF))
                frame_1.append(t)
                loop_1.append(_per_row(lambda m: evaluate(m, AS_OF, cp), models))
                parse_loop_1.append(_per_row(lambda r: evaluate(parse_object(r, "bench", Matter), AS_OF, cp), raw))
            t, out = _seconds(lambda: evaluate_frame(df, cp, AS_OF))
            frame_2.append(t)
            loop_2.append(max(pool.map(_worker_loop, [(0, 2), (1, 2)])) / len(models))
    assert out is not None
    _check(out, rows, models, cp)
    gc.collect()
    tracemalloc.start()
    evaluate_frame(df, cp, AS_OF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    paths = out["path"].value_counts().to_dict()
    return Measured(size, len(models), min(frame_1), min(frame_2), min(loop_1), min(parse_loop_1), min(loop_2),
                    peak, {str(k): int(v) for k, v in paths.items() if v}, cores)


def run(size: int = 1_000_000, sample: int = 2_000, repeats: int = 5) -> list[tuple[str, str, str, bool]]:
    """Measure, print the numbers, and give each target as (name, wanted, measured, passed), the
    shape of bench.__main__.Target. Names containing "(aim)" are reported, not enforced."""
    m = measure(size, sample, repeats)
    ns = 1e9 / m.size
    print(f"\n== evaluate_frame: {m.size:,} {PACK_ID} matters as of {AS_OF} ({m.cores} cores available)")
    print("   paths: " + ", ".join(f"{k} {v:,} ({v / m.size:.1%})" for k, v in m.paths.items()))
    print(f"   loops timed on a {m.sample:,}-row sample and extrapolated to {m.size:,} rows; best of {repeats} rounds")
    print("   one core (process pinned to one CPU):")
    print(f"     evaluate_frame                              {m.frame_1 * 1e3:8.0f} ms   ({m.frame_1 * ns:.0f} ns/row)")
    for name, per_row in (("loop over evaluate (models built before)", m.loop_1),
                          ("loop over parse_object + evaluate", m.parse_loop_1)):
        print(f"     {name:<42} {per_row * 1e6:6.1f} µs/row -> {per_row * m.size:5.1f} s;"
              f" evaluate_frame is {m.ratio_1(per_row):,.0f}x faster")
    print("   two cores:")
    print(f"     evaluate_frame (two halves, two threads)    {m.frame_2 * 1e3:8.0f} ms   ({m.frame_2 * ns:.0f} ns/row,"
          f" {m.size / m.frame_2 / 1e6:.2f}M rows/s; {m.frame_1 / m.frame_2:.2f}x its one-core time)")
    print(f"     loop over evaluate in two processes          {m.loop_2 * 1e6:6.1f} µs/row -> {m.loop_2 * m.size:5.1f} s;"
          f" evaluate_frame is {m.ratio_2:,.0f}x faster   ({m.loop_1 / m.loop_2:.2f}x the one-core loop)")
    print(f"   peak memory during evaluate_frame (tracemalloc) {m.peak_bytes / 2**20:,.0f} MiB;"
          f" process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:,.0f} MiB")
    r1 = m.ratio_1(m.loop_1)
    return [
        (f"batch: evaluate_frame, {m.size:,} rows", f"<= {TARGET_SECONDS:.0f} s", f"{m.frame_2:.2f} s", m.frame_2 <= TARGET_SECONDS),
        ("batch: peak memory", "< 1 GiB", f"{m.peak_bytes / 2**20:,.0f} MiB", m.peak_bytes < TARGET_BYTES),
        ("batch, 1 core vs 1: frame / loop", f">= {GATE_RATIO:.0f}x", f"{r1:,.0f}x", r1 >= GATE_RATIO),
        ("batch, 2 cores vs 2: frame / loop", f">= {GATE_RATIO:.0f}x", f"{m.ratio_2:,.0f}x", m.ratio_2 >= GATE_RATIO),
        ("batch, 1 core vs 1 (aim)", f">= {AIM_RATIO:.0f}x", f"{r1:,.0f}x", r1 >= AIM_RATIO),
        ("batch, 2 cores vs 2 (aim)", f">= {AIM_RATIO:.0f}x", f"{m.ratio_2:,.0f}x", m.ratio_2 >= AIM_RATIO),
        (f"batch: rows/s, {m.size:,} rows (aim)", f">= {AIM_ROWS_PER_S / 1e6:.0f}M", f"{m.size / m.frame_2 / 1e6:.2f}M",
         m.size / m.frame_2 >= AIM_ROWS_PER_S),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.batch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args(argv)
    checks = run(args.size, args.sample)
    print("\n== Targets")
    for name, wanted, got, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name:<36} {wanted:>9}   measured {got}")
    return 0 if all(ok for name, *_, ok in checks if "(aim)" not in name) else 1


if __name__ == "__main__":
    raise SystemExit(main())
