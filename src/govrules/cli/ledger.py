"""``govrules evaluate`` on a ledger file (.csv, .xlsx, .parquet): what the JSON path does, in columns.

- ``--format json`` prints the same bytes as the same cases given as JSON: the reference
  evaluations (messages included) come from ``explain_rows``, which agrees with ``evaluate_all``.
- The table goes through ``evaluate_frame``: the same table as for JSON input, then one summary
  line per pack instead of every finding's explanation (a ledger of a year is tens of thousands
  of them; ``--format json`` has them). Packs without quotas are evaluated in chunks so that a
  progress bar (tqdm, on stderr) can advance; quotas count across the whole ledger, so a pack
  with quotas is evaluated in one piece. The bar shows only when stderr is a terminal.
- Bad rows: one error listing them (row as a spreadsheet numbers it, id, column, value,
  expected); nothing is printed on stdout.

This module imports pandas only when a ledger file is evaluated: ``import govrules.cli`` and
JSON input do not need the ``analysis`` extra.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from govrules.cli.reply import Reply, answered_in_part, evaluations_reply, ledger_reply
from govrules.errors import GovrulesError, InputError, excerpt
from govrules.labels import STATUS_ZH
from govrules.table import EVALUATION_HEADERS, render_columns

LEDGER_SUFFIXES = (".csv", ".xlsx", ".parquet", ".xls")  # .xls only to say: save it as .xlsx
CHUNK_ROWS = 50_000  # rows per step of the progress bar
SHOWN = 20  # problems quoted in the error; the count of the rest follows
SUMMARY_COLUMNS = ["status", "violations", "in_force", "provisional", "complete"]
EVENT_PROBLEM = "an event (问责事件) cannot be evaluated; use `govrules accountability` for events"


def is_ledger_file(path: str) -> bool:
    """Whether ``govrules evaluate`` reads ``path`` as a ledger file rather than as JSON."""
    return path != "-" and Path(path).suffix.lower() in LEDGER_SUFFIXES


def _pandas() -> Any:
    import pandas as pd  # type: ignore[import-untyped]  # the analysis extra, imported on demand

    return pd


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


# -- errors -----------------------------------------------------------------------------------


def _row_name(path: str, position: int) -> str:
    """A row as the clerk finds it: a spreadsheet's row number (the header is row 1), or, in a
    Parquet table (no header row), its number counted from 1."""
    return f"row {position + (1 if Path(path).suffix.lower() == '.parquet' else 2)}"


def _numbering(path: str) -> str:
    if Path(path).suffix.lower() == ".parquet":
        return "rows counted from 1"
    return "rows numbered as in a spreadsheet: the header is row 1"


def _problems_error(path: str, problems: Any, total_rows: int) -> InputError:
    """FrameError.problems as one message: every problem on its line, the first SHOWN of them."""
    lines: list[str] = []
    shown_expected: set[str] = set()
    rows = problems["index"].where(problems["row"] >= 0)
    for rec, position in zip(problems.head(SHOWN).itertuples(index=False), rows.head(SHOWN)):
        expected = str(rec.expected).replace("allow_not_in_force=True", "--allow-not-in-force")
        said = "as above" if expected in shown_expected and len(expected) > 80 else expected
        shown_expected.add(expected)
        if rec.row < 0:
            lines.append(f"  header: column {rec.column}: got {excerpt(rec.value)}; expected {said}")
            continue
        ident = f" (id {rec.id})" if isinstance(rec.id, str) else ""
        lines.append(f"  {_row_name(path, int(position))}{ident}: {rec.column}: got {_cell(rec.value)}; expected {said}")
    more = len(problems) - SHOWN
    if more > 0:
        lines.append(f"  … and {more} more")
    bad = problems.loc[problems["row"] >= 0, "index"].nunique()
    head = f"{len(problems)} problem(s) in {bad} of {total_rows} rows ({_numbering(path)}); nothing was evaluated:"
    return InputError(path, head + "\n" + "\n".join(lines))


def _cell(value: Any) -> str:
    if value is None:
        return "an empty cell"
    if hasattr(value, "isoformat"):
        return repr(value.isoformat())
    return excerpt(value)


def _refuse_events(path: str, df: Any) -> None:
    """Events beside the cases (as examples/generate_ledger.py writes one table) are refused by
    name, as the JSON path refuses them."""
    from govrules.batch.schema import TYPE_COLUMN
    from govrules.models.cases import TYPE_ALIASES

    label = next((t for t in TYPE_COLUMN if t in df.columns), None)
    if label is None:
        return  # evaluate_frame names a missing type column
    names = ["event", *(k for k, v in TYPE_ALIASES.items() if v == "event")]
    events = [int(i) for i in df[label].astype(object).isin(names).to_numpy().nonzero()[0]]
    if not events:
        return
    id_label = next((c for c in ("id", "编号") if c in df.columns), None)
    ids = df[id_label].astype(object).tolist() if id_label is not None else [None] * len(df)
    lines = [f"  {_row_name(path, i)}" + (f" (id {ids[i]})" if isinstance(ids[i], str) else "") + f": {label}"
             for i in events[:SHOWN]]
    if len(events) > SHOWN:
        lines.append(f"  … and {len(events) - SHOWN} more")
    raise InputError(path, f"{len(events)} of {len(df)} rows ({_numbering(path)}) are events: {EVENT_PROBLEM}:\n"
                     + "\n".join(lines))


# -- evaluation -------------------------------------------------------------------------------


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Callable[[int], object]]:
    """A tqdm bar on stderr when ``show``; otherwise a step function that does nothing."""
    if not show:
        yield lambda n: None
        return
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]  # the analysis extra
    except ImportError:  # no bar rather than no answer
        yield lambda n: None
        return
    with tqdm(total=total, unit="件", desc="govrules evaluate", file=sys.stderr,
              leave=False, dynamic_ncols=True) as bar:
        yield bar.update


def _pack_rows(args: argparse.Namespace, cp: Any, day: Any, ok: Any) -> Any:
    """The rows (positions) the pack applies to, as the JSON path's _in_force_items decides: a
    named pack (or --allow-not-in-force) takes every row; the default, every bundled pack, takes
    the rows it was in force for and says how many it left out."""
    import numpy as np

    if args.pack or args.allow_not_in_force:
        return np.arange(len(day))
    kept = np.flatnonzero(ok)
    if len(kept) < len(day):
        why = cp.in_force_on(day[int(np.flatnonzero(~ok)[0])].astype(object))[1]
        print(f"govrules: pack {cp.id} not applied to {len(day) - len(kept)} of {len(day)} objects "
              f"outside its time in force (e.g. {why}); name it with --pack and add --allow-not-in-force to apply it",
              file=sys.stderr)
    return kept


def _case_days(ledger: Any) -> Any:
    """Each row's date that decides whether a pack was in force for it (assigned_on, held_on, issued_on)."""
    import numpy as np

    from govrules.batch.schema import CASE_DATE

    day = np.full(ledger.size, np.datetime64("NaT"), dtype="datetime64[D]")
    for case_type, table in ledger.tables.items():
        day[table.rows] = table.columns[CASE_DATE[case_type]].values
    return day


