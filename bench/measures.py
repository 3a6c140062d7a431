"""The three measurements, each with its baseline taken in the same process."""

from __future__ import annotations

import random
import statistics
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from time import perf_counter_ns
from typing import Any

import numpy as np
from chinese_calendar import find_workday, get_workdays

from bench.inputs import AS_OF, FIRST, MATTER_KINDS, SEED, date_column, matter_dicts, scalar_inputs
from bench.timing import Stats, each_call_ns, interleaved, paired_ratio
from govrules.calendar import WorkCalendar
from govrules.semantics.compiled import CompiledPack, compile_pack
from govrules.engine.evaluate import evaluate
from govrules.models import Matter, parse_object
from govrules.packs.registry import bundled_pack

PACK_ID = "jinan-2016-30"
# Scalar govrules calls per timed sample: enough that one sample lasts milliseconds, far above
# the clock's resolution and the cost of reading it.
CALLS_PER_SAMPLE = 10_000
# govrules samples per baseline sample: a baseline sample is ~100x longer, so this costs little
# and makes the small side's median as steady as the large side's.
SAMPLES_PER_ROUND = 5
# The column's samples swing most (fresh 8 MB temporaries each call), so it gets more of them.
VECTOR_SAMPLES_PER_ROUND = 3


class BenchError(RuntimeError):
    """The code under test gave a wrong answer: timing it would be meaningless."""


@dataclass(frozen=True)
class Setup:
    calendar_ns: int  # first WorkCalendar.default(): builds the day tables
    pack_ns: int  # bundled_pack + compile_pack
    calendar: WorkCalendar
    pack: CompiledPack


def measure_setup() -> Setup:
    """One-off costs, timed once (they are cached afterwards, so they cannot be repeated)."""
    start = perf_counter_ns()
    cal = WorkCalendar.default()
    mid = perf_counter_ns()
    cp = compile_pack(bundled_pack(PACK_ID))
    return Setup(mid - start, perf_counter_ns() - mid, cal, cp)


# -- 1. scalar: N working days after D --------------------------------------------------------


@dataclass(frozen=True)
class ScalarResult:
    inputs: int
    non_working_starts: int
    govrules: Stats  # per call
    baseline: Stats  # per call: chinese_calendar.find_workday
    ratio: float  # baseline median / govrules median
    bisect: Stats  # per call: bisect over a sorted list of working-day ordinals, the floor
    bisect_ratio: float  # govrules / bisect, round by round (timing.paired_ratio; 1.0: at the floor)


def workday_ordinals(last: date) -> list[int]:
    """Every working day from FIRST to ``last`` as an ordinal, from chinese_calendar's own data
    (not from govrules' tables): the sorted list the bisect baseline searches."""
    return [d.toordinal() for d in get_workdays(FIRST, last, include_weekends=True)]


def bisect_add_workdays(ordinals: list[int]) -> Callable[[date, int], date]:
    """The least a scalar lookup can do in Python: one bisect, one index, one date built.
    (For n >= 1 and an answer inside the list, which is all the bench asks.)"""
    fromordinal = date.fromordinal

    def add(d: date, n: int) -> date:
        return fromordinal(ordinals[bisect_right(ordinals, d.toordinal()) + n - 1])

    return add


def _check_scalar(cal: WorkCalendar, pairs: list[tuple[date, int]], floor: Callable[[date, int], date]) -> int:
    """Both libraries agree on every input. find_workday first rolls a non-working start
    forward to a working day and counts from there, so there it answers add_workdays(d, n + 1).
    The bisect floor answers add_workdays(d, n) on every input too, or it is no baseline."""
    non_working = 0
    for d, n in pairs:
        working = cal.is_workday(d)
        non_working += not working
        ours = cal.add_workdays(d, n if working else n + 1)
        theirs = find_workday(n, d)
        if ours != theirs:
            raise BenchError(f"{n} working days after {d}: govrules {ours}, chinese_calendar {theirs}")
        if floor(d, n) != cal.add_workdays(d, n):
            raise BenchError(f"{n} working days after {d}: bisect {floor(d, n)}, govrules {cal.add_workdays(d, n)}")
    return non_working


