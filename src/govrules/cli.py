"""The govrules command line, as in shared/design/interchange.md.

Output goes to stdout only once the whole input has been read and evaluated, so a file that
fails prints nothing partial; every input problem is one message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from govrules.cli_options import (
    UsageError, add_run_options, bounded_int, interpretation_choices, run_options, selected_packs,
)
from govrules.engine import CompiledPack, Options, accountability, compile_pack, evaluate_all, results_json
from govrules.cli_reply import Reply, ledger_reply
from govrules.engine.evaluate import UnknownDeadline, case_date
from govrules.semantics.results import STATUS_ZH, Evaluation, UnitAccountability
from govrules.errors import EXCERPT_CHARS, GovrulesError, HolidayDataMissing, InputError, NotInForce, PackError, add_context
from govrules.models import Event, Matter, load_objects, parse_object
from govrules.models.parse import read_stdin
from govrules.models.dates import parse_iso_date
from govrules.packs import bundled_ids, bundled_pack, load_pack
from govrules.packs.coverage import coverage, coverage_markdown
from govrules.packs.schema import Pack
from govrules.packs.summary import pack_summary
from govrules.table import EVALUATION_HEADERS, render


class _ShownPackError(GovrulesError):
    """A PackError as validate prints it: the message, then the source line and a caret under the value."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line, like every other input error; the usage is one --help away. argparse quotes a
        # bad value whole (an argument may be 128 KB): cut like every quoted input
        if len(message) > 2 * EXCERPT_CHARS + 100:
            message = message[: 2 * EXCERPT_CHARS + 99] + "…"
        self.exit(2, f"govrules: error: {message} (see: {self.prog} --help)\n")