def _evaluate_frames(path: str, ledger: Any, plan: list[tuple[Any, Any]], as_of: date, options: Any, show: bool
                     ) -> list[list[Any]]:
    """evaluate_frame per pack over its rows, in chunks where no quota counts across them: the
    result frames of each pack, in row order (kept apart: joining their Arrow columns would cost
    more than the evaluation). The ledger was read and checked once, before any pack ran; the
    chunks are taken from it rather than read again."""
    from govrules.batch import FrameError
    from govrules.batch.frame import evaluate_read_rows

    out = []
    with _progress(sum(len(rows) for _, rows in plan), show) as step:
        for cp, rows in plan:
            size = len(rows) if cp.quotas else CHUNK_ROWS
            parts = []
            for start in range(0, max(len(rows), 1), max(size, 1)):
                chunk = rows[start:start + size]
                try:
                    parts.append(evaluate_read_rows(ledger, chunk, cp, as_of, options))
                except FrameError as exc:
                    raise _problems_error(path, exc.problems, ledger.size) from None
                step(len(chunk))
            out.append(parts)
    return out


# -- the table --------------------------------------------------------------------------------


def _table_columns(cp: Any, frame: Any) -> list[list[str]]:
    """The JSON path's table columns (编号 规则包 期限 状态 依据 违规/建议) of one pack's result
    frame, computed over Arrow arrays: no Python object per finding."""
    import numpy as np
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    n = len(frame)
    if not n:
        return [[] for _ in range(6)]
    citation = {a.full_id: a.clause.citation for a in cp.actives()}  # as the findings cite it
    findings = pa.chunked_array([pa.array(frame["findings"].array)]).combine_chunks()
    lengths = np.asarray(pc.list_value_length(findings).fill_null(0), dtype=np.int64)
    flat = pc.list_flatten(findings)
    breach = np.asarray(pc.is_in(flat.field("kind").cast(pa.string()), value_set=pa.array(["violation", "advice"])),
                        dtype=bool)
    counts = np.bincount(np.repeat(np.arange(n), lengths)[breach], minlength=n)
    has = np.flatnonzero(lengths > 0)
    first_rule = flat.field("rule").take(pa.array(np.concatenate(([0], np.cumsum(lengths)[:-1]))[has]))
    if not isinstance(first_rule, pa.DictionaryArray):
        first_rule = first_rule.dictionary_encode()
    cited = np.array([citation[r] for r in first_rule.dictionary.to_pylist()] + [""], dtype=object)
    firsts = np.full(n, "(本规则包无适用规则)", dtype=object)
    firsts[has] = cited[np.asarray(first_rule.indices.fill_null(-1), dtype=np.int64)]
    deadline = pa.array(frame["deadline"].array).cast(pa.string()).fill_null("—").to_pylist()
    status_zh = np.array([STATUS_ZH[c] for c in frame["status"].cat.categories] + ["—"], dtype=object)
    status = status_zh[np.asarray(frame["status"].cat.codes, dtype=np.int64)]  # code -1 (no status) reads "—"
    return [list(frame["id"].to_numpy(dtype=object)), [cp.id] * n, deadline, list(status), list(firsts),
            [str(c) for c in counts.tolist()]]