def measure_scalar(cal: WorkCalendar, count: int, repeats: int) -> ScalarResult:
    pairs = scalar_inputs(count)
    floor = bisect_add_workdays(workday_ordinals(date(cal.known_years[1], 12, 31)))
    non_working = _check_scalar(cal, pairs, floor)  # also warms all three up
    add = cal.add_workdays  # bound once, as a caller's loop would
    inner = max(1, CALLS_PER_SAMPLE // count)

    def ours() -> None:
        for _ in range(inner):
            [add(d, n) for d, n in pairs]

    def at_floor() -> None:
        for _ in range(inner):
            [floor(d, n) for d, n in pairs]

    def theirs() -> None:
        [find_workday(n, d) for d, n in pairs]

    ours_ns, floor_ns, theirs_ns = interleaved([ours, at_floor, theirs], repeats,
                                              [SAMPLES_PER_ROUND, SAMPLES_PER_ROUND, 1])
    gov = Stats.of([t / (inner * count) for t in ours_ns])
    bis = Stats.of([t / (inner * count) for t in floor_ns])
    base = Stats.of([t / count for t in theirs_ns])
    return ScalarResult(count, non_working, gov, base, base.median / gov.median, bis,
                        paired_ratio(ours_ns, floor_ns, SAMPLES_PER_ROUND, SAMPLES_PER_ROUND))


# -- 2. vector: a column of a million dates ---------------------------------------------------


@dataclass(frozen=True)
class VectorResult:
    size: int
    sample: int
    n: int
    vector: Stats  # wall time for the whole column
    loop_per_element: Stats  # scalar add_workdays in a Python loop, per element
    ratio: float  # loop extrapolated to the column / vector median

    @property
    def loop_extrapolated_ns(self) -> float:
        return self.loop_per_element.median * self.size


def measure_vector(cal: WorkCalendar, size: int, sample: int, repeats: int, n: int = 15) -> VectorResult:
    column = date_column(size)
    dates: list[date] = column[:sample].tolist()  # converted outside the timing
    add = cal.add_workdays
    expected = np.array([add(d, n) for d in dates], dtype="datetime64[D]")
    if not np.array_equal(cal.add_workdays_array(column[:sample], n), expected):
        raise BenchError("add_workdays_array disagrees with add_workdays on the sample")

    def vector() -> None:
        cal.add_workdays_array(column, n)

    def loop() -> None:
        [add(d, n) for d in dates]

    vec_ns, loop_ns = interleaved([vector, loop], repeats, [VECTOR_SAMPLES_PER_ROUND, 1])
    per_element = Stats.of([t / sample for t in loop_ns])
    vec = Stats.of(vec_ns)
    return VectorResult(size, sample, n, vec, per_element, per_element.median * size / vec.median)


# -- 3. evaluating one matter with the Jinan pack ---------------------------------------------


@dataclass(frozen=True)
class EvaluateResult:
    calls: int
    matters: int
    per_call: Stats  # over every single call
    mean_ns: float
    p90_ns: float
    by_kind: dict[str, Stats]
    find_workday_15: Stats  # one chinese_calendar.find_workday(15, d), per call

    @property
    def ratio(self) -> float:
        """One evaluate in units of one find_workday(15, d): reads the time against the machine."""
        return self.per_call.median / self.find_workday_15.median


def _matters(cp: CompiledPack, per_kind: int) -> list[tuple[str, Matter]]:
    """The mix, parsed, each checked to go through the rule its kind is there to exercise."""
    out: list[tuple[str, Matter]] = []
    for kind, raw in matter_dicts(per_kind):
        matter = parse_object(raw, f"bench matter {raw['id']}")
        if not isinstance(matter, Matter):
            raise BenchError(f"{raw['id']} did not parse as a matter")
        rule_part = MATTER_KINDS[kind][1]
        found = evaluate(matter, AS_OF, cp)
        if not any(rule_part in f.rule for f in found.findings):
            raise BenchError(f"{kind} matter {raw['id']} does not reach {rule_part}: {found.to_json()}")
        out.append((kind, matter))
    return out


def measure_evaluate(cp: CompiledPack, per_kind: int, calls: int, baseline_calls: int) -> EvaluateResult:
    matters = _matters(cp, per_kind)
    rng = random.Random(SEED)
    order = [rng.randrange(len(matters)) for _ in range(calls)]  # a shuffled mix, not runs of one kind
    thunks: list[Callable[[], Any]] = [partial(evaluate, matters[i][1], AS_OF, cp) for i in order]
    for thunk in thunks[: len(matters)]:  # warm-up
        thunk()
    times = each_call_ns(thunks)
    ordered = sorted(times)
    by_kind: dict[str, list[int]] = {}
    for i, t in zip(order, times):
        by_kind.setdefault(matters[i][0], []).append(t)

    starts = [d for d, _ in scalar_inputs(baseline_calls)]
    find_workday(15, starts[0])  # warm-up
    baseline = each_call_ns([partial(find_workday, 15, d) for d in starts])
    return EvaluateResult(
        calls=calls,
        matters=len(matters),
        per_call=Stats.of(times),
        mean_ns=statistics.fmean(times),
        p90_ns=ordered[int(0.9 * (len(ordered) - 1))],
        by_kind={kind: Stats.of(by_kind[kind]) for kind in MATTER_KINDS if kind in by_kind},
        find_workday_15=Stats.of(baseline),
    )
