"""Findings as columns: a *slot* is one place in the reference's order of findings (the deadline,
then the extension, then the breach, then each check rule) with, for each row, whether the
finding is there and its rule, kind and due date. Laying the slots out row by row (output.py)
gives each row's findings in the reference's order without a Python object per finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np
import numpy.typing as npt

from govrules.batch.columns import Days, Mask
from govrules.semantics.results import FindingKind
from govrules.semantics.status import STATUSES

KINDS: tuple[str, ...] = get_args(FindingKind)
KIND = {k: np.int8(i) for i, k in enumerate(KINDS)}
STATUS = {s: np.int8(i) for i, s in enumerate(STATUSES)}  # the codes status.dated_status gives on the vector face
Codes16 = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Slot:
    present: Mask
    rule: Codes16  # index into the run's rule ids
    kind: npt.NDArray[np.int8]
    due: Days
    # whether the rule is new in the row (the breach repeats its deadline's rule): per row or for all
    new_rule: bool | Mask = True


def constant_slot(present: Mask, rule: int, kind: str, due: Days | None = None, new_rule: bool = True) -> Slot:
    n = len(present)
    return Slot(
        present,
        np.full(n, rule, dtype=np.int16),
        np.full(n, KIND[kind], dtype=np.int8),
        due if due is not None else np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        new_rule,
    )
