#!/usr/bin/env python3
"""A realistic synthetic 督查台账 for one city-year: matters, meetings, documents and events.

    python examples/generate_ledger.py --seed 7 --matters 1000 --meetings 100 --documents 200 \\
        --events 50 --year 2026 --out ledger.json [--format json|csv|parquet] [--events-out events.json]

From Python: ``generate(seed, matters=..., ...)`` returns the interchange objects as dicts. The same
seed gives the same objects and the same JSON or CSV bytes; every date lies in the year, and the
ledger evaluates under every bundled pack as of any day up to the year's last working day without
the next year's holiday data. The design and the CSV form are described in examples/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govrules import Options, WorkCalendar, bundled_pack, compile_pack, evaluate, parse_object, parse_objects
from govrules.engine import CompiledPack
from govrules.models import Document, Event, Matter, Meeting
from govrules.models.base import CaseModel

Obj = dict[str, Any]
Weighted = Sequence[tuple[str, float]]


@dataclass(frozen=True)
class Habit:
    """How a unit works: shares of matters done on time and done late (the rest stay open),
    how reliably it sends recurring reports, how often it replies with progress within a short
    deadline it then misses, and how often it asks for an extension before the deadline."""

    on_time: float
    late: float
    reports: float
    replies: float
    asks_ahead: float


HABITS = {
    "prompt": Habit(on_time=0.90, late=0.06, reports=0.95, replies=0.50, asks_ahead=0.85),
    "ordinary": Habit(on_time=0.80, late=0.12, reports=0.85, replies=0.35, asks_ahead=0.65),
    "late": Habit(on_time=0.52, late=0.30, reports=0.60, replies=0.15, asks_ahead=0.35),
}

# The city's bureaus: (name, habit, relative share of the matters they lead).
UNITS: tuple[tuple[str, str, float], ...] = (
    ("市发展改革委", "ordinary", 1.5), ("市教育局", "ordinary", 1.0), ("市科技局", "prompt", 0.6),
    ("市工业和信息化局", "ordinary", 1.0), ("市公安局", "prompt", 0.8), ("市民政局", "ordinary", 0.7),
    ("市司法局", "prompt", 0.5), ("市财政局", "prompt", 1.1), ("市人力资源社会保障局", "ordinary", 0.9),
    ("市自然资源和规划局", "late", 1.2), ("市生态环境局", "ordinary", 1.2), ("市住房城乡建设局", "late", 1.4),
    ("市交通运输局", "late", 1.2), ("市水务局", "ordinary", 0.8), ("市农业农村局", "ordinary", 0.8),
    ("市商务局", "ordinary", 0.7), ("市文化和旅游局", "ordinary", 0.6), ("市卫生健康委", "ordinary", 1.0),
    ("市应急管理局", "prompt", 0.7), ("市审计局", "prompt", 0.4), ("市市场监管局", "ordinary", 0.9),
    ("市城市管理局", "late", 1.1), ("市医疗保障局", "prompt", 0.5), ("市行政审批服务局", "prompt", 0.6),
    ("市园林和林业绿化局", "late", 0.6),
)
UNIT_HABIT = {name: HABITS[habit] for name, habit, _ in UNITS}
LATE_UNITS = tuple(name for name, habit, _ in UNITS if habit == "late")
# Sources that go mostly to a few bureaus (the weight of those is multiplied by 4).
AFFINITY = {
    "重点项目": ("市发展改革委", "市住房城乡建设局", "市交通运输局", "市自然资源和规划局", "市水务局"),
    "突发事件": ("市应急管理局", "市公安局", "市生态环境局", "市卫生健康委", "市水务局"),
}

# 事项来源 in percent of the matters, allotted exactly (largest remainder).
SOURCES: Weighted = (
    ("市领导批示", 30), ("上级批示", 14), ("上级督查", 6), ("常务会议", 8), ("专题会议", 8),
    ("现场办公会议", 2), ("全体会议", 1), ("政府工作报告", 3), ("重要文件", 4), ("重点项目", 4),
    ("人大代表建议", 8), ("政协提案", 8), ("来文", 2), ("交办", 1), ("工作计划", 0.5), ("突发事件", 0.5),
)
MEETING_SOURCES = ("常务会议", "专题会议", "现场办公会议", "全体会议")
PROPOSALS = ("人大代表建议", "政协提案")
# 济南 第十六条第（一）（六）项: a progress reply within the deadline meets it.
REPLY_SOURCES = ("市领导批示", "上级批示", "上级督查")
# Share of each source that is 情况复杂、涉及面广 (only matters assigned by October can be). No
# 政府工作报告 task is: a weekly report in July would count as its Q3 report (see Ledger.reports).
COMPLEX = {
    "市领导批示": 0.05, "上级批示": 0.10, "上级督查": 0.20, "常务会议": 0.12, "专题会议": 0.15,
    "现场办公会议": 0.20, "全体会议": 0.20, "政府工作报告": 0.0, "重要文件": 0.15, "重点项目": 0.25,
    "人大代表建议": 0.12, "政协提案": 0.12, "来文": 0.02, "交办": 0.08, "工作计划": 0.10, "突发事件": 0.30,
}
# Shares of 紧急 and 特急 by source; the rest are 一般.
URGENT = {"市领导批示": (0.10, 0.04), "上级批示": (0.08, 0.03), "上级督查": (0.05, 0.01),
          "突发事件": (0.40, 0.40), "来文": (0.05, 0.01), "交办": (0.05, 0.0)}
# 明确时限: (share with one, "wd" = working days after assignment or "month" = a month end that
# many months later, least, most). 政府工作报告 tasks are due at the end of June or September.
EXPLICIT: dict[str, tuple[float, str, int, int]] = {
    "市领导批示": (0.08, "wd", 2, 10), "上级批示": (0.35, "wd", 5, 25), "上级督查": (0.60, "wd", 5, 25),
    "常务会议": (0.15, "wd", 10, 30), "专题会议": (0.70, "wd", 10, 40), "现场办公会议": (0.70, "wd", 10, 40),
    "全体会议": (0.90, "month", 2, 6), "重要文件": (0.90, "month", 1, 5), "重点项目": (0.90, "month", 2, 8),
    "来文": (0.25, "wd", 3, 10), "交办": (0.70, "wd", 5, 20), "工作计划": (0.90, "month", 3, 10),
}
# Sources assigned on any working day stop this many working days before the year's last one:
# their longest default period in any pack is 10 days (来文 needing consultation).
YEAR_END_MARGIN = 12

MEETING_KINDS: Weighted = (
    ("专题会议", 28), ("常务会议", 18), ("现场办公会议", 6), ("市长办公会议", 5), ("全体会议", 2),
    ("全市性工作会议", 10), ("全市综合性会议", 2), ("部门会议", 14), ("电视电话会议", 6), ("表彰会", 2.5),
    ("研讨会", 2.5), ("经验交流会", 2), ("纪念会", 1), ("联谊会", 0.5), ("片会", 0.5),
)
# 参会人数 (mean, standard deviation): the city-wide kinds sit around the 100-person limit.
ATTENDEES = {
    "专题会议": (20, 8), "常务会议": (35, 6), "现场办公会议": (28, 8), "市长办公会议": (16, 5),
    "全体会议": (85, 15), "全市性工作会议": (92, 22), "全市综合性会议": (260, 80), "部门会议": (70, 25),
    "电视电话会议": (95, 30), "表彰会": (95, 25), "研讨会": (80, 25), "经验交流会": (85, 20),
    "纪念会": (90, 25), "联谊会": (45, 15), "片会": (35, 10),
}
CONVENERS: dict[str, Weighted] = {
    "常务会议": (("市长", 1),), "全体会议": (("市长", 1),), "市长办公会议": (("市长", 1),),
    "专题会议": (("副市长", 0.8), ("市长", 0.2)), "现场办公会议": (("副市长", 0.8), ("市长", 0.2)),
    "全市综合性会议": (("市政府", 0.7), ("部门", 0.3)),
    "全市性工作会议": (("市政府", 0.4), ("副市长", 0.3), ("部门", 0.3)),
    "电视电话会议": (("市政府", 0.5), ("部门", 0.5)), "表彰会": (("市政府", 0.3), ("部门", 0.7)),
}
CITY_WIDE = ("全市综合性会议", "全市性工作会议", "电视电话会议", "表彰会")
PROCEDURES = ("公众参与", "专家论证", "风险评估", "合法性审查")

ISSUERS: Weighted = (("市政府", 18), ("市政府办公室", 32), ("部门", 28), ("部门办公室", 12), ("部门内设机构", 10))
DOCUMENT_KINDS: dict[str, Weighted] = {
    "市政府": (("通知", 35), ("意见", 20), ("决定", 8), ("批复", 10), ("请示", 7), ("报告", 7), ("通报", 5),
             ("公告", 3), ("通告", 3), ("函", 2)),
    "市政府办公室": (("通知", 50), ("意见", 10), ("通报", 15), ("函", 15), ("纪要", 5), ("报告", 5)),
    "部门": (("通知", 35), ("函", 25), ("报告", 12), ("请示", 12), ("通报", 8), ("意见", 5), ("纪要", 3)),
}
GENERAL_KINDS = ("通知", "意见", "决定", "通报", "公告", "通告")  # the kinds 普发类文件 come in

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
GIVEN = "建国明华军平丽敏静磊伟强文晓海峰洪霞涛斌"

# CSV cells: these fields are JSON-encoded, these are true/false, these are integers.
JSON_FIELDS = ("co_units", "reports", "extension", "approvals", "absent_without_reason", "decision_procedures")
INT_FIELDS = ("attendees", "char_count")
MODELS: dict[str, type[CaseModel]] = {"matter": Matter, "meeting": Meeting, "document": Document, "event": Event}
COLUMNS = tuple(dict.fromkeys(name for model in MODELS.values() for name in model.model_fields))
BOOL_FIELDS = tuple(n for m in MODELS.values() for n, f in m.model_fields.items() if f.default is False)


def _allot(total: int, weights: Weighted) -> list[tuple[str, int]]:
    """Split ``total`` by weight with the largest-remainder method, so the mix is exact."""
    whole = sum(w for _, w in weights)
    shares = [(name, total * w / whole) for name, w in weights]
    counts = {name: int(share) for name, share in shares}
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i][1] % 1), i))
    for i in by_remainder[: total - sum(counts.values())]:
        counts[shares[i][0]] += 1
    return [(name, counts[name]) for name, _ in weights]


class Year:
    """The working days of one year, for drawing dates that never leave it."""

    def __init__(self, cal: WorkCalendar, year: int) -> None:
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        self.cal, self.year = cal, year
        self.days = [jan1 + timedelta(i) for i in range((dec31 - jan1).days + 1)
                     if cal.is_workday(jan1 + timedelta(i))]
        self.first, self.last = self.days[0], self.days[-1]
        # Recurring reports: once a period's report is in, the engine looks at the next period, so
        # a matter open on any day must have its next period's due date within the year. Weekly
        # (last working day of a Monday-to-Sunday week) and daily reports end by the second-last
        # full week, monthly ones by November, quarterly ones (15 days after) by September.
        last_sunday = dec31 - timedelta(days=(dec31.weekday() + 1) % 7)
        self.weekly_close = self.roll_back(last_sunday - timedelta(days=7))

    def shift(self, d: date, n: int) -> date | None:
        """The n-th working day after d (before it for n < 0; d rolled forward for 0), or None
        outside the year."""
        i = bisect_right(self.days, d) + n - 1 if n > 0 else bisect_left(self.days, d) + n
        return self.days[i] if 0 <= i < len(self.days) else None

    def add(self, d: date, n: int) -> date:
        """``shift`` kept within the year."""
        return self.shift(d, n) or (self.last if n >= 0 else self.first)

    def count(self, a: date, b: date) -> int:
        """Working days in (a, b]."""
        return bisect_right(self.days, b) - bisect_right(self.days, a)

    def between(self, a: date, b: date) -> list[date]:
        return self.days[bisect_left(self.days, a):bisect_right(self.days, b)]

    def roll_back(self, d: date) -> date:
        i = bisect_right(self.days, d) - 1
        return self.days[max(i, 0)]

    def month_end(self, month: int) -> date:
        """The last working day of the month (or of December, for later months)."""
        month = min(month, 12)
        next_first = date(self.year + 1, 1, 1) if month == 12 else date(self.year, month + 1, 1)
        return self.roll_back(next_first - timedelta(days=1))

    def months_after(self, d: date, n: int) -> date:
        """The same day n months later (that month's last day if it has none), rolled forward;
        the year's last working day if that is later."""
        years, month0 = divmod(d.month - 1 + n, 12)
        if years:
            return self.last
        target = date(d.year, month0 + 1, min(d.day, monthrange(d.year, month0 + 1)[1]))
        return self.add(target, 0)


@dataclass(frozen=True)
class Track:
    """What the events need to know of a matter: who, its effective deadline and its end."""

    id: str
    unit: str
    due: date
    completed: date | None
    late: bool


class Ledger:
    """Draws the objects of one city-year; each kind of object has its own random stream."""

    def __init__(self, seed: int, year: int, cal: WorkCalendar, pack: CompiledPack) -> None:
        self.seed, self.y, self.pack = seed, Year(cal, year), pack
        self.options = Options(allow_not_in_force=True, calendar=cal)
        self.rng = self._stream("meeting schedule")
        self.schedule = self._schedule()
        self.tracks: list[Track] = []
        self.batches: list[date] = []  # the days 建议提案 are handed out, drawn with the matters

    def _stream(self, part: str) -> random.Random:
        return random.Random(f"govrules synthetic ledger {self.seed} {self.y.year} {part}")

    # -- helpers -------------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, weights: Weighted) -> str:
        return self.rng.choices([n for n, _ in weights], [w for _, w in weights])[0]

    def day(self, a: date, b: date) -> date:
        """A working day from a to b, both included."""
        return self.rng.choice(self.y.between(a, b))

    def unit(self, source: str = "") -> str:
        favoured = AFFINITY.get(source, ())
        return self.pick([(name, w * (4 if name in favoured else 1)) for name, _, w in UNITS])

    def others(self, lead: str, k: int) -> list[str]:
        return self.rng.sample([name for name, _, _ in UNITS if name != lead], k)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))

    def _schedule(self) -> dict[str, list[date]]:
        """The city's recurring meetings: 常务会议 about twice a month, 专题会议 about weekly,
        现场办公会议 about monthly, 全体会议 twice a year (early in the year and in July)."""
        y, end = self.y, self.y.add(self.y.last, -10)
        out: dict[str, list[date]] = {kind: [] for kind in MEETING_SOURCES}
        for month in range(1, 13):
            first = date(y.year, month, 1)
            for a, b in ((first, first.replace(day=15)), (first.replace(day=16), y.month_end(month))):
                if y.between(a, min(b, end)) and self.chance(0.9):
                    out["常务会议"].append(self.day(a, min(b, end)))
            if y.between(first, min(y.month_end(month), end)) and self.chance(0.8):
                out["现场办公会议"].append(self.day(first, min(y.month_end(month), end)))
        monday = y.first - timedelta(days=y.first.weekday())
        while monday <= end:
            if y.between(monday, min(monday + timedelta(days=6), end)) and self.chance(0.85):
                out["专题会议"].append(self.day(monday, min(monday + timedelta(days=6), end)))
            monday += timedelta(days=7)
        out["全体会议"] = [self.day(date(y.year, 1, 20), date(y.year, 2, 28)),
                        self.day(date(y.year, 7, 1), date(y.year, 7, 31))]
        return {kind: sorted(set(days)) for kind, days in out.items()}

    # -- matters -------------------------------------------------------------------------------

    def assigned_on(self, source: str) -> date:
        y = self.y
        nov = y.month_end(11)  # 绍兴 三: meeting decisions are supervised from the next month on
        if source in MEETING_SOURCES:
            return self.rng.choice([d for d in self.schedule[source] if d <= nov])
        if source in PROPOSALS:  # 交办 in batches after the spring sessions, the rest by June
            if self.chance(0.7):
                return self.rng.choices(self.batches, (5, 3, 2))[0]
            return self.day(date(y.year, 4, 1), date(y.year, 6, 30))
        if source == "政府工作报告":
            return self.day(date(y.year, 1, 10), date(y.year, 1, 31))
        if source == "工作计划":
            return self.day(y.first, date(y.year, 2, 28))
        if source in ("重要文件", "重点项目", "突发事件"):
            return self.day(y.first, nov)
        return self.day(y.first, y.add(y.last, -YEAR_END_MARGIN))

    def matters(self, n: int) -> list[Obj]:
        self.rng = self._stream("matters")
        y = self.y
        self.batches = sorted(self.rng.sample(y.between(date(y.year, 2, 20), date(y.year, 3, 31)), 3))
        drawn = [(self.assigned_on(source), i, source)
                 for i, (source, count) in enumerate(_allot(n, SOURCES)) for _ in range(count)]
        drawn.sort(key=lambda t: (t[0], t[1]))
        width = max(4, len(str(n)))
        return [self.matter(f"DC-{y.year}-{k:0{width}d}", source, day)
                for k, (day, _, source) in enumerate(drawn, 1)]

    def explicit_deadline(self, source: str, assigned: date, complex_: bool) -> date | None:
        y = self.y
        if source == "政府工作报告":
            return y.month_end(self.rng.choice((6, 9)))
        share, unit, lo, hi = EXPLICIT.get(source, (0.0, "wd", 0, 0))
        if not self.chance(share):
            return None
        hi = hi * 2 if complex_ else hi
        if unit == "month":
            return max(assigned, y.month_end(assigned.month + self.rng.randint(lo, hi)))
        return y.add(assigned, self.rng.randint(lo, hi))

    def rule_deadline(self, obj: Obj) -> date | None:
        """The deadline the reference pack gives the matter as assigned."""
        matter = parse_object(obj, "", Matter)
        result = evaluate(matter, matter.assigned_on, self.pack, self.options)
        return next((f.due for f in result.findings if f.kind == "deadline"), None)

    def finish(self, start: date, due: date, habit: Habit) -> date | None:
        """When a matter started at ``start`` with deadline ``due`` is done (None: still open):
        on time (late in the window, as offices work), some working days late, or not at all."""
        r, span = self.rng.random(), self.y.count(start, due)
        if r < habit.on_time:
            return self.y.add(start, round(self.rng.triangular(0, span, 0.75 * span)))
        if r < habit.on_time + habit.late:
            return self.y.shift(due, min(60, 1 + int(self.rng.expovariate(1 / (2 + span / 3)))))
        return None

    def matter(self, ident: str, source: str, assigned: date) -> Obj:
        y = self.y
        lead = self.unit(source)
        habit = UNIT_HABIT[lead]
        jinji, teji = URGENT.get(source, (0.0, 0.0))
        r = self.rng.random()
        urgency = "特急" if r < teji else "紧急" if r < teji + jinji else "一般"
        complex_ = assigned.month <= 10 and self.chance(COMPLEX[source])
        explicit = self.explicit_deadline(source, assigned, complex_)
        obj: Obj = {"type": "matter", "id": ident, "source": source, "assigned_on": assigned.isoformat(),
                    "explicit_deadline": explicit and explicit.isoformat(), "urgency": urgency,
                    "complex": complex_, "needs_consultation": source == "来文" and self.chance(0.3),
                    "lead_unit": lead}
        k = self.rng.choice((1, 1, 2, 3)) if complex_ or obj["needs_consultation"] else self.rng.choice((0,) * 4 + (1, 2))
        obj["co_units"] = self.others(lead, k) if k else []
        if self.chance(0.9 if source in ("政府工作报告", "工作计划", "重点项目") else 0.5):
            obj["responsible"] = self.person()
        # Matters without a rule's deadline (e.g. 交办 with no 明确时限) are worked to 15 working days.
        due = min(self.rule_deadline(obj) or y.add(assigned, 15), y.last)
        # Matters with weekly (complex), daily (突发事件), monthly (工作计划) or quarterly
        # (政府工作报告) reports are done by this day (see Year.weekly_close).
        close_by = y.weekly_close if complex_ or source == "突发事件" else y.last
        close_by = min(close_by, y.month_end({"工作计划": 11, "政府工作报告": 9}.get(source, 12)))
        completed = self.finish(assigned, due, habit)
        effective = due
        extension: Obj | None = None
        if (completed is None or completed > due) and due < close_by \
                and self.chance(0.18 + 0.15 * complex_ + 0.1 * (source in PROPOSALS)):
            extension, effective, completed = self.extension(assigned, due, completed, habit, source, close_by)
        if close_by < y.last and (completed is None or completed > close_by):
            completed = close_by
        if extension is not None and completed is not None and extension["requested_on"] > completed.isoformat():
            extension, effective = None, due
        obj["completed_on"] = completed and completed.isoformat()
        obj["extension"] = extension
        obj["reports"] = [d.isoformat() for d in self.reports(source, assigned, due, completed, complex_, habit)]
        late = (completed or y.last + timedelta(days=1)) > effective and effective < y.last
        self.tracks.append(Track(ident, lead, effective, completed, late))
        return _compact(obj)

    def extension(self, assigned: date, due: date, completed: date | None, habit: Habit, source: str,
                  close_by: date) -> tuple[Obj, date, date | None]:
        """A request to extend, before the deadline (then it may count) or on/after it (it never
        does); when it counts, the matter is worked to the new deadline instead."""
        y = self.y
        span = y.count(assigned, due)
        ahead = span >= 1 and self.chance(habit.asks_ahead)
        if ahead:
            requested = y.add(due, -self.rng.randint(1, min(3, span)))
        else:
            room = y.count(due, min(completed or y.last, close_by))
            requested = y.add(due, self.rng.randint(0, min(8, room)))
        if source in PROPOSALS:
            new = y.months_after(due, self.rng.randint(1, 3))
        else:
            new = y.add(due, max(5, round(span * self.rng.uniform(0.5, 1.0))))
        new = min(max(new, y.add(requested, 5)), close_by)
        approved = self.chance(0.85 if ahead else 0.5)
        ext: Obj = {"requested_on": requested.isoformat(), "new_deadline": new.isoformat(), "approved": approved}
        if ahead and approved:
            return ext, new, self.finish(requested, new, habit)
        return ext, due, completed

    def reports(self, source: str, assigned: date, due: date, completed: date | None, complex_: bool,
                habit: Habit) -> list[date]:
        y, out = self.y, set[date]()
        until = completed or y.last
        if source in REPLY_SOURCES and until > due and self.chance(habit.replies):
            out.add(self.day(assigned, due))  # a progress reply within the deadline
        if complex_:  # 济南 第十七条 周报制, from the week after assignment
            monday = assigned - timedelta(days=assigned.weekday()) + timedelta(days=7)
            while monday + timedelta(days=6) < until:
                week = y.between(monday, monday + timedelta(days=6))
                if week and self.chance(habit.reports):
                    out.add(week[-1] if self.chance(0.6) else self.rng.choice(week))
                monday += timedelta(days=7)
        if source == "政府工作报告":  # 第十六条第（二）项: within 15 days of each quarter's end
            for quarter_end in (date(y.year, 3, 31), date(y.year, 6, 30)):
                if quarter_end < until:
                    if self.chance(habit.reports):
                        out.add(y.add(quarter_end + timedelta(days=self.rng.randint(1, 15)), 0))
                    elif quarter_end.month == 3 and self.chance(0.5):  # late; a late Q2 one would count for Q3
                        out.add(y.add(quarter_end + timedelta(days=15), self.rng.randint(1, 10)))
        if source == "突发事件":  # 提高效率抓落实意见 (十一): 日报制
            out.update(d for d in y.between(assigned + timedelta(days=1), until) if self.chance(habit.reports))
        if source == "工作计划":  # 盘锦 六: at each month's end
            for month in range(assigned.month, 13):
                end = y.month_end(month)
                if end < until and end >= assigned and self.chance(habit.reports):
                    out.add(y.add(end, -self.rng.choice((0, 0, 1, 2))))
        return sorted(d for d in out if assigned <= d <= until)

    # -- meetings ------------------------------------------------------------------------------

    def meetings(self, n: int) -> list[Obj]:
        self.rng = self._stream("meetings")
        y = self.y
        kinds = [self.pick(MEETING_KINDS) for _ in range(n)]
        free = {kind: list(days) for kind, days in self.schedule.items()}
        held: list[date] = []
        for kind in kinds:
            if free.get(kind):
                held.append(free[kind].pop(self.rng.randrange(len(free[kind]))))
            elif kind in self.schedule:
                held.append(self.rng.choice(self.schedule[kind]))
            else:
                held.append(self.day(y.first, y.add(y.last, -10)))
        drawn = sorted(zip(held, range(n), kinds))
        width = max(3, len(str(n)))
        return [self.meeting(f"HY-{y.year}-{k:0{width}d}", kind, day) for k, (day, _, kind) in enumerate(drawn, 1)]

    def meeting(self, ident: str, kind: str, held: date) -> Obj:
        y = self.y
        convener = self.pick(CONVENERS.get(kind, (("部门", 1),)))
        in_city_name = kind in CITY_WIDE and (convener == "市政府" or self.chance(0.5))
        mean, sd = ATTENDEES[kind]
        approvals: list[str] = []
        if in_city_name:  # 盘锦 八: in the annual or quarterly plan, or approved by the mayor
            approvals += self.rng.choices([["纳入年度计划"], ["纳入季度计划"], ["市长批准"], []], (60, 20, 12, 8))[0]
        if kind == "全市综合性会议" and convener == "部门" and self.chance(0.85):
            approvals.append("常务会议同意")
        if (convener == "部门" or kind == "部门会议") and not in_city_name:
            approvals += self.rng.choices([["分管领导批准", "备案"], ["分管领导批准"], ["备案"], []], (80, 10, 5, 5))[0]
        invites = convener in ("副市长", "市长", "市政府") and kind not in ("常务会议", "全体会议", "市长办公会议") \
            and self.chance(0.15 if convener == "副市长" else 0.4)
        if invites and convener == "副市长" and self.chance(0.8):
            approvals.append("市长批准")  # 盘锦 七
        video = kind == "电视电话会议" or (kind in CITY_WIDE or convener == "部门") and self.chance(0.35)
        obj: Obj = {"type": "meeting", "id": ident, "kind": kind, "held_on": held.isoformat(),
                    "convened_by": convener, "in_name_of_city_government": in_city_name,
                    "attendees": max(5, round(self.rng.gauss(mean, sd))), "format": "视频" if video else "现场",
                    "approvals": list(dict.fromkeys(approvals)), "invites_county_heads": invites,
                    "organizer": self.unit() if convener == "部门" else "市政府办公室"}
        if kind == "专题会议" and self.chance(0.6):  # 绍兴 二（一）: comments on the minutes within 2 working days
            asked = y.add(held, self.rng.randint(1, 3))
            obj["minutes_comment_requested_on"] = asked.isoformat()
            r = self.rng.random()
            if r < 0.85:
                obj["minutes_feedback_on"] = y.add(asked, self.rng.randint(0, 2) if r < 0.7 else self.rng.randint(3, 5)).isoformat()
        if kind in ("常务会议", "专题会议", "全市性工作会议") and self.chance(0.04):
            obj["absent_without_reason"] = self.others("", self.rng.choice((1, 1, 2)))
        if kind == "常务会议" and self.chance(0.25):  # 盘锦 十
            obj["major_decision"] = True
            steps = PROCEDURES if self.chance(0.75) else self.rng.sample(PROCEDURES, self.rng.choice((2, 3)))
            obj["decision_procedures"] = [p for p in PROCEDURES if p in steps]
        return _compact(obj)

    # -- documents -----------------------------------------------------------------------------

    def documents(self, n: int) -> list[Obj]:
        self.rng = self._stream("documents")
        y = self.y
        drawn = sorted((self.day(y.first, y.last), i) for i in range(n))
        width = max(4, len(str(n)))
        return [self.document(f"GW-{y.year}-{k:0{width}d}", day) for k, (day, _) in enumerate(drawn, 1)]

    def document(self, ident: str, issued: date) -> Obj:
        issuer = self.pick(ISSUERS)
        city = issuer in ("市政府", "市政府办公室")
        kind = self.pick(DOCUMENT_KINDS.get(issuer, DOCUMENT_KINDS["部门"]))
        category = "其他"
        if city and self.chance(0.12):
            kind, category = "通报", "领导讲话"  # a speech printed in 《政府情况通报》
        elif kind in GENERAL_KINDS and self.chance(0.85 if city else 0.3):
            category = "普发类文件"
        # 字数 around the limits of 提高效率抓落实意见 (五): 4000, 3000 and 5000
        if category == "领导讲话":
            chars = self.rng.gauss(4400, 1100)
        elif category == "普发类文件" and issuer == "市政府":
            chars = self.rng.gauss(3500, 800)
        elif category == "普发类文件" and issuer == "市政府办公室":
            chars = self.rng.gauss(2600, 600)
        else:
            chars = self.rng.lognormvariate(7.5, 0.6)
        red = self.chance(0.75 if city else 0.2 if issuer == "部门内设机构" else 0.5)
        obj: Obj = {"type": "document", "id": ident, "kind": kind, "category": category, "issuer": issuer,
                    "external": self.chance(0.12 if issuer == "部门内设机构" else 0.6),
                    "header": "红头" if red else "白头", "char_count": max(200, round(chars)),
                    "issued_on": issued.isoformat()}
        if issuer == "市政府" and kind in ("请示", "报告") and self.chance(0.6):  # 盘锦 二
            obj["to_party_committee"] = True
            obj["approvals"] = self.rng.choices([["常务会议同意"], ["市长办公会议同意"], ["市长批准"], []], (45, 20, 20, 15))[0]
        return _compact(obj)

    # -- events --------------------------------------------------------------------------------

    def events(self, n: int) -> list[Obj]:
        """Accountability events, mostly for the habitually late units, each following the unit's
        history: 逾期未报结 for one of its late matters, then 通报批评, 整改不力, 约谈, 约谈无效果."""
        self.rng = self._stream("events")
        y = self.y
        late: dict[str, list[Track]] = {}
        for track in self.tracks:
            if track.late:
                late.setdefault(track.unit, []).append(track)
        history: dict[str, list[tuple[str, date, str | None]]] = {}
        weights = [(name, w * (3.0 if habit == "late" else 0.15)) for name, habit, w in UNITS]
        drawn: list[tuple[date, int, Obj]] = []
        for i in range(n):
            unit = self.pick(weights)
            past = history.setdefault(unit, [])
            kinds = [k for k, _, _ in past]
            options: list[tuple[str, float]] = [("逾期未报结", 5), ("弄虚作假", 0.15), ("严重后果", 0.15)]
            options += [("通报批评", 4)] if "逾期未报结" in kinds else []
            options += [("整改不力", 2)] if "通报批评" in kinds else []
            options += [("约谈", 2)] if kinds.count("通报批评") >= 2 or "整改不力" in kinds else []
            options += [("约谈无效果", 1.5)] if "约谈" in kinds else []
            kind = self.pick(options)
            matter: str | None = past[-1][2] if past else None
            last = max((d for _, d, _ in past), default=None)
            if kind == "逾期未报结" and late.get(unit):
                track = late[unit].pop(0)  # the unit's earliest late matter not yet reported
                latest = min(track.completed or y.last, y.add(track.due, 5))
                on, matter = self.day(y.add(track.due, 1), max(latest, y.add(track.due, 1))), track.id
            elif last is not None:
                on = y.add(last, self.rng.randint(5, 30))
            else:
                on = self.day(date(y.year, 3, 1), y.last)
            past.append((kind, on, matter))
            drawn.append((on, i, _compact({"type": "event", "id": "", "unit": unit, "on": on.isoformat(),
                                           "kind": kind, "matter": matter})))
        drawn.sort(key=lambda t: (t[0], t[1]))
        width = max(3, len(str(n)))
        return [{**obj, "id": f"WZ-{y.year}-{k:0{width}d}"} for k, (_, _, obj) in enumerate(drawn, 1)]