def _summary(cp: Any, frame: Any) -> str:
    """One line per pack in place of the findings' explanations."""
    statuses = frame["status"].value_counts(dropna=False)
    parts = [f"{zh} {int(statuses.get(s, 0))}" for s, zh in STATUS_ZH.items()]
    parts.append(f"无期限 {int(frame['status'].isna().sum())}")
    line = f"{cp.id}: {len(frame)} 件({'、'.join(parts)});违规 {int(frame['violations'].sum())} 项"
    outside = int((~frame["in_force"]).sum())
    if outside:
        line += f";{outside} 件不在或不能确认在该文件施行期内"
    provisional = int(frame["provisional"].sum())
    if provisional:
        line += f";{provisional} 件为临时结果(按周末推算,未含节假日安排)"
    partial = answered_in_part(frame["status"] == "unknown", frame["complete"])
    if partial:
        line += f";{partial} 件部分发现因缺少节假日数据而未知"
    return line


def ledger_table(plan: list[tuple[Any, Any]], results: list[list[Any]]) -> str:
    """The table of the JSON path (every case under every pack), then one summary line per pack."""
    pd = _pandas()

    columns: list[list[str]] = [[] for _ in EVALUATION_HEADERS]
    for (cp, _), parts in zip(plan, results):
        for frame in parts:
            for whole, part in zip(columns, _table_columns(cp, frame)):
                whole += part
    text = render_columns(EVALUATION_HEADERS, columns)
    summary = [_summary(cp, pd.concat([p[SUMMARY_COLUMNS] for p in parts]))
               for (cp, _), parts in zip(plan, results)]
    return text + "\n".join(summary) + "\n每项发现的说明(条文原文、理由、所用解释)见 --format json。\n"


