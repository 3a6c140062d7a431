"""evaluate_frame: a whole ledger through one pack, as ``evaluate_all`` would see it, in columns."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, overload

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from govrules.batch.columns import Dates, Index, Table
from govrules.batch.ids import duplicated
from govrules.batch.ledger import Ledger, read_ledger
from govrules.batch.output import Part, build_output
from govrules.batch.problems import NO_ROW, FrameError, Problems
from govrules.batch.reference import add_quotas, evaluate_rows
from govrules.batch.run import TableRun, in_force, quota_rows, run_table
from govrules.batch.schema import CASE_DATE, CASE_TYPES, CaseType, column_names
from govrules.semantics.compiled import CompiledPack, compile_pack
from govrules.semantics.findings import Case
from govrules.engine.options import DEFAULT, Options
from govrules.semantics.provenance import calendar_used
from govrules.semantics.results import Evaluation
from govrules.errors import shorten
from govrules.packs.schema import Pack

BadRows = Literal["raise", "separate"]


@dataclass(frozen=True)
class FrameResult:
    """``bad_rows="separate"``: the good rows evaluated, and every other row with its problems."""

    evaluated: Any  # DataFrame, as evaluate_frame returns it
    bad_rows: Any  # DataFrame: the input rows that were not evaluated, as given
    problems: Any  # DataFrame: row, index, id, column, value, expected (see FrameError)


def problems_frame(problems: Problems, ledger: Ledger) -> Any:
    records = problems.records()
    rows = [r for r, _, _, _ in records]
    labels = [ledger.index[r] if r != NO_ROW else None for r in rows]
    ids = [shorten(ledger.ids.value(r)) if r != NO_ROW else None for r in rows]
    return pd.DataFrame({
        "row": pd.array(rows, dtype="int64"),
        "index": pd.Series(labels, dtype=object),
        "id": pd.Series(ids, dtype=object),
        "column": [c for _, c, _, _ in records],
        "value": pd.Series([v for _, _, v, _ in records], dtype=object),
        "expected": [e for _, _, _, e in records],
    })


def _case_days(table: Table) -> Dates:
    """The date that decides whether the pack was in force for each row."""
    day = table.columns[CASE_DATE[table.case_type]]  # type: ignore[index]
    assert isinstance(day, Dates)
    return day


def _not_in_force(cp: CompiledPack, table: Table, problems: Problems) -> None:
    day = _case_days(table)
    out = np.flatnonzero(~in_force(cp, day.values) & ~day.null())
    doc = cp.pack.doc_number or cp.pack.title
    values: list[date] = [d for d in (day.value(int(i)) for i in out) if d is not None]
    why = {v: cp.in_force_on(v)[1] for v in set(values)}
    problems.add(table.rows[out], CASE_DATE[table.case_type], values,  # type: ignore[index]
                 [f"a date on which pack {cp.id} ({doc}) is in force ({why[v]}), or allow_not_in_force=True"
                  for v in values])


def _all_but(size: int, drop: Index) -> Index:
    """0..size-1 without ``drop``, in order (np.setdiff1d hashes: seconds for a million rows)."""
    keep = np.ones(size, dtype=bool)
    keep[drop] = False
    return np.flatnonzero(keep)


def _without(run: TableRun, drop: Index) -> TableRun:
    """The run minus some of its rows (reference rows: they have no findings in the slots)."""
    keep = _all_but(len(run.path), drop)
    slots = [replace(s, present=s.present[keep], rule=s.rule[keep], kind=s.kind[keep], due=s.due[keep],
                     new_rule=s.new_rule if isinstance(s.new_rule, bool) else s.new_rule[keep]) for s in run.slots]
    return TableRun(run.deadline[keep], run.status[keep], run.provisional[keep], slots, run.path[keep])


@dataclass
class _Evaluated:
    table: Table
    run: TableRun
    results: dict[int, tuple[Case, Evaluation]]


def _evaluate(ledger: Ledger, cp: CompiledPack, as_of: date, options: Options, bad: Index, problems: Problems
              ) -> dict[CaseType, _Evaluated]:
    rule_ids = {a.full_id for a in _actives(cp)}
    codes = {r: i for i, r in enumerate(sorted(rule_ids))}
    out: dict[CaseType, _Evaluated] = {}
    for case_type, table in ledger.tables.items():
        good = table.take(np.flatnonzero(~np.isin(table.rows, bad))) if len(bad) else table
        if not len(good):
            continue
        run = run_table(good, cp, as_of, options, codes)
        results, errors = evaluate_rows(good, np.flatnonzero(run.reference).tolist(), as_of, cp, options)
        if errors:
            failed = np.array(sorted(errors), dtype=np.int64)
            day = _case_days(good)
            problems.add(good.rows[failed], CASE_DATE[case_type], [day.value(int(i)) for i in failed],
                         [errors[int(i)] for i in failed])
            keep = _all_but(len(good), failed)
            results = {int(np.searchsorted(keep, i)): r for i, r in results.items()}
            run, good = _without(run, failed), good.take(keep)
        out[case_type] = _Evaluated(good, run, results)
    return out


def _actives(cp: CompiledPack) -> list[Any]:
    return [*cp.deadlines, *cp.obligations, *cp.extensions, *(a for v in cp.checks.values() for a in v),
            *cp.quotas, *cp.ladders]


def _with_quotas(cp: CompiledPack, done: dict[CaseType, tuple[Table, dict[int, tuple[Case, Evaluation]]]], as_of: date) -> None:
    """evaluate_all's quota findings; the rows a quota applies to are all among the reference's."""
    if not cp.quotas:
        return
    order = sorted((int(table.rows[i]), t, i, c, r) for t, (table, results) in done.items() for i, (c, r) in results.items())
    updated = add_quotas(cp, [(t, i, c, r) for _, t, i, c, r in order], as_of)
    for (t, i), result in updated.items():
        results = done[t][1]
        results[i] = (results[i][0], result)


@overload
def evaluate_frame(df: Any, pack: Pack | CompiledPack, as_of: date, options: Options = ...,
                   *, bad_rows: Literal["raise"] = ...) -> Any: ...
@overload
def evaluate_frame(df: Any, pack: Pack | CompiledPack, as_of: date, options: Options = ...,
                   *, bad_rows: Literal["separate"]) -> FrameResult: ...
def evaluate_frame(df: Any, pack: Pack | CompiledPack, as_of: date, options: Options = DEFAULT,
                   *, bad_rows: BadRows = "raise") -> Any:
    """Every case of a ledger DataFrame as of ``as_of``: one row each, as ``evaluate_all`` would give.

    The columns are those of ``govrules.batch.schema``. By default any bad row raises FrameError
    listing every problem, and nothing is evaluated; ``bad_rows="separate"`` evaluates the good
    rows and returns a FrameResult with the bad ones beside them. A problem with the frame itself
    (an unknown or doubled column) always raises.

    A large ledger is evaluated in two halves on two threads where the machine has two cores
    (numpy and Arrow work without the interpreter lock); the answer is the same.
    """
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    halves = _in_halves(df, cp, as_of, options)
    if halves is not None:
        return halves.evaluated if bad_rows == "raise" else halves
    return _whole(df, cp, as_of, options, bad_rows)


# A ledger this long is split in two for two threads; each half then costs far more than a thread.
PARALLEL_MIN_ROWS = 200_000


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_halves(df: Any, cp: CompiledPack, as_of: date, options: Options) -> FrameResult | None:
    """Both halves evaluated at once, and joined; None where that would not be the whole frame's
    answer (the single pass then finds and numbers every problem, as always): a pack with quotas
    (they count across the ledger), an id in both halves, or any bad row at all."""
    if len(df) < PARALLEL_MIN_ROWS or cp.quotas or _cores() < 2 or not df.columns.is_unique:
        return None
    middle = len(df) // 2
    parts = (df.iloc[:middle], df.iloc[middle:])
    with ThreadPoolExecutor(max_workers=2) as pool:
        # the halves are read without the id check; the whole frame gets it meanwhile, here
        both = pool.map(lambda part: _whole(part, cp, as_of, options, "separate", unique_ids=False), parts)
        label = next((c for c in column_names("matter")["id"] if c in df.columns), None)
        doubled = label is None or len(duplicated(df[label].array, np.ones(len(df), dtype=bool))) > 0
        results: list[FrameResult] = list(both)
    if doubled or any(len(r.problems) for r in results):
        return None
    # no bad row: the (empty) problems of either half are the whole frame's
    return FrameResult(pd.concat([r.evaluated for r in results]), df.iloc[:0], results[0].problems)


def _whole(df: Any, cp: CompiledPack, as_of: date, options: Options, bad_rows: BadRows, *,
           unique_ids: bool = True) -> Any:
    return _evaluate_read(read_ledger(df, unique_ids=unique_ids), cp, as_of, options, bad_rows, df)


def evaluate_read_rows(ledger: Ledger, positions: Index, pack: CompiledPack, as_of: date,
                       options: Options = DEFAULT) -> Any:
    """``evaluate_frame(df.iloc[positions], pack, as_of, options)`` for a frame ``df`` already
    read (and found without problems) by ``read_ledger``: the same DataFrame, without reading or
    copying the rows again."""
    return _evaluate_read(ledger.take(positions), pack, as_of, options, "raise")


def _evaluate_read(ledger: Ledger, cp: CompiledPack, as_of: date, options: Options, bad_rows: BadRows,
                   df: Any = None) -> Any:
    """The evaluation of a read ledger; ``df``, the frame it was read from, is needed only to hand
    back the bad rows as given (``bad_rows="separate"``)."""
    problems = ledger.problems
    if not options.allow_not_in_force:
        for table in ledger.tables.values():
            _not_in_force(cp, table, problems)
    if problems.has_frame_level() or (problems and bad_rows == "raise"):
        raise FrameError(problems_frame(problems, ledger), ledger.size)
    done = _evaluate(ledger, cp, as_of, options, problems.rows(), problems)
    if problems and bad_rows == "raise":  # the reference could not evaluate some rows
        raise FrameError(problems_frame(problems, ledger), ledger.size)
    _with_quotas(cp, {t: (e.table, e.results) for t, e in done.items()}, as_of)
    evaluated_mask = np.zeros(ledger.size, dtype=bool)
    for e in done.values():
        evaluated_mask[e.table.rows] = True
    kept = np.flatnonzero(evaluated_mask)
    out_position = np.cumsum(evaluated_mask) - 1  # frame row -> output row
    parts = [
        Part(out_position[e.table.rows], CASE_TYPES.index(t), e.run,
             in_force(cp, _case_days(e.table).values),
             {i: r for i, (_, r) in e.results.items()})
        for t, e in done.items()
    ]
    everything = len(kept) == ledger.size  # then the index and ids are the frame's own, untaken
    evaluated = build_output(len(kept), ledger.index if everything else ledger.index[kept],
                             ledger.ids.source if everything else ledger.ids.source[kept], parts, cp.id,
                             sorted({a.full_id for a in _actives(cp)}))
    # which calendar the answers used (the reference rows' evaluations carry it too)
    evaluated.attrs["calendar"] = calendar_used(options.work_calendar()).to_dict()
    if bad_rows == "raise":
        return evaluated
    bad = np.flatnonzero(~evaluated_mask)
    assert df is not None, "the bad rows are handed back from the frame they were read from"
    return FrameResult(evaluated, df.iloc[bad], problems_frame(problems, ledger))


def explain_rows(df: Any, pack: Pack | CompiledPack, as_of: date, rows: list[int], options: Options = DEFAULT
                 ) -> list[Evaluation]:
    """The reference's full evaluations, messages included, of some rows (positions) of a frame:
    the messages ``evaluate_frame`` does not make, made on demand. Quota findings count across
    the frame's good rows, as in ``evaluate_frame``."""
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    ledger = read_ledger(df)
    problems = ledger.problems
    if not options.allow_not_in_force:
        for table in ledger.tables.values():
            _not_in_force(cp, table, problems)
    bad = problems.rows()
    wanted = np.asarray(sorted(set(rows)), dtype=np.int64)
    done: dict[CaseType, tuple[Table, dict[int, tuple[Case, Evaluation]]]] = {}
    for case_type, table in ledger.tables.items():
        good = table.take(np.flatnonzero(~np.isin(table.rows, bad)))
        pick = np.isin(good.rows, wanted) | quota_rows(cp, good)
        results, errors = evaluate_rows(good, np.flatnonzero(pick).tolist(), as_of, cp, options)
        failed = [i for i in errors if int(good.rows[i]) in set(wanted.tolist())]
        problems.add(good.rows[failed], CASE_DATE[case_type], [None] * len(failed), [errors[i] for i in failed])
        done[case_type] = (good, results)
    mine = problems_frame(problems, ledger)
    mine = mine[mine["row"].isin(wanted) | (mine["row"] == NO_ROW)]
    if len(mine):
        raise FrameError(mine.reset_index(drop=True), len(df))
    _with_quotas(cp, done, as_of)
    found = {int(t.rows[i]): r for t, results in done.values() for i, (_, r) in results.items()}
    return [found[r] for r in rows]
