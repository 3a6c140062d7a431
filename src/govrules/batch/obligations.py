"""Recurring reports (周报, 季报, 月底报告, 日报) over whole columns: the reference's closed form
(semantics/obligations.py) for every matter at once, from the same rules (the periods, dues,
and report windows of semantics/report_periods.py, on the calendar's vector face).

Per rule and its rows: each report's period, by arithmetic and the window rule, kept as
deduplicated (row, period) keys; the next due, by looking at the period holding as_of and a few
after it; the first missed due, the first owed period in the first gap the counted periods leave
below the stop. The cost grows with the rows and their reports, not with the periods since the
assignment. A row whose answer needs a year without holiday data, or more periods ahead than the
look-ahead holds, is left to the reference evaluator (``Walk.unresolved``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Dates, Days, Index, Lists, Mask, Table
from govrules.batch.days import NAT, DayIndex
from govrules.batch.masks import Masks
from govrules.batch.slots import KIND, STATUS, Slot
from govrules.calendar.vectors import DayVectors
from govrules.packs.schema import ObligationRule
from govrules.semantics.compiled import CompiledPack
from govrules.semantics.findings import kind_of_breach
from govrules.semantics.report_periods import (GRACE_REACH, MAX_OCCURRENCES, Numbering, VectorDays, counts_within,
                                               due_on, first_due_not_before, first_owing)

# Periods looked at from the one holding as_of (or, with grace days, the first whose due is not
# before it) for the next due: of those due on or after as_of at most one is reported (reports are
# not after as_of); the rest absorb periods that owe nothing (days off: Spring Festival is up to
# 9 or 10 in a row; a week without a working day).
LOOK_AHEAD: Final = {"day": 24, "week": 4, "month": 3, "quarter": 3 + GRACE_REACH}
_W: Final = MAX_OCCURRENCES + 1  # a (row, period) key is row * _W + period
_NONE: Final = np.iinfo(np.int64).max


@dataclass
class Walk:
    """One rule's state for its rows (semantics.obligations.ObligationState)."""

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


def _due(rule: ObligationRule, numbering: Numbering, k: Index, days: DayVectors) -> tuple[Days, Mask]:
    """Period k's due per row (NaT: owes none), and the rows whose due needs an unknown year."""
    face = VectorDays(days)
    begin, end = numbering.span(k)
    due = due_on(face, rule, face.day(begin), face.day(end))
    return due, np.broadcast_to(face.missing, due.shape)


def _has(keys: Index, wanted: Index) -> Mask:
    """Whether each wanted (row, period) key is among the sorted keys."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found: Mask = keys[at] == wanted
    return found


def _counted(rule: ObligationRule, numbering: Numbering, start: Days, limit: Index, reports: Lists, rows: Index,
             as_of: np.datetime64, days: DayVectors) -> Index:
    """The sorted (row, period) keys of the periods below each row's limit that a report counts
    for (report_periods: within its period without grace days, else the first whose due is not
    before it). A report whose period needs an unknown year counts for none: the walk stops at
    that period, and such a row is left to the reference when it matters."""
    assert isinstance(reports.items, Dates)
    local = np.full(len(reports.offsets) - 1, -1, dtype=np.int64)
    local[rows] = np.arange(len(rows))
    owner, day = local[reports.owner()], reports.items.values
    # the rule's rows' reports up to as_of (one before the assignment is refused on reading);
    # (start[-1] for another row's report is read, and discarded by the first test)
    keep = np.flatnonzero((owner >= 0) & (day <= as_of) & (day >= start[owner]))
    owner, day = owner[keep], day[keep]
    face, by_row = VectorDays(days), numbering.at(owner)
    j = by_row.index(face.ordinal(day))
    if rule.days_after_period_end is None:
        k, counts = j, counts_within(face, day, face.day(by_row.end(j)))
    else:
        def due_of(p: Index) -> Days:
            return _due(rule, by_row, p, days)[0]
        k, counts = first_due_not_before(face, due_of, day, np.clip(j, 0, limit[owner])), True
    counts = counts & (j >= 0) & (k < limit[owner])
    keys = np.sort(owner[counts] * _W + k[counts], kind="stable")  # (nearly sorted already, row by row: timsort's case)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys


def _next(rule: ObligationRule, numbering: Numbering, limit: Index, keys: Index, as_of: np.datetime64,
          rows: Index, days: DayVectors) -> tuple[Index, Days, Mask]:
    """(the next period per row, -1 none; its due; the rows left to the reference): the first period
    below the limit, from the one as_of falls in, owing a report due on or after as_of that none
    counts for; within LOOK_AHEAD periods, or the row is the reference's to walk."""
    m = len(limit)
    next_k, next_due, unresolved = np.full(m, -1, dtype=np.int64), np.full(m, NAT), np.zeros(m, dtype=bool)
    face = VectorDays(days)
    today = face.ordinal(as_of)
    k = np.clip(numbering.at(rows).index(today), 0, limit[rows])  # earlier periods' dues are before as_of
    if rule.days_after_period_end is not None:  # ... but with grace days, up to GRACE_REACH earlier ones'
        part = numbering.at(rows)

        def due_of(p: Index) -> Days:
            return _due(rule, part, p, days)[0]
        k = first_due_not_before(face, due_of, as_of, k)
    for _ in range(LOOK_AHEAD[rule.every]):
        going = k < limit[rows]
        rows, k = rows[going], k[going]
        if not len(rows):
            break
        due, missing = _due(rule, numbering.at(rows), k, days)
        unresolved[rows[missing]] = True  # the walk meets a year without holiday data first
        hit = ~missing & (due >= as_of)
        if len(keys):
            hit &= ~_has(keys, rows * _W + k)
        next_k[rows[hit]], next_due[rows[hit]] = k[hit], due[hit]
        on = ~missing & ~hit
        rows, k = rows[on], k[on] + 1
    unresolved[rows[k < limit[rows]]] = True  # looked far enough ahead without an answer
    return next_k, next_due, unresolved


