"""``govrules watch --pack ID EVENTS.jsonl``: events in, one per line; actions out, as JSON lines.

A line holds one event (a JSON object) or a batch of them (a JSON array, not empty). A bad line or
event gets one message on stderr naming the file, the line and the problem; the stream goes on and
nothing already accepted is lost. If any was refused the command ends with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from govrules.cli_options import Once, add_run_options, bounded_int, run_options
from govrules.engine import Options
from govrules.errors import GovrulesError, InputError
from govrules.packs import get_pack
from govrules.packs.readings import ReadingChoiceError, choose_readings
from govrules.packs.schema import Pack

if TYPE_CHECKING:
    from govrules.stream.supervisor import Incident


def add_watch_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``govrules watch`` (cli.py adds the subcommand and calls watch_main)."""
    p.add_argument("--pack", required=True, action=Once, help="bundled pack id or pack file")
    add_run_options(p, "choose another reading the pack declares ([PACK:]ID=OPTION); repeatable")
    p.add_argument("--batch", type=bounded_int(1, 100_000, "lines"), default=None, metavar="N",
                   help="lines posted together (default: 1 from stdin, so each action prints at once; 256 from a file)")
    p.add_argument("events", metavar="EVENTS.jsonl", help="one event (or a JSON array of events) per line; - for stdin")




def watch_options(args: argparse.Namespace, pack: Pack) -> Options:
    """The run's options, with ``--interpretation`` read as ``govrules evaluate`` reads it."""
    try:
        return run_options(args, choose_readings([pack], args.interpretation or ())[pack.id])
    except ReadingChoiceError as exc:
        raise InputError("--interpretation", str(exc)) from None


class StreamInputErrors(GovrulesError):
    """Some lines or events of the stream were refused (each was reported as it came)."""


def _lines(stream: IO[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, 1):
        if line.strip():
            yield number, line


def watch_main(args: argparse.Namespace, out: IO[str] | None = None, err: IO[str] | None = None) -> str:
    """Run ``govrules watch``: print each action as a JSON line as the events cause them.

    Returns "" (everything is printed as it happens); raises a GovrulesError at the end if any
    line or event was refused, so that the command exits with code 2."""
    from govrules.stream.events import EventRejected
    from govrules.stream.supervisor import Supervisor  # loaded here: the parser alone stays light

    out = out or sys.stdout
    err = err or sys.stderr
    pack = get_pack(args.pack)
    options = watch_options(args, pack)
    source = "<stdin>" if args.events == "-" else args.events
    batch = args.batch or (1 if args.events == "-" else 256)

    def incident(i: Incident) -> None:
        print(f"govrules: warning: {i.kind}: {i.detail}", file=err, flush=True)

    refused = lines_refused = accepted = 0
    try:
        stream: IO[str] = sys.stdin if args.events == "-" else open(args.events, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(source, f"cannot read the events: {exc.strerror or exc}") from None
    with Supervisor(pack, options, on_incident=incident) as sup:
        # (where, event) or (where, problem with the line): kept in input order, so that messages
        # and actions come out in the order of the lines that caused them
        pending: list[tuple[str, Any, str | None]] = []

        def flush() -> None:
            nonlocal refused, lines_refused, accepted
            events = [raw for _, raw, bad in pending if bad is None]
            outcomes = iter(sup.post_all(events) if events else [])
            for where, _, bad in pending:
                if bad is not None:
                    lines_refused += 1
                    print(f"govrules: {where}: error: {bad}", file=err, flush=True)
                    continue
                outcome = next(outcomes)
                if outcome.error is not None:
                    refused += 1
                    out.flush()
                    print(f"govrules: {where}: error: {outcome.error}", file=err, flush=True)
                    continue
                accepted += 1
                for action in outcome.actions:
                    out.write(action.to_json() + "\n")
            out.flush()
            pending.clear()

        try:
            for number, line in _lines(stream):
                where = f"{source}:{number}"
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    pending.append((where, None, f"not valid JSON (column {exc.colno}): {exc.msg}"))
                except RecursionError:
                    pending.append((where, None, "JSON nested too deeply"))
                else:
                    if isinstance(raw, list) and not raw:
                        problem = EventRejected("", "empty batch: the line is an empty array, there is no event to post")
                        pending.append((where, None, str(problem)))
                    elif isinstance(raw, list):
                        pending.extend((f"{where}[{i}]", item, None) for i, item in enumerate(raw))
                    else:
                        pending.append((where, raw, None))
                if len(pending) >= batch:
                    flush()
            flush()
        finally:
            if stream is not sys.stdin:
                stream.close()
    if refused or lines_refused:
        parts = [f"{refused} event(s)" if refused else "", f"{lines_refused} line(s)" if lines_refused else ""]
        raise StreamInputErrors(
            f"{source}: {' and '.join(p for p in parts if p)} refused (each reported above); "
            f"{accepted} event(s) accepted and applied"
        )
    return ""
