"""Seeded inputs, so that every run measures the same work."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

SEED = 20161223  # the Jinan rules' date in force; any fixed value would do
FIRST = date(2004, 1, 1)  # chinese-calendar's first year
LAST = date(2025, 12, 31)  # a year before its last, so that N working days later is still known
AS_OF = date(2026, 6, 30)


def scalar_inputs(count: int, seed: int = SEED) -> list[tuple[date, int]]:
    """(start date, N) pairs: dates uniform over 2004-2025, N uniform in 1..30."""
    rng = random.Random(seed)
    lo, hi = FIRST.toordinal(), LAST.toordinal()
    return [(date.fromordinal(rng.randint(lo, hi)), rng.randint(1, 30)) for _ in range(count)]


def date_column(count: int, seed: int = SEED) -> npt.NDArray[np.datetime64]:
    """A datetime64[D] column of dates uniform over 2004-2025."""
    rng = np.random.default_rng(seed)
    lo = np.datetime64(FIRST, "D").astype(np.int64)
    hi = np.datetime64(LAST, "D").astype(np.int64)
    return rng.integers(lo, hi, size=count, endpoint=True).astype("datetime64[D]")


# Units that appear as 主办单位 in 济南's 督查 ledgers; the evaluator only copies them into text.
_UNITS = ("市住房城乡建设局", "市交通运输局", "市生态环境局", "市教育局", "市卫生健康委", "历下区政府")

Raw = dict[str, Any]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _iso(d: date) -> str:
    return d.isoformat()


def _base(rng: random.Random, ident: str, source: str, assigned: date) -> Raw:
    return {"type": "matter", "id": ident, "source": source, "assigned_on": _iso(assigned),
            "lead_unit": rng.choice(_UNITS)}


def _city_leader(rng: random.Random, ident: str) -> Raw:
    """市领导批示: 3 working days; some answered by a progress reply, some completed."""
    assigned = _day(rng, date(2026, 6, 1), date(2026, 6, 29))
    raw = _base(rng, ident, "市领导批示", assigned)
    roll = rng.random()
    if roll < 0.3:
        raw["reports"] = [_iso(min(AS_OF, assigned + timedelta(days=rng.randint(1, 4))))]
    elif roll < 0.6:
        raw["completed_on"] = _iso(min(AS_OF, assigned + timedelta(days=rng.randint(1, 8))))
    return raw


def _superior(rng: random.Random, ident: str) -> Raw:
    """上级批示: 7 working days unless the notice gives a deadline."""
    assigned = _day(rng, date(2026, 5, 15), date(2026, 6, 28))
    raw = _base(rng, ident, "上级批示", assigned)
    if rng.random() < 0.5:
        raw["explicit_deadline"] = _iso(assigned + timedelta(days=rng.randint(20, 40)))
    if rng.random() < 0.4:
        raw["reports"] = [_iso(min(AS_OF, assigned + timedelta(days=rng.randint(2, 12))))]
    return raw


def _executive_meeting(rng: random.Random, ident: str) -> Raw:
    """常务会议: 10 working days after the meeting."""
    assigned = _day(rng, date(2026, 5, 1), date(2026, 6, 29))
    raw = _base(rng, ident, "常务会议", assigned)
    if rng.random() < 0.5:
        raw["completed_on"] = _iso(min(AS_OF, assigned + timedelta(days=rng.randint(5, 25))))
    return raw


def _deputy_proposal(rng: random.Random, ident: str) -> Raw:
    """人大代表建议: 3 months; the reply is often late."""
    assigned = _day(rng, date(2026, 2, 1), date(2026, 6, 15))
    raw = _base(rng, ident, "人大代表建议", assigned)
    if rng.random() < 0.4:
        raw["completed_on"] = _iso(min(AS_OF, assigned + timedelta(days=rng.randint(30, 110))))
    return raw


def _complex_weekly(rng: random.Random, ident: str) -> Raw:
    """A complex 重点项目 under 周报制: a report due every week since assignment, some missed."""
    assigned = _day(rng, date(2026, 3, 2), date(2026, 5, 29))
    raw = _base(rng, ident, rng.choice(("重点项目", "上级督查")), assigned)
    raw["complex"] = True
    raw["explicit_deadline"] = _iso(date(2026, 9, 30))
    friday = assigned + timedelta(days=(4 - assigned.weekday()) % 7 + 7)
    reports: list[str] = []
    while friday <= AS_OF:
        if rng.random() < 0.8:
            reports.append(_iso(friday))
        friday += timedelta(days=7)
    raw["reports"] = reports
    return raw


def _complex_weekly_since_2019(rng: random.Random, ident: str) -> Raw:
    """The same duty supervised since 2019-01-07, a report every third Friday: some 130 reports and
    270 missed weeks, which should cost about what a new matter does (issue 13)."""
    assigned = date(2019, 1, 7)
    raw = _base(rng, ident, "重点项目", assigned)
    raw["complex"] = True
    friday = assigned + timedelta(days=4)
    reports: list[str] = []
    while friday <= AS_OF:
        reports.append(_iso(friday))
        friday += timedelta(weeks=3)
    raw["reports"] = reports
    return raw


def _extended(rng: random.Random, ident: str) -> Raw:
    """An extension asked before the deadline and approved (a proposal's is capped at 6 months)."""
    if rng.random() < 0.5:
        assigned = _day(rng, date(2026, 1, 5), date(2026, 3, 31))  # asked by as_of
        raw = _base(rng, ident, "人大代表建议", assigned)
        requested = assigned + timedelta(days=rng.randint(20, 80))
        new_deadline = assigned + timedelta(days=rng.randint(120, 220))
    else:
        assigned = _day(rng, date(2026, 5, 4), date(2026, 6, 19))
        raw = _base(rng, ident, "常务会议", assigned)
        requested = assigned + timedelta(days=rng.randint(2, 9))
        new_deadline = requested + timedelta(days=rng.randint(15, 40))
    raw["extension"] = {"requested_on": _iso(requested), "new_deadline": _iso(new_deadline), "approved": True}
    return raw


# -- matters opened in 2017-2019 and still open (issue 13: cost independent of age) --------------


def _old_base(ident: str, source: str, assigned: date) -> Raw:
    return {"type": "matter", "id": ident, "source": source, "assigned_on": assigned.isoformat(),
            "lead_unit": "市住房城乡建设局"}


def _weekdays(first: date, last: date, step: int, keep: float, rng: random.Random) -> list[str]:
    """Every ``step``-th day from first to last that is Monday-Friday, each kept with chance ``keep``."""
    out, day = [], first
    while day <= last:
        if day.weekday() < 5 and rng.random() < keep:
            out.append(day.isoformat())
        day += timedelta(days=step)
    return out


def _weekly_2017(rng: random.Random, ident: str, keep: float) -> Raw:
    assigned = date(2017, 1, 2) + timedelta(days=rng.randint(0, 60))
    raw = _old_base(ident, "重点项目", assigned) | {"complex": True}
    first = assigned + timedelta(days=11 - assigned.weekday())  # the next week's Friday
    raw["reports"] = _weekdays(first, AS_OF, 7, keep, rng)
    return raw


def _quarterly_2017(rng: random.Random, ident: str) -> Raw:
    raw = _old_base(ident, "政府工作报告", date(2017, 1, 9) + timedelta(days=rng.randint(0, 40)))
    ends = [date(y, m, 28) for y in range(2017, 2027) for m in (4, 7, 10, 1) if date(y, m, 28) <= AS_OF]
    raw["reports"] = sorted(d.isoformat() for d in ends if rng.random() < 0.8 and d.isoformat() > raw["assigned_on"])
    return raw


def _extension_2018(rng: random.Random, ident: str) -> Raw:
    assigned = date(2018, 3, 1) + timedelta(days=rng.randint(0, 60))
    raw = _old_base(ident, "人大代表建议", assigned)
    requested = assigned + timedelta(days=rng.randint(20, 60))
    raw["extension"] = {"requested_on": requested.isoformat(),
                        "new_deadline": (requested + timedelta(days=150)).isoformat(), "approved": True}
    raw["reports"] = [(assigned + timedelta(days=10)).isoformat()]
    return raw


def _monthly_2017(rng: random.Random, ident: str) -> Raw:
    assigned = date(2017, 2, 6) + timedelta(days=rng.randint(0, 30))
    raw = _old_base(ident, "工作计划", assigned)
    ends = [date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=2) for y in range(2017, 2027) for m in range(1, 13)]
    raw["reports"] = [d.isoformat() for d in ends if assigned < d <= AS_OF and rng.random() < 0.85]
    return raw