def _first_missed(numbering: Numbering, keys: Index, stop: Index, rows: Index, days: DayVectors) -> tuple[Index, Mask]:
    """(per row, the first owed period below its stop that no report counts for, _NONE if none; the
    rows left to the reference). Such a period is the first owed one of a gap between counted
    periods: before the first, or after one up to the next (or the stop)."""
    m = len(stop)
    key_row, key_k = keys // _W, keys % _W
    stays = np.zeros(m, dtype=bool)
    stays[rows] = True
    keep = stays[key_row] & (key_k < stop[key_row])
    key_row, key_k = key_row[keep], key_k[keep]
    # each row's first gap: from period 0 to its first counted period (or the stop)
    first_at = np.searchsorted(key_row, rows)
    clipped = np.minimum(first_at, max(len(key_row) - 1, 0))
    has = (first_at < len(key_row)) & (key_row[clipped] == rows) if len(key_row) else np.zeros(len(rows), dtype=bool)
    head_end = np.where(has, key_k[clipped] if len(key_row) else 0, stop[rows])
    # the gap after each counted period: to the row's next counted period, or its stop
    same = np.zeros(len(key_row), dtype=bool)
    same[:-1] = key_row[1:] == key_row[:-1]
    after_end = np.where(same, np.roll(key_k, -1), stop[key_row])
    owner = np.concatenate((rows, key_row))
    begin = np.concatenate((np.zeros(len(rows), dtype=np.int64), key_k + 1))
    end = np.concatenate((head_end, after_end))
    gaps = np.flatnonzero(begin < end)  # (most are empty: a period reported after a reported one)
    owner, begin, end = owner[gaps], begin[gaps], end[gaps]
    face = VectorDays(days)
    found = first_owing(face, numbering.at(owner), begin)
    missing = np.broadcast_to(face.missing, begin.shape)
    unresolved = np.zeros(m, dtype=bool)
    unresolved[owner[missing]] = True  # no working day is known from the gap on: the reference's
    ok = ~missing & (found < end)
    first = np.full(m, _NONE, dtype=np.int64)
    np.minimum.at(first, owner[ok], found[ok])  # (the gaps are disjoint and in order)
    return first, unresolved


def walk(rule: ObligationRule, table: Table, rows: Index, as_of: np.datetime64, days: DayIndex) -> Walk:
    """semantics.obligations.obligation_state for the given rows of the table."""
    assigned, completed = table.columns["assigned_on"], table.columns["completed_on"]
    reports = table.columns["reports"]
    assert isinstance(assigned, Dates) and isinstance(completed, Dates) and isinstance(reports, Lists)
    m = len(rows)
    if not m:
        return Walk(rows, np.full(0, NAT), np.full(0, NAT), np.zeros(0, dtype=bool))
    start, finished = assigned.values[rows], completed.values[rows]
    numbering = Numbering(rule, VectorDays.ordinal(start))
    # periods from ``limit`` on end on or after completion (or lie past the walk's bound): not owed
    limit = np.full(m, MAX_OCCURRENCES, dtype=np.int64)
    done = np.flatnonzero(finished <= as_of)
    limit[done] = np.clip(numbering.at(done).index(VectorDays.ordinal(finished[done])), 0, MAX_OCCURRENCES)
    live = np.flatnonzero(limit > 0)
    # the first period's due must be known (the reference says "unknown" from there)
    unresolved = np.zeros(m, dtype=bool)
    unresolved[live] = _due(rule, numbering.at(live), np.zeros(len(live), dtype=np.int64), days)[1]
    keys = np.zeros(0, dtype=np.int64)
    if rule.reports_required:
        keys = _counted(rule, numbering, start, limit, reports, rows, as_of, days)
    live = live[~unresolved[live]]
    next_k, next_due, unknown = _next(rule, numbering, limit, keys, as_of, live, days)
    unresolved |= unknown
    stop = np.where(next_k >= 0, next_k, limit)
    # a due known at the stop (or the period before it) means all before are: unknown years lie past the known ones
    ends = live[(next_k[live] < 0) & ~unresolved[live]]
    unresolved[ends] |= _due(rule, numbering.at(ends), stop[ends] - 1, days)[1]
    first_missed = np.full(m, NAT)
    if rule.reports_required:
        live = live[~unresolved[live]]
        first, unknown = _first_missed(numbering, keys, stop, live, days)
        unresolved |= unknown
        at = np.flatnonzero((first != _NONE) & ~unresolved)
        first_missed[at], missing = _due(rule, numbering.at(at), first[at], days)
        unresolved[at] |= missing
    next_due = np.where(unresolved, NAT, next_due)
    return Walk(rows, np.where(unresolved, NAT, first_missed), next_due, unresolved)


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
