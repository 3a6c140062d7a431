"""The parser of every command, and main: which command runs, and how its reply is printed.

Output goes to stdout only once the whole input has been read and evaluated, so a file that
fails prints nothing partial; every input problem is one message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from govrules.cli.accountability import cmd_accountability
from govrules.cli.calendar import add_calendar_parser
from govrules.cli.deadline import cmd_deadline
from govrules.cli.evaluate import cmd_evaluate
from govrules.cli.packs import cmd_new_pack, cmd_pack_schema, cmd_packs, cmd_validate
from govrules.cli.reply import Reply
from govrules.errors import EXCERPT_CHARS, GovrulesError
from govrules.models.dates import parse_iso_date
from govrules.run_options import add_run_options, bounded_int


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


# -- the commands that hand over to another package ----------------------------------------------


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


# -- the parser and main -----------------------------------------------------------------------


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
