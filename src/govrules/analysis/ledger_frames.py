"""Evaluated ledgers as tables for the pictures (analysis.plots) and for analysts: the ledger and
evaluate_frame's results joined row by row, overdue rates by unit and month, status shares per pack.
Needs only pandas; the pictures need matplotlib besides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from govrules.batch.cells import Cells, read_dates
from govrules.batch.columns import Dates, Texts
from govrules.batch.frame import problems_frame
from govrules.batch.ledger import read_ledger
from govrules.batch.problems import FrameError, Problems
from govrules.display import NO_DEADLINE_ZH
from govrules.errors import InputError
from govrules.semantics.results import STATUS_ZH

# Finished first, then late, then open, then replied (the limit met by a progress reply, awaiting
# completion, counted apart): the order of the legend and of the stacked bars.
STATUS_ORDER: tuple[str | None, ...] = ("done", "done_late", "overdue", "due_soon", "on_track", "replied", "unknown",
                                         None)
LATE = ("overdue", "done_late")
# the outcome is known: finished, or past due (a replied matter has no deadline, so no month)
SETTLED = ("done", "done_late", "overdue")

def status_zh(status: object) -> str:
    """A status's Chinese name; a case with none (None, or a missing value in a frame: NaN,
    pd.NA) has no deadline: 无时限."""
    if isinstance(status, str):
        return STATUS_ZH[status]  # an unknown status is a KeyError, not a guess
    if status is None or bool(pd.isna(status)):
        return NO_DEADLINE_ZH
    raise TypeError(f"a status is a string or missing, not {status!r}")


def month_zh(month: pd.Period) -> str:
    return f"{month.year}年{month.month}月"


# -- the ledger's side of the join ---------------------------------------------------------------


def _days(values: Any, where: str) -> npt.NDArray[np.datetime64]:
    """Dates as evaluate_frame gives them (Arrow date32) or as a frame holds them (ISO text,
    date objects, datetime64) -> datetime64[D], NaT where empty; read as the ledger reader does."""
    series = pd.Series(values, copy=False).reset_index(drop=True)
    if series.empty:  # read_dates cannot reduce an empty Arrow column (batch/cells.py _plain_days)
        return np.zeros(0, dtype="datetime64[D]")
    problems = Problems()
    days = read_dates(Cells(series, np.arange(len(series), dtype=np.int64), where, problems)).values
    if problems:
        row, _, value, expected = problems.records()[0]
        raise InputError(f"{where}, row {row}", f"got {value!r}; expected {expected}")
    return days


Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class _Matters:
    """The rows of ``results`` beside the ledger fields the pictures need, by position; text
    columns hold str, or None where empty."""

    ids: Objects
    case_type: Objects
    status: Objects
    deadline: npt.NDArray[np.datetime64]
    assigned_on: npt.NDArray[np.datetime64]
    completed_on: npt.NDArray[np.datetime64]
    unit: Objects


def _objects(values: Any) -> Objects:
    """A column as str objects, None where empty (categories and Arrow strings alike)."""
    series = pd.Series(values, copy=False).astype(object)
    out: Objects = series.where(series.notna(), None).to_numpy(dtype=object, copy=True)
    return out


def join_results(ledger: Any, results: Any, what: str) -> _Matters:
    """Match each results row to its ledger row by index label; the ids must agree, so that a
    result is never drawn against another ledger's dates. Vectorised: a ledger may have a
    million rows."""
    for name in ("id", "type", "status", "deadline"):
        if name not in results.columns:
            raise InputError(f"{what}: results", f"no column {name}; expected the frame evaluate_frame returned")
    if not ledger.index.is_unique:
        raise InputError(f"{what}: ledger", "the index has repeated labels; expected one label per row "
                         "(e.g. ledger.reset_index(drop=True) before evaluate_frame)")
    read = read_ledger(ledger)
    if read.problems:
        raise FrameError(problems_frame(read.problems, read), len(ledger))
    # evaluate_frame keeps the ledger's index: then the rows are the ledger's, in order
    same = results.index.equals(ledger.index)
    positions = np.arange(len(ledger)) if same else ledger.index.get_indexer(results.index)
    result_ids = _objects(results["id"])
    if (positions < 0).any():
        k = int(np.flatnonzero(positions < 0)[0])
        raise InputError(f"{what}: results row {results.index[k]!r} (id {result_ids[k]})",
                         "has no row with that index label in the ledger; expected evaluate_frame's output "
                         "for this ledger, or a selection of its rows")
    ledger_ids = _objects(np.asarray(read.ids.source, dtype=object)[positions])
    differ = np.flatnonzero(ledger_ids != result_ids)
    if len(differ):
        k = int(differ[0])
        raise InputError(f"{what}: results row {results.index[k]!r} (id {result_ids[k]})",
                         f"the ledger row with that index label has id {ledger_ids[k]}; expected the ledger these "
                         "results were evaluated from")
    size = len(ledger)
    assigned = np.full(size, np.datetime64("NaT"), dtype="datetime64[D]")
    completed = assigned.copy()
    unit: Objects = np.full(size, None, dtype=object)
    matters = read.tables.get("matter")
    if matters is not None:
        assigned_col, completed_col, unit_col = (matters.columns[k] for k in ("assigned_on", "completed_on", "lead_unit"))
        assert isinstance(assigned_col, Dates) and isinstance(completed_col, Dates) and isinstance(unit_col, Texts)
        assigned[matters.rows] = assigned_col.values
        completed[matters.rows] = completed_col.values
        names = _objects(unit_col.source)
        names[unit_col.missing] = None
        unit[matters.rows] = names
    return _Matters(result_ids, _objects(results["type"]), _objects(results["status"]),
                    _days(results["deadline"], f"{what}: results column deadline"),
                    assigned[positions], completed[positions], unit[positions])


def overdue_table(ledger: Any, results: Any) -> Any:
    """Per 责任单位 (the matter's lead_unit, 主办单位) and month of the deadline: ``due`` (matters
    whose outcome is known: finished, or past due), ``late`` (逾期 or 逾期办结) and ``rate``.

    Open matters not yet due and matters without a deadline are left out: they have no outcome
    yet. A DataFrame with columns unit, month (a monthly Period), due, late, rate.
    """
    m = join_results(ledger, results, "overdue_table")
    frame = pd.DataFrame({"unit": m.unit, "status": m.status, "deadline": m.deadline, "type": m.case_type})
    frame = frame[(frame["type"] == "matter") & frame["status"].isin(SETTLED)]
    frame = frame.assign(month=frame["deadline"].dt.to_period("M"), late=frame["status"].isin(LATE))
    table = frame.groupby(["unit", "month"], sort=True).agg(due=("late", "size"), late=("late", "sum")).reset_index()
    table["late"] = table["late"].astype("int64")
    table["rate"] = table["late"] / table["due"]
    return table


def status_shares(results_by_pack: Mapping[str, Any]) -> Any:
    """Matters per status (Chinese names, 无时限 for no deadline) for each evaluation: a
    DataFrame of counts, one row per key in the mapping's order, one column per status.

    The evaluations must cover the same matters (the same ledger under several packs, or the same
    pack with other options), or the shares would compare different things.
    """
    if not results_by_pack:
        raise InputError("city_comparison", "no results; expected {pack id: evaluate_frame output, …}")
    counts: dict[str, list[int]] = {}
    reference: tuple[str, frozenset[str]] | None = None
    for key, results in results_by_pack.items():
        for name in ("id", "type", "status"):
            if name not in results.columns:
                raise InputError(f"city_comparison: {key}", f"no column {name}; expected evaluate_frame's output")
        matters = results[results["type"] == "matter"]
        ids = frozenset(_objects(matters["id"]).tolist())
        if reference is None:
            reference = (key, ids)
        elif ids != reference[1]:
            raise InputError(f"city_comparison: {key}", f"{len(ids)} matters, {len(ids - reference[1])} not in "
                             f"{reference[0]} and {len(reference[1] - ids)} of it missing; expected the same ledger's matters")
        found = _objects(matters["status"])
        counts[key] = [int((found == wanted).sum()) if wanted is not None else int(pd.isna(found).sum())
                       for wanted in STATUS_ORDER]
    return pd.DataFrame.from_dict(counts, orient="index", columns=[status_zh(s) for s in STATUS_ORDER])
