"""``govrules watch --pack ID EVENTS.jsonl``: events in, one per line; actions out, as JSON lines.

A line holds one event (a JSON object) or a batch of them (a JSON array, not empty). A bad line or
event gets one message on stderr naming the file, the line (and column) and the problem; the stream
goes on and nothing already accepted is lost. If any was refused the command ends with exit code 2.

Lines are read as bytes, from a file and from stdin alike, and each is read by itself with the one
JSON reader (govrules.json_reader): a line that is not UTF-8 costs that line only, a byte-order
mark is accepted, and a line longer than MAX_LINE_BYTES is refused without being read whole.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, Final

from govrules.run_options import Once, add_run_options, bounded_int, run_options
from govrules.engine import Options
from govrules.errors import GovrulesError, InputError
from govrules.json_reader import JsonRefused, LineOf, read_json_bytes
from govrules.textfile import size_refusal
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
    p.add_argument("--cross-check", action="store_true",
                   help="debugging: also ask the reference evaluator, and warn where durable-rules fired otherwise")
    p.add_argument("events", metavar="EVENTS.jsonl", help="one event (or a JSON array of events) per line; - for stdin")




def watch_options(args: argparse.Namespace, pack: Pack) -> Options:
    """The run's options, with ``--interpretation`` read as ``govrules evaluate`` reads it."""
    try:
        return run_options(args, choose_readings([pack], args.interpretation or ())[pack.id])
    except ReadingChoiceError as exc:
        raise InputError("--interpretation", str(exc)) from None


class StreamInputErrors(GovrulesError):
    """Some lines or events of the stream were refused (each was reported as it came)."""


# One line holds one event or a batch of them; as large as an HTTP body may be, and never more
# is kept in memory: a longer line is refused (and skipped) without being read whole.
MAX_LINE_BYTES: Final = 10 * 1024 * 1024


def _lines(stream: IO[Any]) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) of each non-blank line, or (number, None) for a line over MAX_LINE_BYTES.

    Bytes, not text: each line is decoded by itself, so that one bad byte costs one line."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if isinstance(line, str):  # a text stream without a byte buffer (e.g. a StringIO in a test)
            line = line.encode("utf-8", "surrogateescape")
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the line, a block at a time
                rest = stream.readline(1 << 16)
                if not rest or rest.endswith(b"\n" if isinstance(rest, bytes) else "\n"):
                    break
            yield number, None
        elif line.strip():
            yield number, line


def watch_main(args: argparse.Namespace, out: IO[str] | None = None, err: IO[str] | None = None) -> str:
    """Run ``govrules watch``: print each action as a JSON line as the events cause them.

    Returns "" (everything is printed as it happens); raises a GovrulesError at the end if any
    line or event was refused, so that the command exits with code 2."""
    from govrules.stream.supervisor import Supervisor  # loaded here: the parser alone stays light

    out = out or sys.stdout
    err = err or sys.stderr
    pack = get_pack(args.pack)
    options = watch_options(args, pack)
    source = "<stdin>" if args.events == "-" else args.events
    batch = args.batch or (1 if args.events == "-" else 256)

    def incident(i: Incident) -> None:
        print(f"govrules: warning: {i.kind}: {i.detail}", file=err, flush=True)

    # `incident` prints each incident; the supervisor also logs it, and with no handler configured
    # logging's last resort would print it to stderr a second time
    log = logging.getLogger("govrules.stream")
    if not log.hasHandlers():
        log.addHandler(logging.NullHandler())

    refused = lines_refused = accepted = 0
    try:
        stream: IO[Any] = getattr(sys.stdin, "buffer", sys.stdin) if args.events == "-" else open(args.events, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(source, f"cannot read the events: {exc.strerror or exc}") from None
    with Supervisor(pack, options, on_incident=incident, cross_check=getattr(args, "cross_check", False)) as sup:
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
                    if line is None:  # too long: refused without being read whole
                        too_long = size_refusal(f"more than {MAX_LINE_BYTES}", MAX_LINE_BYTES, "the line")
                        raise JsonRefused(where, f"{too_long}; the line is skipped")
                    raw = read_json_bytes(LineOf(source, number), line.rstrip(b"\r\n"), MAX_LINE_BYTES, "the line")
                except JsonRefused as exc:
                    pending.append((exc.where, None, exc.problem))
                else:
                    if isinstance(raw, list) and not raw:
                        pending.append((where, None, "empty batch: the line is an empty array, there is no event to post"))
                    elif isinstance(raw, list):
                        pending.extend((f"{where}[{i}]", item, None) for i, item in enumerate(raw))
                    else:
                        pending.append((where, raw, None))
                if len(pending) >= batch:
                    flush()
            flush()
        finally:
            if args.events != "-":
                stream.close()
    if refused or lines_refused:
        parts = [f"{refused} event(s)" if refused else "", f"{lines_refused} line(s)" if lines_refused else ""]
        raise StreamInputErrors(
            f"{source}: {' and '.join(p for p in parts if p)} refused (each reported above); "
            f"{accepted} event(s) accepted and applied"
        )
    return ""
