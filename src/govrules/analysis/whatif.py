"""What if a rule said otherwise? The same ledger under a pack and under a variant of it.

``what_if(cases, pack, as_of, rules=..., readings=...)`` makes the variant with
``govrules.analysis.variants.vary`` (so a bad change is one error naming the rule, the field and
what was expected), evaluates the ledger under both, and returns a WhatIf: per case the
deadline, status, violations and rules before and after (columns as ``compare``'s, labelled
``before`` and ``after``), how far each deadline moved, and a summary of the counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from govrules.analysis.compare import (
    Side, as_frame, compare_summary, day_array, evaluate_pack, resolve_packs, side_by_side,
)
from govrules.engine.options import DEFAULT, Options
from govrules.packs import Pack
from govrules.analysis.variants import vary

BEFORE, AFTER = "before", "after"


@dataclass(frozen=True)
class WhatIf:
    """The outcome of a what-if.

    ``cases``: one row per case: ``id``, ``type``; (``deadline``, before/after);
    ``shift_days`` and ``shift_workdays`` (after minus before, <NA> unless both have a deadline);
    (``status``, …), (``violations``, …), (``rules``, …), (``in_force``, …); ``changed``
    (deadline, status or violations differ) and ``why`` (the clauses behind each answer, for
    the changed cases). ``summary``: per side the counts of ``compare_summary`` (rows before,
    after; ``change`` = after - before). ``pack``: the variant, marked as such.
    """

    pack: Pack
    cases: Any
    summary: Any

    @property
    def moved(self) -> int:
        """Cases whose deadline is not the same (including one appearing or disappearing)."""
        before, after = (day_array(self.cases[("deadline", s)]) for s in (BEFORE, AFTER))
        return int((~((before == after) | (np.isnat(before) & np.isnat(after)))).sum())

    @property
    def earlier(self) -> int:
        return int((self.cases["shift_days"] < 0).sum())

    @property
    def later(self) -> int:
        return int((self.cases["shift_days"] > 0).sum())

    def shifts(self) -> Any:
        """How many deadlines moved by how many working days (moved ones only), by shift."""
        moved = self.cases["shift_workdays"]
        return moved[moved.notna() & (moved != 0)].value_counts().sort_index().rename("cases")


def what_if(cases: Any, pack: Pack | str, as_of: date, *, rules: Mapping[str, Mapping[str, Any]] | None = None,
            readings: Mapping[str, str] | None = None, label: str = "what-if", options: Options = DEFAULT) -> WhatIf:
    """The ledger under ``pack`` and under ``vary(pack, rules=rules, readings=readings)``.

    ``cases`` as for ``compare``; ``options`` apply to both sides (``options.interpretations``
    too; ``readings`` only to the variant). A pack not in force on a case's date needs
    ``options.allow_not_in_force``, as in ``compare``.
    """
    (base,) = resolve_packs([pack])
    variant = vary(base, rules=rules, readings=readings, label=label)
    frame = as_frame(cases)
    sides = [Side(BEFORE, base, evaluate_pack(frame, base, as_of, options)),
             Side(AFTER, variant, evaluate_pack(frame, variant, as_of, options))]
    before, after = sides[0].deadlines(), sides[1].deadlines()
    both = ~np.isnat(before) & ~np.isnat(after)
    days = np.where(both, (after - before).astype(np.int64), 0)
    workdays, unknown = options.work_calendar().vectors.workdays_between(before, after)
    index = sides[0].result.index
    shifts = {
        "shift_days": pd.Series(pd.array(np.where(both, days, 0), dtype="Int64"), index=index).where(both),
        "shift_workdays": pd.Series(pd.array(np.where(both & ~unknown, workdays, 0), dtype="Int64"),
                                    index=index).where(both & ~unknown),
    }
    table = side_by_side(sides, "changed", shifts)
    per_side = compare_summary(table).drop(columns="differs_from_first")
    summary = per_side.T
    summary["change"] = summary[AFTER] - summary[BEFORE]
    summary.columns.name = None
    return WhatIf(variant, table, summary)
