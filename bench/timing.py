"""Timing primitives: wall-clock samples with ``perf_counter_ns``, medians, readable units."""

from __future__ import annotations

import gc
import statistics
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from time import perf_counter_ns


@dataclass(frozen=True)
class Stats:
    """Per-unit times (ns) of several samples: the median is the figure, min/max show the noise."""

    median: float
    low: float
    high: float
    samples: int

    @staticmethod
    def of(values: Sequence[float]) -> Stats:
        return Stats(statistics.median(values), min(values), max(values), len(values))

    def spread(self) -> str:
        return f"min {fmt_ns(self.low)}, max {fmt_ns(self.high)}, {self.samples} samples"

    def as_dict(self) -> dict[str, float]:
        return {"median_ns": self.median, "min_ns": self.low, "max_ns": self.high, "samples": self.samples}


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic collections inside a sample, as timeit does: a collection triggered by one side's
    garbage would otherwise land at random in the other side's timing."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def interleaved(
    runs: Sequence[Callable[[], object]], repeats: int, per_round: Sequence[int] | None = None
) -> list[list[int]]:
    """Wall times (ns) of the runs, in ``repeats`` rounds that alternate them, so that a slow spell
    of the machine hits baseline and candidate alike instead of one of them. A round takes
    ``per_round[i]`` samples of run i: a cheap run gets more samples for the same wall time."""
    counts = per_round if per_round is not None else [1] * len(runs)
    times: list[list[int]] = [[] for _ in runs]
    with quiet_gc():
        for _ in range(repeats):
            for run, count, out in zip(runs, counts, times):
                for _ in range(count):
                    start = perf_counter_ns()
                    run()
                    out.append(perf_counter_ns() - start)
    return times


def paired_ratio(top: Sequence[float], bottom: Sequence[float], top_per_round: int, bottom_per_round: int) -> float:
    """The median over rounds of (top's median in the round / bottom's median in the same round),
    for samples taken by ``interleaved``: each ratio compares two runs a few milliseconds apart,
    so the machine's drift from round to round cancels out."""
    rounds = len(top) // top_per_round
    return statistics.median(
        statistics.median(top[r * top_per_round:(r + 1) * top_per_round])
        / statistics.median(bottom[r * bottom_per_round:(r + 1) * bottom_per_round])
        for r in range(rounds)
    )


def each_call_ns(calls: Sequence[Callable[[], object]]) -> list[int]:
    """The wall time (ns) of every single call; used where one call is long (tens of µs or
    more) next to the ~100 ns the two clock reads cost."""
    out: list[int] = []
    with quiet_gc():
        for call in calls:
            start = perf_counter_ns()
            call()
            out.append(perf_counter_ns() - start)
    return out


def pad(text: str, width: int) -> str:
    """Left-justify in terminal columns: a CJK character takes two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def fmt_ns(ns: float) -> str:
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.1f} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.3f} s"