def _date(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _as_of(args: argparse.Namespace) -> date:
    if args.as_of is not None:
        return args.as_of  # type: ignore[no-any-return]
    today = date.today()  # the one place govrules reads the clock, and it says so
    print(f"govrules: --as-of not given; using today, {today}", file=sys.stderr)
    return today


def _read(path: str, expect: Any = None) -> list[Any]:
    if path == "-":
        return load_objects("<stdin>", read_stdin(sys.stdin), expect)  # bounded like a file
    return load_objects(path, None, expect)


T = TypeVar("T")


def _in_force_items(args: argparse.Namespace, cp: CompiledPack, items: list[T], day_of: Callable[[T], date]) -> list[T]:
    """Named packs apply to every item (and refuse those outside their time in force); the
    default, all bundled packs, applies each pack only where it was in force, and says so."""
    if args.pack or args.allow_not_in_force:
        return items
    kept = [item for item in items if cp.in_force_on(day_of(item))[0]]
    if len(kept) < len(items):
        first = next(item for item in items if not cp.in_force_on(day_of(item))[0])
        why = cp.in_force_on(day_of(first))[1]
        print(f"govrules: pack {cp.id} not applied to {len(items) - len(kept)} of {len(items)} objects "
              f"outside its time in force (e.g. {why}); name it with --pack and add --allow-not-in-force to apply it",
              file=sys.stderr)
    return kept


def _evaluation_rows(results: Sequence[Evaluation]) -> str:
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


def _accountability_rows(results: Sequence[UnitAccountability]) -> str:
    rows = [[r.unit, str(r.level), r.outcome or "—", str(r.counted), r.window, r.citation if r.level else "—",
             "、".join(r.targets) or "—", "、".join(r.copied_to) or "—"] for r in results]
    return render(["责任单位", "级别", "问责方式", "计入次数", "期间", "依据", "对象", "抄报"], rows)


def cmd_coverage(packs: list[Pack], fmt: str) -> str:
    if fmt == "markdown":
        return coverage_markdown(packs)
    if fmt == "json":
        items = [{"pack": p.id, "clauses": [c.to_dict() for c in coverage(p)]} for p in packs]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    out = []
    for p in packs:
        rows = [[c.citation, "已编码" if c.encoded_by else "未编码",
                 "、".join(r.removeprefix(p.id + "/") for r in c.encoded_by) or (c.reason or "")] for c in coverage(p)]
        out.append(f"{p.id} {p.doc_number or ''} {p.title}\n" + render(["条款", "状态", "规则 / 未编码原因"], rows))
    return "\n".join(out)


def cmd_packs(args: argparse.Namespace) -> str:
    packs = [bundled_pack(i) for i in bundled_ids()]
    if args.coverage:
        return cmd_coverage(packs, args.format)
    if args.format == "markdown":
        raise UsageError("--format markdown goes with --coverage")
    items = [pack_summary(p) for p in packs]
    if args.format == "json":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    rows = [[str(i["id"]), str(i["doc_number"] or "(未注明)"), str(i["title"]), str(i["issuer"] or "(未注明)"),
             str(i["issued"] or "(未注明)"), str(i["status"]), str(i["ended"] or "—"), str(i["rules"])] for i in items]
    return render(["id", "发文字号", "标题", "发文机关", "日期", "状态", "终止", "规则数"], rows)


def cmd_evaluate(args: argparse.Namespace) -> Reply:
    from govrules.cli_ledger import evaluate_ledger, is_ledger_file  # no pandas until a ledger file is read

    as_of = _as_of(args)
    if is_ledger_file(args.file) or args.sheet is not None:  # .csv .xlsx .parquet
        return evaluate_ledger(args, as_of)
    cases = _read(args.file)
    for i, case in enumerate(cases):
        if case.type == "event":
            raise InputError(f"{args.file}: [{i}] (id {case.id})", "type: an event (问责事件) cannot be evaluated; use `govrules accountability` for events")
    options = run_options(args)  # once: --holiday-data files are read and a calendar built here
    results = _evaluate_cases(args, options, cases, as_of, "<stdin>" if args.file == "-" else args.file)
    text = results_json(results) if args.format == "json" else _evaluation_rows(results)
    unanswered = [r.id for r in results if r.status == "unknown"]
    partial = sum(not r.complete and r.status != "unknown" for r in results)
    return ledger_reply(text, unanswered, partial, len(results), options.work_calendar().known_years)


def _evaluate_cases(args: argparse.Namespace, options: Options, cases: list[Any], as_of: date, source: str,
                    unknown_deadline: UnknownDeadline = "report") -> list[Evaluation]:
    """Every pack asked for (or bundled) over the cases, in pack order then input order; a case
    whose own deadline needs an unknown year has status "unknown" (or refuses the command)."""
    packs = selected_packs(args.pack)
    choices = interpretation_choices(args, packs)
    results: list[Evaluation] = []
    try:
        for pack in packs:
            cp = compile_pack(pack, choices[pack.id])
            results += evaluate_all(_in_force_items(args, cp, cases, case_date), as_of, cp, options,
                                    unknown_deadline=unknown_deadline)
    except (HolidayDataMissing, NotInForce) as exc:  # the case is named; the file names where it is
        raise add_context(exc, source) from None
    return results


def cmd_accountability(args: argparse.Namespace) -> str:
    as_of = _as_of(args)
    events = _read(args.file, Event)
    options = run_options(args)
    packs = selected_packs(args.pack)
    choices = interpretation_choices(args, packs)
    results: list[UnitAccountability] = []
    try:
        for pack in packs:
            cp = compile_pack(pack, choices[pack.id])
            mine = _in_force_items(args, cp, events, lambda e: e.on)
            if mine:
                results += accountability(mine, as_of, cp, options)
    except (HolidayDataMissing, NotInForce) as exc:
        raise add_context(exc, args.file if args.file != "-" else "<stdin>") from None
    return results_json(results) if args.format == "json" else _accountability_rows(results)


def cmd_deadline(args: argparse.Namespace) -> str:
    raw: dict[str, Any] = {
        "type": "matter", "id": "deadline-query", "source": args.source,
        "assigned_on": args.assigned.isoformat(), "urgency": args.urgency, "complex": args.complex,
        "lead_unit": "(查询)",
    }
    if args.explicit_deadline:
        raw["explicit_deadline"] = args.explicit_deadline.isoformat()
    matter = parse_object(raw, "--source/--assigned", Matter)
    # one question: a deadline that needs an unknown year refuses it, as for any one evaluation
    results = _evaluate_cases(args, run_options(args), [matter], args.as_of or args.assigned, "--assigned", "raise")
    if args.format == "json":
        return results_json(results)
    return "".join(
        f"{r.pack}: {r.deadline.isoformat() if r.deadline else '无法确定'}\n"
        + "".join(f"  {f.message}\n" for f in r.findings if f.kind in ("deadline", "unknown"))
        for r in results
    )


def cmd_validate(args: argparse.Namespace) -> str:
    out = []
    for path in args.packs:
        try:
            pack = load_pack(path)
        except PackError as exc:
            raise _ShownPackError(exc.report()) from None
        out.append(f"{path}: ok ({pack.id}: {len(pack.clauses)} clauses, {len(pack.rules)} rules)")
    return "\n".join(out) + "\n"


def cmd_new_pack(args: argparse.Namespace) -> str:
    """A pack scaffold of a document: printed, or written to --out (never over an existing file)."""
    from govrules.packs.scaffold import new_pack

    text, pack = new_pack(args.source, args.id, args.out)
    if args.out is None:
        return text
    try:
        with open(args.out, "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise UsageError(f"{args.out} exists; new-pack does not overwrite a file") from None
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror}") from None
    return f"{args.out}: {len(pack.clauses)} clauses, none encoded yet (check it with: govrules validate {args.out})\n"


def cmd_pack_schema(args: argparse.Namespace) -> str:
    from govrules.packs.scaffold import pack_json_schema_text

    return pack_json_schema_text()


def cmd_schema(args: argparse.Namespace) -> str:
    from govrules.models import cases_json_schema_text

    return cases_json_schema_text()


def cmd_serve(args: argparse.Namespace) -> str:
    from govrules.service import serve  # optional extra: a GovrulesError says pip install 'govrules[service]'

    serve(args.host, args.port, holiday_data=args.holiday_data or ())
    return ""


def cmd_watch(args: argparse.Namespace) -> str:
    from govrules.stream import watch_main  # StreamUnavailable (exit 2) where durable-rules is missing

    return watch_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govrules", description="Deadlines, findings and accountability from cited rule packs.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser, as_of: bool = True) -> None:
        p.add_argument("--pack", action="append", help="bundled pack id or pack file; repeatable, a pack named twice is evaluated once "
                                                      "(default: all bundled packs)")
        if as_of:
            p.add_argument("--as-of", type=_date, help="evaluation date YYYY-MM-DD (default: today, printed to stderr)")
        p.add_argument("--format", choices=["table", "json"], default="table")
        add_run_options(p, "choose another reading (for every pack declaring ID, or only PACK); repeatable")

    p = sub.add_parser("packs", help="the bundled packs and their status")
    p.add_argument("--coverage", action="store_true", help="every clause of each document: encoded by which rules, or why not")
    p.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    p.set_defaults(func=cmd_packs)
    p = sub.add_parser("evaluate", help="deadlines, status and findings for 事项/会议/公文")
    common(p)
    p.add_argument("file", help="JSON object or array; - for stdin; or a ledger file: .csv, .xlsx, .parquet (docs/ledger-files.md)")
    p.add_argument("--sheet", help="the sheet of an .xlsx ledger (default: the first)")
    p.set_defaults(func=cmd_evaluate)
    p = sub.add_parser("accountability", help="each unit's step on the accountability ladder")
    common(p)
    p.add_argument("file", help="JSON array of events; - for stdin")
    p.set_defaults(func=cmd_accountability)
    p = sub.add_parser("deadline", help="the deadline of one matter")
    common(p)
    p.add_argument("--source", required=True, help="事项来源, e.g. 市领导批示")
    p.add_argument("--assigned", required=True, type=_date, help="交办日期 YYYY-MM-DD")
    p.add_argument("--urgency", default="一般", help="一般, 紧急 or 特急")
    p.add_argument("--complex", action="store_true", help="情况复杂、涉及面广")
    p.add_argument("--explicit-deadline", type=_date, help="明确时限 YYYY-MM-DD")
    p.set_defaults(func=cmd_deadline)
    p = sub.add_parser("validate", help="check pack files: schema, clauses, citations")
    p.add_argument("packs", nargs="+")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("serve", help="the HTTP service (needs: pip install 'govrules[service]')")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=bounded_int(1, 65535), default=8000, help="port (default 8000)")
    p.add_argument("--holiday-data", action="append", metavar="FILE", help="holiday schedule of a year the built-in data lacks; repeatable")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("watch", help="the supervision stream: events in (JSON lines), actions out (JSON lines), as rules fire")
    from govrules.stream.watch import add_watch_arguments  # argparse only; durable-rules is not imported

    add_watch_arguments(p)
    p.set_defaults(func=cmd_watch)
    p = sub.add_parser("schema", help="the JSON Schema of the input objects")
    p.set_defaults(func=cmd_schema)
    p = sub.add_parser("new-pack", help="a pack scaffold of a document: its numbered clauses, none encoded yet")
    p.add_argument("source", metavar="SOURCE.txt", help="the document as UTF-8 text")
    p.add_argument("--id", required=True, help="the pack id: lower-case letters, digits, - . /")
    p.add_argument("--out", metavar="FILE", help="write the pack here (default: stdout); an existing file is not overwritten")
    p.set_defaults(func=cmd_new_pack)
    p = sub.add_parser("pack-schema", help="the JSON Schema of a pack file (published as rules/pack.schema.json)")
    p.set_defaults(func=cmd_pack_schema)
    from govrules.cli_calendar import add_calendar_parser

    add_calendar_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        reply = args.func(args)
    except GovrulesError as exc:
        print(f"govrules: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. an option out of range
        print(f"govrules: error: {exc}", file=sys.stderr)
        return 2
    if isinstance(reply, Reply):
        sys.stdout.write(reply.stdout)
        if reply.notice:
            sys.stdout.flush()
            print(reply.notice, file=sys.stderr)
        return reply.code
    sys.stdout.write(reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
