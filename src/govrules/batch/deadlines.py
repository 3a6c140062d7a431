"""Matters' deadlines, extensions and status over whole columns: engine/evaluate.py's _MatterRun
(deadline, extension, _status), step for step, with the rows each step concerns as masks.

Every calendar step reports the rows it could not answer (a year without holiday data); those
rows are then left to the reference evaluator, which raises for them exactly as it would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Dates, Days, Flags, Lists, Mask, Table
from govrules.batch.days import NAT, DayIndex
from govrules.batch.masks import Masks
from govrules.semantics.status import STATUSES
from govrules.batch.slots import KIND, STATUS, Slot
from govrules.semantics.compiled import Active, CompiledPack
from govrules.semantics.findings import kind_of_breach
from govrules.semantics.extension import OUTCOME_KIND, OUTCOMES, asked, capped, extension_outcome
from govrules.semantics.ops import VECTOR
from govrules.semantics.status import DATED, LATE, PENDING, dated_status, under_force, window_status
from govrules.packs.schema import DeadlineRule, ExtensionRule, Period


def period_end(days: DayIndex, start: Days, period: Period, explicit: Days | None = None) -> tuple[Days, Mask]:
    """engine.periods.period_end over a column: NaT where an explicit deadline is needed but absent."""
    if period.explicit:
        return (explicit if explicit is not None else np.full(len(start), NAT)), np.zeros(len(start), dtype=bool)
    return days.end_of(start, [period])


@dataclass
class MatterRun:
    """What the deadline part of the reference gives each matter row."""

    deadline: Days  # NaT without a rule, or once a progress reply met the limit (replied)
    status: npt.NDArray[np.int8]  # index into STATUSES, -1 for none
    has_rule: Mask  # a deadline rule applies (else recurring reports may stand in)
    slots: list[Slot]
    needs_reference: Mask  # a calendar step could not answer
    touched: list[Days]  # dates whose years decide `provisional`


def _col(table: Table, name: str) -> Days:
    col = table.columns[name]
    assert isinstance(col, Dates)
    return col.values


class _Run:
    def __init__(self, table: Table, masks: Masks, cp: CompiledPack, as_of: np.datetime64, days: DayIndex,
                 codes: dict[str, int]) -> None:
        self.t, self.masks, self.cp, self.as_of, self.days, self.codes = table, masks, cp, as_of, days, codes
        self.n = len(table)
        self.assigned = _col(table, "assigned_on")
        self.missing = np.zeros(self.n, dtype=bool)

    def choose(self, actives: tuple[Active, ...], among: Mask) -> npt.NDArray[np.int16]:
        """Per row, the first rule whose `when` holds (-1 for none), as the reference's next()."""
        choice = self.masks.first_match([a.rule.when for a in actives])  # type: ignore[union-attr]
        return np.where(among, choice, np.int16(-1))

    def base_due(self, choice: npt.NDArray[np.int16]) -> Days:
        """The chosen rule's period from assigned_on, for all rows in one lookup; an explicit
        period takes the matter's explicit_deadline as given."""
        rules = [a.rule for a in self.cp.deadlines]
        assert all(isinstance(r, DeadlineRule) for r in rules)
        counted: list[Period] = []
        which_of, explicit_of = [], []
        for r in rules:
            period = r.period  # type: ignore[union-attr]
            explicit_of.append(bool(period.explicit))
            which_of.append(-1 if period.explicit else len(counted))
            if not period.explicit:
                counted.append(period)
        which = np.array([*which_of, -1], dtype=np.int64)[choice]
        due, missing = self.days.end_of(self.assigned, counted, which)
        self.missing |= missing
        explicit = np.array([*explicit_of, False])[choice]
        return np.where(explicit, _col(self.t, "explicit_deadline"), due)

    def extension(self, choice: npt.NDArray[np.int16], base: Days) -> tuple[Days, Slot]:
        """semantics.extension per row: a request known by as_of, judged by the first extension
        rule that applies (its outcome's kind is the finding; a granted one moves the deadline)."""
        requested, new = _col(self.t, "extension_requested_on"), _col(self.t, "extension_new_deadline")
        approved = self.t.columns["extension_approved"]
        assert isinstance(approved, Flags)
        seen = (choice >= 0) & ~np.isnat(base) & asked(requested, self.as_of)
        ext_choice = self.choose(self.cp.extensions, seen)
        due = base.copy()
        present = ext_choice >= 0
        rule_code = np.zeros(self.n, dtype=np.int16)
        kind = np.full(self.n, KIND["violation"], dtype=np.int8)
        kind_of = np.array([KIND[OUTCOME_KIND[o]] for o in OUTCOMES], dtype=np.int8)
        for e, active in enumerate(self.cp.extensions):
            mine = ext_choice == e
            if not mine.any():
                continue
            rule = active.rule
            assert isinstance(rule, ExtensionRule)
            rule_code[mine] = self.codes[active.full_id]
            allowed = self.masks.of(rule.allowed_when) if rule.allowed_when is not None else True
            outcome = extension_outcome(VECTOR, allowed=allowed, must_precede=rule.must_precede_deadline,
                                        requested=requested, due=base, needs_approval=rule.needs_approval,
                                        approved=approved.values)
            kind[mine] = kind_of[outcome[mine]]
            granted = mine & (outcome == OUTCOMES.index("granted"))
            due[granted] = self.capped(choice, granted, new)
        return due, Slot(present, rule_code, kind, due.copy())

    def capped(self, choice: npt.NDArray[np.int16], granted: Mask, new: Days) -> Days:
        """The new deadline, held to the deadline rule's extension_cap where it has one."""
        caps = [a.rule.extension_cap for a in self.cp.deadlines]  # type: ignore[union-attr]
        rows = np.flatnonzero(granted)
        capped_rules = [c for c in caps if c is not None]
        which = np.array([-1 if c is None else capped_rules.index(c) for c in caps] + [-1], dtype=np.int64)[choice[rows]]
        cap, missing = self.days.end_of(self.assigned[rows], capped_rules, which)
        self.missing[rows] |= missing
        return capped(VECTOR, new[rows], cap)  # type: ignore[no-any-return]

    def status(self, choice: npt.NDArray[np.int16], due: Days, warning: int) -> npt.NDArray[np.int8]:
        """status.dated_status over the rows that have a deadline, and the 临期 window for the
        pending ones (status codes; -1 for a row without a deadline)."""
        reports = self.t.columns["reports"]
        assert isinstance(reports, Lists)
        has_due = (choice >= 0) & ~np.isnat(due)
        by_report = np.array([*("report" in a.rule.satisfied_by for a in self.cp.deadlines), False])[choice]  # type: ignore[union-attr]
        dated = dated_status(VECTOR, completed=_col(self.t, "completed_on"), due=due, as_of=self.as_of,
                             earliest_report=reports.earliest, reply_counts=by_report)
        pending = has_due & (dated == DATED.index(PENDING))
        remaining, missing = self.days.workdays_from(self.as_of, due)
        self.missing |= missing & pending
        waiting = window_status(VECTOR, remaining, warning)
        return np.where(has_due, np.where(pending, waiting, dated), np.int8(-1)).astype(np.int8, copy=False)

    def shown(self, choice: npt.NDArray[np.int16], dated: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
        """status.under_force per row: the chosen rule's force decides what its dates may show."""
        forces = [a.rule.force for a in self.cp.deadlines]
        table = np.array([[STATUS[under_force(f, name)] for name in STATUSES] for f in forces]
                         + [list(range(len(STATUSES)))], dtype=np.int8)  # no rule: as is (status -1)
        return np.where(dated >= 0, table[choice, np.maximum(dated, 0)], dated).astype(np.int8, copy=False)

    def breach(self, choice: npt.NDArray[np.int16], due: Days, dated: npt.NDArray[np.int8],
               codes: npt.NDArray[np.int16]) -> Slot:
        late = np.isin(dated, [STATUS[name] for name in LATE])
        # per chosen rule; the pad answers choice -1 (no rule), a row that is never late
        kinds = np.array([KIND[kind_of_breach(a.rule.force)] for a in self.cp.deadlines] + [KIND["violation"]],
                         dtype=np.int8)
        kind = kinds[choice]
        return Slot(late, codes, kind, due, new_rule=False)


def matter_deadlines(table: Table, masks: Masks, cp: CompiledPack, as_of: np.datetime64, days: DayIndex,
                     codes: dict[str, int], warning: int) -> MatterRun:
    run = _Run(table, masks, cp, as_of, days, codes)
    choice = run.choose(cp.deadlines, np.ones(run.n, dtype=bool))
    base = run.base_due(choice)
    due, ext_slot = run.extension(choice, base)
    dated = run.status(choice, due, warning)
    status = run.shown(choice, dated)
    rule_codes = np.array([codes[a.full_id] for a in cp.deadlines] + [0], dtype=np.int16)[choice]
    has_rule = choice >= 0
    deadline_slot = Slot(has_rule, rule_codes, np.full(run.n, KIND["deadline"], dtype=np.int8), due)
    slots = [deadline_slot, ext_slot, run.breach(choice, due, dated, rule_codes)]
    ruled = np.where(has_rule, due, NAT)
    deadline = np.where(status == STATUS["replied"], NAT, ruled)  # a reply met the limit: none runs now
    return MatterRun(deadline, status, has_rule, slots, run.missing, [run.assigned, ruled])
