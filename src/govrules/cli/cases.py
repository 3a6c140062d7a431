"""What evaluate, accountability and deadline share: the as-of date, the objects read from a
file or stdin, the packs in force for them, and the cases evaluated under every pack asked for."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from govrules.engine import CompiledPack, Options, compile_pack, evaluate_all
from govrules.engine.evaluate import UnknownDeadline, case_date
from govrules.errors import HolidayDataMissing, NotInForce, add_context
from govrules.models import load_objects
from govrules.models.parse import read_stdin
from govrules.run_options import interpretation_choices, selected_packs
from govrules.semantics.results import Evaluation

T = TypeVar("T")


def as_of_date(args: argparse.Namespace) -> date:
    if args.as_of is not None:
        return args.as_of  # type: ignore[no-any-return]
    today = date.today()  # the one place govrules reads the clock, and it says so
    print(f"govrules: --as-of not given; using today, {today}", file=sys.stderr)
    return today


def read_objects(path: str, expect: Any = None) -> list[Any]:
    if path == "-":
        return load_objects("<stdin>", read_stdin(sys.stdin), expect)  # bounded like a file
    return load_objects(path, None, expect)


def source_name(path: str) -> str:
    """The file an input error names: the path, or <stdin> for -."""
    return "<stdin>" if path == "-" else path


def in_force_items(args: argparse.Namespace, cp: CompiledPack, items: list[T], day_of: Callable[[T], date]) -> list[T]:
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


def evaluate_cases(args: argparse.Namespace, options: Options, cases: list[Any], as_of: date, source: str,
                   unknown_deadline: UnknownDeadline = "report") -> list[Evaluation]:
    """Every pack asked for (or bundled) over the cases, in pack order then input order; a case
    whose own deadline needs an unknown year has status "unknown" (or refuses the command)."""
    packs = selected_packs(args.pack)
    choices = interpretation_choices(args, packs)
    results: list[Evaluation] = []
    try:
        for pack in packs:
            cp = compile_pack(pack, choices[pack.id])
            results += evaluate_all(in_force_items(args, cp, cases, case_date), as_of, cp, options,
                                    unknown_deadline=unknown_deadline)
    except (HolidayDataMissing, NotInForce) as exc:  # the case is named; the file names where it is
        raise add_context(exc, source) from None
    return results
