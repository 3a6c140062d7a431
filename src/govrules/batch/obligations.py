"""Recurring reports (周报, 季报, 月底报告, 日报) over whole columns: engine/obligations.py's walk
through the periods, done for every matter at once.

Each matter's periods from its assignment up to a little past as_of are laid out as one flat
grid (row, period); each period's window is matched against the matter's reports with two
binary searches in one sorted array of (row, day) keys; the walk's stopping point is the first
period that stops it (completion, or an unreported due on or after as_of). A matter whose walk
would need a year without holiday data, or more periods than the grid holds, is left to the
reference evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Dates, Days, Index, Lists, Mask, Table
from govrules.batch.days import NAT, DayIndex
from govrules.batch.masks import Masks
from govrules.batch.slots import KIND, STATUS, Slot
from govrules.semantics.compiled import CompiledPack
from govrules.semantics.findings import kind_of_breach
from govrules.semantics.obligations import MAX_OCCURRENCES
from govrules.packs.schema import ObligationRule

# Periods walked past as_of (or the completion before it): the walk stops at the first unreported
# due on or after as_of, and at most one such due can be reported (reports are not after as_of),
# so two periods suffice; it stops at completion in the period completion falls in. One more,
# and a month of days for 日报, absorbs weeks without a working day and long holidays.
MARGIN_PERIODS, MARGIN_DAYS = 3, 31
MAX_CELLS = 20_000_000  # a grid this large is left to the reference, a row at a time
# A row without reports lays out its first periods (enough that one yields: a week without a
# working day yields none, nor does a day off, and Spring Festival is up to 9 days off) and its
# last ones (the stop lies within two periods before ``until``, a quarter's grace days, and the
# margin after it): (head, tail) per kind of period.
SPARSE = {"day": (16, MARGIN_DAYS + 3), "week": (3, MARGIN_PERIODS + 3), "month": (3, MARGIN_PERIODS + 3),
          "quarter": (3, MARGIN_PERIODS + 3)}
_NONE = np.iinfo(np.int64).max


@dataclass
class Walk:
    """One rule's state for its rows (engine.obligations.ObligationState)."""

    rows: Index  # the table rows the rule applies to
    first_missed: Days  # NaT: none missed
    next_due: Days  # NaT: none
    unresolved: Mask  # left to the reference


@dataclass
class ObligationRun:
    slots: list[Slot]  # per rule: the missed reports, then the next one
    first_due: Days  # what stands in for the deadline of a matter without a deadline rule
    worst: npt.NDArray[np.int8]  # status code, -1 none
    done_instead: Mask  # no due stands in and the matter is done: (completed_on, done)
    touched: list[Days]
    needs_reference: Mask


def _periods(rule: ObligationRule, start: Days, until: Days) -> tuple[Index, Days]:
    """(iterations per row, first period's start). Iterations are the reference generator's
    (at most MAX_OCCURRENCES; a week without a working day is one that yields nothing) up to
    a few periods past ``until``: as_of, or the completion before it (where the walk stops)."""
    if rule.every == "day":
        first = start + (1 if rule.first_period == "next" else 0)
        count = (until + MARGIN_DAYS - first).astype(np.int64) + 1
    elif rule.every == "week":
        weekday = (start.view(np.int64) + 3) % 7  # Monday 0; 1970-01-01 was a Thursday
        first = start - weekday + (7 if rule.first_period == "next" else 0)
        count = (until + 7 * MARGIN_PERIODS - first).astype(np.int64) // 7 + 1
    else:
        months = 3 if rule.every == "quarter" else 1
        month = start.astype("datetime64[M]").view(np.int64)  # months since 1970-01, a quarter's start
        first_month = month - month % months + (months if rule.first_period == "next" else 0)
        first = first_month.astype("datetime64[M]").astype("datetime64[D]")
        last_month = until.astype("datetime64[M]").astype(np.int64) + months * MARGIN_PERIODS
        count = (last_month - first_month) // months + 1
    return np.clip(count, 1, MAX_OCCURRENCES), first