def _compact(obj: Obj) -> Obj:
    """Drop the fields left at their model default, as a sender would (the CSV keeps every column)."""
    fields = MODELS[obj["type"]].model_fields
    out: Obj = {}
    for key, value in obj.items():
        default = fields[key].default
        if key in ("type", "id") or (value != default and not (isinstance(value, list) and tuple(value) == default)):
            out[key] = value
    return out


def generate(seed: int, matters: int = 1000, meetings: int = 100, documents: int = 200, events: int = 50,
             year: int = 2026, *, pack: str = "jinan-2016-30", calendar: WorkCalendar | None = None) -> list[Obj]:
    """The ledger's objects (matters, then meetings, documents and events, each in date order) as
    interchange dicts. ``pack`` gives the deadlines completion is drawn against; ``calendar`` may
    add a year the built-in data lacks."""
    cal = calendar or WorkCalendar.default()
    first, last = cal.known_years
    if not first <= year <= last:
        raise ValueError(f"no holiday data for {year} (known years: {first}-{last}); supply the year with "
                         "--holiday-data FILE (in Python: calendar=WorkCalendar.default().with_year_file(FILE))")
    if min(matters, meetings, documents, events) < 0:
        raise ValueError("counts must not be negative")
    ledger = Ledger(seed, year, cal, compile_pack(bundled_pack(pack)))
    objects = ledger.matters(matters) + ledger.meetings(meetings) + ledger.documents(documents) + ledger.events(events)
    if objects:
        parse_objects(objects, "generated ledger")  # a failure here is a bug in this generator
    return objects


