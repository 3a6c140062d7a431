"""Limits, requirements, prohibitions and deemed outcomes over whole columns (engine/checks.py).

One slot per rule, in the pack's order. A 字数 limit on a document that gives its ``text`` needs
count_chars, a Python function: those rows are left to the reference evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govrules.batch.columns import Counts, Dates, Days, Mask, Table, Texts
from govrules.batch.days import NAT, DayIndex
from govrules.batch.deadlines import period_end
from govrules.batch.masks import Masks
from govrules.batch.slots import Slot, constant_slot
from govrules.semantics.compiled import CompiledPack
from govrules.semantics.findings import kind_of_breach
from govrules.packs.schema import CheckRule, DeemedRule, LimitRule


@dataclass
class CheckRun:
    slots: list[Slot]
    needs_text: Mask  # a 字数 limit applies and the text is given
    needs_calendar: Mask  # a deemed period reaches a year without holiday data


def _dates(table: Table, name: str) -> Dates:
    col = table.columns[name]
    assert isinstance(col, Dates)
    return col


def _limit(table: Table, rule: LimitRule, applies: Mask, needs_text: Mask) -> Mask:
    """Rows over the limit; engine.checks._measure says which measure a case type has."""
    if rule.measure == "attendees" and table.case_type == "meeting":
        value = table.columns["attendees"]
    elif rule.measure == "chars" and table.case_type == "document":
        text = table.columns["text"]
        assert isinstance(text, Texts)
        needs_text |= applies & ~text.null()
        value = table.columns["char_count"]
    else:
        return np.zeros(len(table), dtype=bool)
    assert isinstance(value, Counts)
    return applies & ~value.missing & (value.values > rule.max)


def _deemed(table: Table, rule: DeemedRule, applies: Mask, masks: Masks, days: DayIndex,
            as_of: np.datetime64, needs_calendar: Mask) -> tuple[Mask, Days]:
    start = _dates(table, rule.start).values
    rows = np.flatnonzero(applies & ~np.isnat(start))
    due = np.full(len(table), NAT)
    due[rows], missing = period_end(days, start[rows], rule.period)
    needs_calendar[rows] |= missing
    answer = _dates(table, rule.answered_by).values if rule.answered_by else np.full(len(table), NAT)
    answered = ~np.isnat(answer) & (answer <= due)
    fired = applies & ~np.isnat(due) & (as_of > due) & ~answered
    if rule.unless is not None:
        fired &= ~masks.of(rule.unless)
    return fired, due


def apply_checks(table: Table, masks: Masks, cp: CompiledPack, as_of: np.datetime64, days: DayIndex,
                 codes: dict[str, int]) -> CheckRun:
    needs_text = np.zeros(len(table), dtype=bool)
    needs_calendar = np.zeros(len(table), dtype=bool)
    slots: list[Slot] = []
    for active in cp.checks[table.case_type]:
        rule = active.rule
        assert isinstance(rule, (LimitRule, CheckRule, DeemedRule))
        applies = masks.of(rule.when)
        breach_kind = kind_of_breach(rule.force)
        code = codes[active.full_id]
        if isinstance(rule, LimitRule):
            slots.append(constant_slot(_limit(table, rule, applies, needs_text), code, breach_kind))
        elif isinstance(rule, DeemedRule):
            fired, due = _deemed(table, rule, applies, masks, days, as_of, needs_calendar)
            slots.append(constant_slot(fired, code, "deemed", due))
        else:
            assert isinstance(rule, CheckRule)
            slots.append(constant_slot(applies & masks.of(rule.breach_when), code, breach_kind))
    return CheckRun(slots, needs_text, needs_calendar)