class _Grid:
    """Every (row, iteration) of the walk, flat: period start, end, due, whether the iteration
    yields a period (a week without a working day does not) and whether the calendar failed."""

    def __init__(self, rule: ObligationRule, start: Days, until: Days, days: DayIndex, sparse: Mask) -> None:
        self.count, first = _periods(rule, start, until)  # the reference's iterations
        # A row with no report to match (``sparse``) needs only its first periods (the first
        # missed) and its last ones (where the walk stops, near ``until``): the periods between
        # are all missed or all before the stop, and within the calendar if both ends are.
        head, tail = SPARSE[rule.every]
        skipped = np.where(sparse, np.maximum(self.count - head - tail, 0), 0)
        self.iterations = self.count - skipped  # laid out per row
        self.too_long = np.zeros(len(start), dtype=bool)
        if int(self.iterations.sum()) > MAX_CELLS:  # the longest walks go to the reference
            ranked = np.sort(self.iterations)[::-1]
            keep_below = ranked[np.searchsorted(-np.cumsum(ranked), -MAX_CELLS)]
            self.too_long = self.iterations >= keep_below
            self.iterations = np.where(self.too_long, 1, self.iterations)
        self.offsets = np.concatenate(([0], np.cumsum(self.iterations))).astype(np.int64)
        total = int(self.offsets[-1])
        self.row = np.repeat(np.arange(len(start), dtype=np.int64), self.iterations)
        rank = np.arange(total, dtype=np.int64) - self.offsets[:-1][self.row]
        self.k = np.where(rank >= head, rank + skipped[self.row], rank)  # the period's number
        base = first[self.row]
        if rule.every == "day":
            self.start = base + self.k
            self.end = self.start
            working, missing = days.is_workday(self.start)
            self.due = np.where(working, self.start, NAT)
        elif rule.every == "week":
            self.start = base + 7 * self.k
            self.end = self.start + 6
            last, missing = days.roll_back(self.end)
            missing |= days.outside(self.start)  # week_last_workday checks its Monday first
            self.due = np.where(last >= self.start, last, NAT)
        else:
            months = 3 if rule.every == "quarter" else 1
            month = base.astype("datetime64[M]") + months * self.k
            self.start = month.astype("datetime64[D]")
            self.end = (month + months).astype("datetime64[D]") - 1
            if rule.every == "quarter" and rule.days_after_period_end is not None:
                self.due, missing = days.add_days(self.end, rule.days_after_period_end)
            else:  # 每月底 / 一季一…: the period's last working day
                self.due, missing = days.roll_back(self.end)
        self.missing = missing
        self.yields = ~np.isnat(self.due) & ~missing