# -- output ------------------------------------------------------------------------------------

def to_json(objects: Sequence[Obj]) -> str:
    """A JSON array, one object a line (as examples/ledger.json)."""
    body = ",\n".join("  " + json.dumps(obj, ensure_ascii=False) for obj in objects)
    return f"[\n{body}\n]\n" if objects else "[]\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def to_csv(objects: Sequence[Obj]) -> str:
    """One row per object, a column per field of any model; an empty cell is a field left out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(obj.get(column)) for column in COLUMNS] for obj in objects)
    return out.getvalue()


def from_csv(text: str) -> list[Obj]:
    """The objects of ``to_csv`` text (or a CSV made to its description) as interchange dicts."""
    objects = []
    for row in csv.DictReader(io.StringIO(text)):
        obj: Obj = {}
        for key, cell in row.items():
            if cell == "":
                continue
            if key in JSON_FIELDS:
                obj[key] = json.loads(cell)
            elif key in BOOL_FIELDS:
                obj[key] = {"true": True, "false": False}[cell]
            elif key in INT_FIELDS:
                obj[key] = int(cell)
            else:
                obj[key] = cell
        objects.append(obj)
    return objects


def write_parquet(objects: Sequence[Obj], path: Path) -> None:
    """The CSV's table as parquet: booleans and counts typed, lists still JSON text, dates ISO text."""
    try:
        import pandas as pd  # type: ignore[import-untyped]  # the analysis extra
    except ImportError:
        raise SystemExit("generate_ledger: --format parquet needs pandas and pyarrow "
                         "(pip install -e '.[analysis]')") from None
    rows = [[None if obj.get(c) is None else _cell(obj[c]) if c in JSON_FIELDS else obj[c] for c in COLUMNS]
            for obj in objects]
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    frame = frame.astype({**{c: "boolean" for c in BOOL_FIELDS}, **{c: "Int64" for c in INT_FIELDS}})
    frame.to_parquet(path, index=False)


