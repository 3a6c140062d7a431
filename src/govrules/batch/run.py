"""One case type's rows through the vector path, and which rows it leaves to the reference.

A row goes to the reference evaluator when something applies to it that the vector path does
not compute (a quota, a 字数 count of a text, a condition the masks do not compile), when a
calendar step could not answer for it (a year without holiday data: the reference then raises
for that row exactly as ``evaluate`` does), or when its recurring-report walk did not end within
the periods laid out for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from govrules.batch.checks import apply_checks
from govrules.calendar.day_tables import beyond_known
from govrules.batch.columns import Dates, Days, Mask, Table
from govrules.batch.days import NAT, DayIndex
from govrules.batch.deadlines import matter_deadlines
from govrules.batch.masks import Masks, Unsupported
from govrules.batch.obligations import matter_obligations
from govrules.batch.schema import CASE_DATE
from govrules.semantics.status import STATUSES
from govrules.batch.slots import STATUS, Slot
from govrules.semantics.compiled import CompiledPack, in_force_bounds
from govrules.semantics.status import reports_stand_in
from govrules.engine.options import Options

# Why a row took the path it took: the output's `path` column.
PATHS = ("vector", "reference: recurring reports", "reference: quota", "reference: 字数 of a text",
         "reference: calendar year unknown", "reference: condition not compiled")
OBLIGATION, QUOTA, TEXT, CALENDAR, CONDITION = 1, 2, 3, 4, 5


@dataclass
class TableRun:
    deadline: Days
    status: npt.NDArray[np.int8]
    provisional: Mask
    slots: list[Slot]  # the vector rows' findings (reference rows are absent from them)
    path: npt.NDArray[np.int8]  # index into PATHS

    @property
    def reference(self) -> Mask:
        return self.path > 0


def _route(path: npt.NDArray[np.int8], rows: Mask, why: int) -> None:
    """Send rows to the reference; the first reason found is the one reported."""
    path[rows & (path == 0)] = why


def in_force(cp: CompiledPack, day: Days) -> Mask:
    """CompiledPack.in_force_on over a column: the same bounds (a missing date is not in force)."""
    bounds = in_force_bounds(cp.pack.validity)
    if bounds is None:
        return np.zeros(len(day), dtype=bool)
    start, until = bounds
    ok = day >= np.datetime64(start, "D")
    if until is not None:
        ok &= day < np.datetime64(until, "D")
    return ok


def _provisional(days: DayIndex, touched: list[Days], path: npt.NDArray[np.int8]) -> Mask:
    """``touches_provisional(min(touched), max(touched))``, or, where those dates are outside the
    calendar (it would raise), a row for the reference."""
    cal = days.calendar
    if not cal.provisional_years:
        return np.zeros(len(path), dtype=bool)
    stacked = np.stack(touched)
    lo = np.where(np.isnat(stacked), np.datetime64("9999-12-31"), stacked).min(axis=0)
    hi = np.where(np.isnat(stacked), np.datetime64("0001-01-01"), stacked).max(axis=0)
    _route(path, days.outside(lo) | days.outside(hi), CALENDAR)
    out: Mask = beyond_known(lo, hi, cal.known_years)
    return out


def quota_rows(cp: CompiledPack, table: Table, masks: Masks | None = None) -> Mask:
    """Rows some quota may count (all of them where a condition does not compile)."""
    masks = masks if masks is not None else Masks(table)
    out = np.zeros(len(table), dtype=bool)
    for active in cp.quotas:
        if active.rule.applies_to == table.case_type:  # type: ignore[union-attr]
            try:
                out |= masks.of(active.rule.when)  # type: ignore[union-attr]
            except Unsupported:
                out[:] = True
    return out


# status.reports_stand_in as a table: [has_rule, the rule's status code + 1, the reports' code + 1] (0: none)
_CODES = [None, *STATUSES]
_STAND_IN = np.array([[[reports_stand_in(bool(rule), mine, theirs) for theirs in _CODES] for mine in _CODES]
                      for rule in (0, 1)], dtype=bool)


def _matter(table: Table, masks: Masks, cp: CompiledPack, day: np.datetime64, days: DayIndex, codes: dict[str, int],
            options: Options, path: npt.NDArray[np.int8], touched: list[Days]) -> tuple[Days, npt.NDArray[np.int8], list[Slot]]:
    """_MatterRun.run: the deadline rule's deadline and status, or else (no rule, or a progress
    reply met the rule's limit) the recurring reports'."""
    matter = matter_deadlines(table, masks, cp, day, days, codes, options.warning_workdays)
    _route(path, matter.needs_reference, CALENDAR)
    reports = matter_obligations(table, masks, cp, day, days, codes, options.warning_workdays)
    _route(path, reports.needs_reference, OBLIGATION)
    touched += [*matter.touched, *reports.touched]  # the rule's due too where a reply met it
    completed = table.columns["completed_on"]
    assert isinstance(completed, Dates)
    # the reports' answer: their earliest missed or next due and its status, or done at completion
    own_due = np.where(reports.done_instead, completed.values, reports.first_due)
    own_status = np.where(reports.done_instead, STATUS["done"], reports.worst).astype(np.int8)
    instead = _STAND_IN[matter.has_rule.astype(np.int64), matter.status.astype(np.int64) + 1, own_status.astype(np.int64) + 1]
    deadline = np.where(instead, own_due, matter.deadline)
    status = np.where(instead, own_status, matter.status).astype(np.int8)
    return deadline, status, matter.slots + reports.slots


def run_table(table: Table, cp: CompiledPack, as_of: date, options: Options, codes: dict[str, int]) -> TableRun:
    n = len(table)
    days = DayIndex.of(options.work_calendar())
    day = np.datetime64(as_of, "D")
    masks = Masks(table)
    case_day = table.columns[CASE_DATE[table.case_type]]  # type: ignore[index]
    assert isinstance(case_day, Dates)
    path = np.zeros(n, dtype=np.int8)
    deadline: Days = np.full(n, NAT)
    status = np.full(n, -1, dtype=np.int8)
    touched = [case_day.values, np.full(n, day)]
    slots: list[Slot] = []
    try:
        _route(path, quota_rows(cp, table, masks), QUOTA)
        if table.case_type == "matter":
            deadline, status, slots = _matter(table, masks, cp, day, days, codes, options, path, touched)
        checked = apply_checks(table, masks, cp, day, days, codes)
        slots += checked.slots
        _route(path, checked.needs_text, TEXT)
        _route(path, checked.needs_calendar, CALENDAR)
    except Unsupported:
        path[:], slots = CONDITION, []
    provisional = _provisional(days, touched, path)
    vector = path == 0
    slots = [replace(s, present=s.present & vector) for s in slots]  # the reference gives the others'
    return TableRun(deadline, status, provisional, slots, path)