def _first_where(flag: Mask, row: Index, rows: int) -> Index:
    """Per row, the first flat position where flag holds (_NONE if none). The flat arrays are in
    row order, so the first of a row is where the row changes among the flagged positions."""
    out = np.full(rows, _NONE, dtype=np.int64)
    at = np.flatnonzero(flag)
    owner = row[at]
    first = np.ones(len(at), dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    out[owner[first]] = at[first]
    return out


def _reported(occ_row: Index, lo: Days, due: Days, reports: Lists, rows: Index, as_of: np.datetime64) -> Mask:
    """Whether a report (on or before as_of) falls in [lo, due] of each period, the reference's
    bisect for all periods at once. A row's windows are disjoint and in order, so each report can
    only be in the first period whose due is not before it: one search per report."""
    assert isinstance(reports.items, Dates)
    found = np.zeros(len(due), dtype=bool)
    if not len(due):
        return found
    local = np.full(len(reports.offsets) - 1, -1, dtype=np.int64)
    local[rows] = np.arange(len(rows))
    owner = local[reports.owner()]
    keep = (owner >= 0) & (reports.items.values <= as_of)
    span = np.int64(1 << 22)  # days since 1970 of 1900-2200 and the walk's margin are within ±2**21
    report_row, report_day = owner[keep], reports.items.values[keep]
    period_keys = occ_row * span + due.view(np.int64) + span // 2  # ascending: rows, then dues
    at = np.searchsorted(period_keys, report_row * span + report_day.view(np.int64) + span // 2, side="left")
    inside = at < len(period_keys)
    at = np.where(inside, at, 0)
    inside &= (occ_row[at] == report_row) & (lo[at] <= report_day)
    found[at[inside]] = True
    return found


def _pad(values: npt.NDArray[Any], fill: object) -> npt.NDArray[Any]:
    """The array and one more entry, so that 'none' can be read at index len(values)."""
    return np.concatenate((values, np.array([fill], dtype=values.dtype)))


def walk(rule: ObligationRule, table: Table, rows: Index, as_of: np.datetime64, days: DayIndex) -> Walk:
    """engine.obligations.obligation_state for the given rows of the table."""
    assigned, completed = table.columns["assigned_on"], table.columns["completed_on"]
    assert isinstance(assigned, Dates) and isinstance(completed, Dates)
    start, m = assigned.values[rows], len(rows)
    done = np.where(completed.values[rows] <= as_of, completed.values[rows], NAT)
    reports = table.columns["reports"]
    assert isinstance(reports, Lists) and isinstance(reports.items, Dates)
    # no report on or before as_of (earliest NaT: none), or none that counts
    unreported = ~(reports.earliest[rows] <= as_of) if rule.reports_required else np.ones(m, dtype=bool)
    # a completed matter's walk stops at the period its completion falls in: no need to lay out more
    grid = _Grid(rule, start, np.where(np.isnat(done), as_of, done), days, unreported)
    occ = np.flatnonzero(grid.yields)
    row, due = grid.row[occ], grid.due[occ]
    done_stop = grid.end[occ] >= done[row]  # NaT compares false
    if rule.reports_required:
        # a window opens the day after the previous period's due (at assignment for the first),
        # and never before its period begins
        same_row = np.concatenate(([False], row[1:] == row[:-1]))
        previous = np.concatenate(([NAT], due[:-1]))
        lo = np.maximum(np.where(same_row, previous + 1, start[row]), grid.start[occ])
        reported = _reported(row, lo, due, reports, rows, as_of)
        next_stop = (due >= as_of) & ~reported
    else:
        reported = np.zeros(len(occ), dtype=bool)
        next_stop = due >= as_of
    # the walk ends at the first period it stops at: completion, or an unreported due from as_of on
    stop = _first_where(done_stop | next_stop, row, m)
    found = stop != _NONE
    at = np.where(found, stop, len(occ))  # (the arrays padded with one entry read there when not found)
    upcoming = np.where(found & ~_pad(done_stop, True)[at], _pad(due, NAT)[at], NAT)
    # a schedule only (reports_required: false) is never missed
    missed = (due < as_of) & ~reported & (np.arange(len(occ)) < np.where(found, stop, _NONE)[row]) & rule.reports_required
    first = _first_where(missed, row, m)
    first_missed = _pad(due, NAT)[np.where(first != _NONE, first, len(occ))]
    # the reference computed every iteration up to the stop (all of them if none): a calendar
    # failure among those is its to raise; no stop before the grid's end is its to walk on
    reached = np.where(found, _pad(grid.k[occ], 0)[at], grid.count - 1)
    failed = _first_where(grid.missing, grid.row, m)
    failed_k = np.where(failed != _NONE, np.concatenate((grid.k, [0]))[np.minimum(failed, len(grid.k))], _NONE)
    unresolved = (failed_k <= reached) | (~found & (grid.count < MAX_OCCURRENCES)) | grid.too_long
    return Walk(rows, first_missed, upcoming, unresolved)


def matter_obligations(table: Table, masks: Masks, cp: CompiledPack, as_of: np.datetime64, days: DayIndex,
                       codes: dict[str, int], warning: int) -> ObligationRun:
    """_MatterRun.obligations: per rule a missed finding and a next finding; the earliest missed
    or the next due stands in for a deadline (status overdue, 临期 or 办理中)."""
    n = len(table)
    first_due, worst = np.full(n, NAT), np.full(n, -1, dtype=np.int8)
    owed, needs_reference = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    slots: list[Slot] = []
    touched: list[Days] = []
    for active in cp.obligations:
        rule = active.rule
        assert isinstance(rule, ObligationRule)
        applies = masks.of(rule.when)
        owed |= applies & rule.reports_required
        rows = np.flatnonzero(applies)
        if not len(rows):
            continue  # (no slot: a rule that applies to nothing finds nothing)
        state = walk(rule, table, rows, as_of, days)
        needs_reference[rows] |= state.unresolved
        missed, upcoming = np.full(n, NAT), np.full(n, NAT)
        missed[rows], upcoming[rows] = state.first_missed, state.next_due
        code = np.full(n, codes[active.full_id], dtype=np.int16)
        breach = KIND[kind_of_breach(rule.force)]
        slots.append(Slot(~np.isnat(missed), code, np.full(n, breach, dtype=np.int8), missed))
        slots.append(Slot(~np.isnat(upcoming), code, np.full(n, KIND["obligation"], dtype=np.int8), upcoming,
                          new_rule=np.isnat(missed)))  # the rule is new in the row unless it missed
        touched += [missed, upcoming]
        had_missed = ~np.isnat(missed)
        first_due = np.where(had_missed, missed, first_due)
        worst = np.where(had_missed, STATUS["overdue"], worst)
        if rule.reports_required:
            fresh = np.flatnonzero(~np.isnat(upcoming) & (worst < 0))
            remaining, missing = days.workdays_from(as_of, upcoming[fresh])
            needs_reference[fresh] |= missing
            worst[fresh] = np.where(remaining <= warning, STATUS["due_soon"], STATUS["on_track"])
            first_due[fresh] = upcoming[fresh]
    completed = table.columns["completed_on"]
    assert isinstance(completed, Dates)
    done_instead = np.isnat(first_due) & (completed.values <= as_of) & owed
    return ObligationRun(slots, first_due, worst, done_instead, touched, needs_reference)