def _write(objects: list[Obj], path: str | None, fmt: str) -> None:
    if fmt == "parquet":
        if path is None:
            raise SystemExit("generate_ledger: --format parquet needs --out FILE")
        write_parquet(objects, Path(path))
        return
    text = to_csv(objects) if fmt == "csv" else to_json(objects)
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8", newline="")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a realistic synthetic 督查台账 (see examples/README.md).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--matters", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--out", help="output file (default: stdout)")
    parser.add_argument("--format", choices=("json", "csv", "parquet"),
                        help="default: from the --out suffix (.csv, .parquet), else json")
    parser.add_argument("--events-out", help="write the events to this file instead, so each file is what "
                        "`govrules evaluate` and `govrules accountability` read")
    parser.add_argument("--pack", default="jinan-2016-30", help="the pack whose deadlines completion is drawn against")
    parser.add_argument("--holiday-data", help="a holiday-data file for a year the built-in calendar lacks")
    args = parser.parse_args(argv)
    suffix = Path(args.out).suffix.lower() if args.out else ""
    fmt = args.format or {".csv": "csv", ".parquet": "parquet"}.get(suffix, "json")
    cal = WorkCalendar.default().with_year_file(args.holiday_data) if args.holiday_data else None
    try:
        objects = generate(args.seed, args.matters, args.meetings, args.documents, args.events, args.year,
                           pack=args.pack, calendar=cal)
    except ValueError as exc:
        parser.error(str(exc))
    counts = ", ".join(f"{sum(o['type'] == t for o in objects)} {t}s" for t in MODELS)
    if args.events_out:
        _write([o for o in objects if o["type"] == "event"], args.events_out, fmt)
        objects = [o for o in objects if o["type"] != "event"]
    _write(objects, args.out, fmt)
    print(f"generate_ledger: seed {args.seed}, {args.year}: {counts} -> {args.out or 'stdout'}"
          + (f" (events -> {args.events_out})" if args.events_out else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
