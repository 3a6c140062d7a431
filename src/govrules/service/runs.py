"""What each operation computes, as the CLI does: which packs, which readings, which objects.

Named packs apply to every object (and refuse one outside their time in force unless
allow_not_in_force); the default, every bundled pack, applies each pack only where it was in
force and reports the objects left out, so a partial answer is never passed off as the whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from govrules.calendar import WorkCalendar
from govrules.engine import CompiledPack, Options, accountability, compile_pack, evaluate_all
from govrules.engine.evaluate import UnknownDeadline, case_date
from govrules.semantics.findings import Case
from govrules.semantics.results import Evaluation, UnitAccountability
from govrules.errors import GovrulesError, HolidayDataMissing, excerpt
from govrules.models import Event
from govrules.packs.readings import ReadingChoiceError, choose_readings
from govrules.packs.schema import Pack
from govrules.service.errors import ApiError, from_govrules
from govrules.service.params import Query

T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """The choices of one request that every pack shares."""

    packs: list[Pack]
    named: bool  # packs were named, so they apply to every object
    choices: dict[str, dict[str, str]]
    options: Options


@dataclass
class Outcome:
    results: list[Evaluation] | list[UnitAccountability]
    # pack id -> (objects left out, objects given): packs applied only where in force
    not_applied: dict[str, tuple[int, int]] = field(default_factory=dict)

    def unanswered(self) -> str | None:
        """UNANSWERED/GIVEN where some answers have status "unknown" (a year without holiday data)."""
        count = sum(isinstance(r, Evaluation) and r.status == "unknown" for r in self.results)
        return f"{count}/{len(self.results)}" if count else None

    def header(self) -> str | None:
        parts = [f"{pack}={n}/{total}" for pack, (n, total) in self.not_applied.items() if n]
        return ", ".join(parts) or None


def select_packs(bundled: Mapping[str, Pack], names: Sequence[str]) -> list[Pack]:
    """The packs named (a pack named twice is evaluated once, where first named), or every bundled pack."""
    for name in names:
        if name not in bundled:
            raise ApiError(404, "unknown_pack", f"no bundled pack {excerpt(name)}; bundled packs: {', '.join(bundled)}", "query.pack")
    return [bundled[n] for n in dict.fromkeys(names)] if names else list(bundled.values())


def choices(packs: Sequence[Pack], items: Sequence[str]) -> dict[str, dict[str, str]]:
    """``[PACK:]ID=OPTION`` per pack, as the CLI's --interpretation (govrules.packs.readings)."""
    try:
        return choose_readings(packs, items)
    except ReadingChoiceError as exc:
        raise ApiError(422, "unknown_interpretation", f"interpretation {exc}", "query.interpretation") from None


def prepare(bundled: Mapping[str, Pack], calendar: WorkCalendar, q: Query) -> Run:
    packs = select_packs(bundled, q.texts("pack"))
    cal = calendar.provisional() if q.flag("provisional") else calendar
    options = Options(warning_workdays=q.integer("warning_days"), allow_not_in_force=q.flag("allow_not_in_force"), calendar=cal)
    return Run(packs, bool(q.texts("pack")), choices(packs, q.texts("interpretation")), options)


def _in_force(run: Run, cp: CompiledPack, items: list[T], day_of: Callable[[T], date]) -> list[T]:
    if run.named or run.options.allow_not_in_force:
        return items
    return [item for item in items if cp.in_force_on(day_of(item))[0]]


def _holiday_where(cal: WorkCalendar, dates: Sequence[tuple[str, date | None]], default: str) -> str:
    """The first parameter in a year without holiday data, if one is; else the objects. (The
    error names the first unknown year the count reached, which may lie before ``as_of``.)"""
    first, last = cal.known_years
    return next((name for name, d in dates if d is not None and not first <= d.year <= last), default)


def _guarded(run: Run, work: Callable[[], Outcome], dates: Sequence[tuple[str, date | None]], where: str) -> Outcome:
    try:
        return work()
    except HolidayDataMissing as exc:
        raise from_govrules(exc, _holiday_where(run.options.work_calendar(), dates, where)) from None
    except GovrulesError as exc:
        raise from_govrules(exc, where) from None
    except (OverflowError, ValueError) as exc:
        # the engine's date arithmetic past year 9999 (OverflowError, dateutil's ValueError); the
        # CLI too reports a ValueError as bad input
        raise ApiError(422, "invalid_input", f"a date computed from the input is out of range ({exc})", where) from None


def run_evaluate(run: Run, cases: list[Case], as_of: date, dates: Sequence[tuple[str, date | None]], where: str,
                 unknown_deadline: UnknownDeadline = "report") -> Outcome:
    """``dates``: the request's own dates, to name the one whose year lacks holiday data. A posted
    ledger answers a case whose deadline needs an unknown year with status "unknown"; the one
    matter of /deadline is refused instead (``unknown_deadline="raise"``)."""
    def work() -> Outcome:
        out = Outcome([])
        results: list[Evaluation] = []
        for pack in run.packs:
            cp = compile_pack(pack, run.choices[pack.id])
            mine = _in_force(run, cp, cases, case_date)
            out.not_applied[pack.id] = (len(cases) - len(mine), len(cases))
            results += evaluate_all(mine, as_of, cp, run.options, unknown_deadline=unknown_deadline)
        out.results = results
        return out

    return _guarded(run, work, dates, where)


def run_accountability(run: Run, events: list[Event], as_of: date) -> Outcome:
    def work() -> Outcome:
        out = Outcome([])
        results: list[UnitAccountability] = []
        for pack in run.packs:
            cp = compile_pack(pack, run.choices[pack.id])
            mine = _in_force(run, cp, events, lambda e: e.on)
            out.not_applied[pack.id] = (len(events) - len(mine), len(events))
            if mine:
                results += accountability(mine, as_of, cp, run.options)
        out.results = results
        return out

    return _guarded(run, work, [("query.as_of", as_of)], "body")
