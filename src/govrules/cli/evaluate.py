"""``govrules evaluate FILE``: deadlines, status and findings of 事项/会议/公文, as JSON or a table.
A ledger file (.csv, .xlsx, .parquet) goes to govrules.cli.ledger, which imports pandas."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from govrules.cli.cases import as_of_date, evaluate_cases, read_objects, source_name
from govrules.cli.reply import Reply, evaluations_reply
from govrules.engine import results_json
from govrules.errors import InputError
from govrules.labels import STATUS_ZH
from govrules.run_options import run_options
from govrules.semantics.results import Evaluation
from govrules.table import EVALUATION_HEADERS, render


def evaluation_rows(results: Sequence[Evaluation]) -> str:
    """The table: one row per case and pack, then every finding's explanation."""
    rows = []
    for ev in results:
        main = ev.findings[0] if ev.findings else None
        rows.append([
            ev.id, ev.pack, ev.deadline.isoformat() if ev.deadline else "—",
            STATUS_ZH[ev.status] if ev.status else "—",
            main.citation if main else "(本规则包无适用规则)",
            str(sum(f.kind in ("violation", "advice") for f in ev.findings)),
        ])
    text = render(list(EVALUATION_HEADERS), rows)
    notes = []
    for ev in results:
        flag = " (临时结果:按周末推算,未含节假日安排)" if ev.provisional else ""
        for f in ev.findings:
            marker = "" if f.in_force else " [该日不在或不能确认在该文件施行期内]"
            notes.append(f"{ev.id} [{f.kind}] {f.message}{marker}{flag}")
    return text + ("\n" + "\n".join(notes) + "\n" if notes else "")


def cmd_evaluate(args: argparse.Namespace) -> Reply:
    from govrules.cli.ledger import evaluate_ledger, is_ledger_file  # no pandas until a ledger file is read

    as_of = as_of_date(args)
    if is_ledger_file(args.file) or args.sheet is not None:  # .csv .xlsx .parquet
        return evaluate_ledger(args, as_of)
    cases = read_objects(args.file)
    for i, case in enumerate(cases):
        if case.type == "event":
            raise InputError(f"{args.file}: [{i}] (id {case.id})", "type: an event (问责事件) cannot be evaluated; use `govrules accountability` for events")
    options = run_options(args)  # once: --holiday-data files are read and a calendar built here
    results = evaluate_cases(args, options, cases, as_of, source_name(args.file))
    text = results_json(results) if args.format == "json" else evaluation_rows(results)
    return evaluations_reply(text, results, options.work_calendar().known_years)