def _daily_2019(rng: random.Random, ident: str) -> Raw:
    assigned = date(2019, 5, 6) + timedelta(days=rng.randint(0, 20))
    raw = _old_base(ident, "突发事件", assigned) | {"urgency": "特急"}
    raw["reports"] = _weekdays(assigned + timedelta(days=1), AS_OF, 1, 0.9, rng)
    return raw


# kind -> (how to make one, a rule id part every evaluation of that kind must contain: a check
# that the mix exercises the paths it claims to, rather than timing an empty one)
MATTER_KINDS: dict[str, tuple[Callable[[random.Random, str], Raw], str]] = {
    "市领导批示": (_city_leader, "deadline/city-leader-instruction"),
    "上级批示": (_superior, "deadline/superior"),
    "常务会议": (_executive_meeting, "deadline/executive-meeting"),
    "人大代表建议": (_deputy_proposal, "deadline/proposal"),
    "complex+周报": (_complex_weekly, "obligation/weekly-report"),
    "周报 since 2019": (_complex_weekly_since_2019, "obligation/weekly-report"),
    "approved extension": (_extended, "extension/in-advance"),
    "季报 since 2017": (_quarterly_2017, "obligation/quarterly-report"),
    "extension of 2018": (_extension_2018, "extension/"),
}


def matter_dicts(per_kind: int, seed: int = SEED) -> list[tuple[str, Raw]]:
    """``per_kind`` matters of each kind, as JSON-like dicts, with their kind."""
    rng = random.Random(seed)
    return [
        (kind, make(rng, f"DC-{k}-{i:03d}"))
        for k, (kind, (make, _)) in enumerate(MATTER_KINDS.items())
        for i in range(per_kind)
    ]