def _explained(path: str, df: Any, plan: list[tuple[Any, Any]], as_of: date, options: Any) -> list[Any]:
    """The reference's evaluations, messages included: what evaluate_all gives for the same cases
    (explain_rows counts quotas across the rows given, as evaluate_all across its cases)."""
    from govrules.batch import FrameError, explain_rows

    results: list[Any] = []
    for cp, rows in plan:
        if not len(rows):
            continue
        try:
            results += explain_rows(df.iloc[rows], cp, as_of, list(range(len(rows))), options)
        except FrameError as exc:
            raise _problems_error(path, exc.problems, len(df)) from None
    return results


def _not_in_force_error(path: str, cp: Any, day: Any, ok: Any, ledger: Any) -> InputError:
    """A named pack applied to rows outside its time in force, without --allow-not-in-force: every
    such row listed, as the JSON path refuses the first such case."""
    import numpy as np

    from govrules.batch.schema import CASE_DATE, CASE_TYPES

    pd = _pandas()
    out = np.flatnonzero(~ok)
    days = [d.astype(object) for d in day[out]]
    doc = cp.pack.doc_number or cp.pack.title
    problems = pd.DataFrame({
        "row": out, "index": out, "id": pd.Series([ledger.ids.source[i] for i in out], dtype=object),
        "column": [CASE_DATE[CASE_TYPES[ledger.case_type[i]]] for i in out],
        "value": pd.Series(days, dtype=object),
        "expected": [f"a date on which pack {cp.id} ({doc}) is in force ({cp.in_force_on(d)[1]}), "
                     "or --allow-not-in-force (findings are then marked)" for d in days],
    })
    return _problems_error(path, problems, ledger.size)


def evaluate_ledger(args: argparse.Namespace, as_of: date, is_terminal: Callable[[], bool] | None = None) -> Reply:
    """``govrules evaluate`` of a ledger file: the text for stdout (and on stderr the rows that
    could not be answered for want of a year's holiday data), or a GovrulesError."""
    try:
        from govrules.batch.frame import problems_frame
        from govrules.batch.ledger import read_ledger
        from govrules.batch.readers import read_ledger_file
        from govrules.batch.run import in_force
    except ImportError as exc:
        raise GovrulesError(f"{args.file}: reading a ledger file needs pandas and pyarrow ({exc.name} is missing): "
                            "pip install 'govrules[analysis]'; or give the cases as JSON") from None
    from govrules.engine import compile_pack, results_json
    from govrules.run_options import interpretation_choices, run_options, selected_packs

    path = args.file
    df = read_ledger_file(path, sheet=args.sheet)
    if not len(df):  # as the JSON path refuses an empty array
        raise InputError(path, "no rows after the header: there is nothing to evaluate")
    packs = selected_packs(args.pack)
    choices = interpretation_choices(args, packs)
    options = run_options(args)  # readings are chosen per pack (interpretation_choices)
    _refuse_events(path, df)
    ledger = read_ledger(df)  # every problem of every row, before any pack runs
    if ledger.problems:
        raise _problems_error(path, problems_frame(ledger.problems, ledger), len(df))
    day = _case_days(ledger)
    plan = []
    for pack in packs:
        cp = compile_pack(pack, choices[pack.id])
        ok = in_force(cp, day)
        if args.pack and not args.allow_not_in_force and not ok.all():
            raise _not_in_force_error(path, cp, day, ok, ledger)
        plan.append((cp, _pack_rows(args, cp, day, ok)))
    known = options.work_calendar().known_years
    if args.format == "json":
        results = _explained(path, df, plan, as_of, options)
        return evaluations_reply(results_json(results), results, known)
    show = (is_terminal or stderr_is_terminal)()
    frames = _evaluate_frames(path, ledger, plan, as_of, options, show)
    whole = _pandas().concat([f[["id", "status", "complete"]] for parts in frames for f in parts])
    unknown = (whole["status"] == "unknown").to_numpy(dtype=bool)
    return ledger_reply(ledger_table(plan, frames), [str(i) for i in whole["id"][unknown]],
                        answered_in_part(unknown, whole["complete"]), len(whole), known)
