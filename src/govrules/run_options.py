"""The options every command that runs a pack shares (evaluate, accountability, deadline, watch):
their argparse types, the packs and readings they choose, and the calendar and Options they stand
for. One place, so the CLI, the ledger command and the stream cannot drift apart.

It sits below both govrules.cli and govrules.stream (whose ``watch`` command uses it), so that
neither imports the other's package to share it: the CLI imports the stream, never the reverse."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from govrules.calendar import WorkCalendar
from govrules.engine import Options
from govrules.errors import GovrulesError, excerpt
from govrules.packs import bundled_ids, bundled_pack, get_pack
from govrules.packs.readings import ReadingChoiceError, choose_readings
from govrules.packs.schema import Pack


class UsageError(GovrulesError):
    """A command line that cannot mean anything (e.g. a reading no pack declares)."""


def bounded_int(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse type for a whole number from ``low`` to ``high``; messages name ``unit`` if given."""
    of_unit, in_unit = (f" of {unit}", f" {unit}") if unit else ("", "")

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number{of_unit}, got {excerpt(text)}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}{in_unit}, got {value}")
        return value

    return parse


class Once(argparse.Action):
    """An option that takes one value: given again with the same value it counts once; with
    another, the command line is refused rather than the last one silently winning."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[object] | None, option_string: str | None = None) -> None:
        earlier = getattr(namespace, self.dest, None)
        if earlier is not None and earlier != values:
            parser.error(f"{option_string} given twice ({excerpt(earlier)} and {excerpt(values)}); give it once")
        setattr(namespace, self.dest, values)


def add_run_options(p: argparse.ArgumentParser, interpretation_help: str) -> None:
    """--warning-days, --interpretation, --allow-not-in-force, --holiday-data, --provisional."""
    p.add_argument("--warning-days", type=bounded_int(0, 60, "working days"), default=3,
                   help="临期 window in working days (default 3)")
    p.add_argument("--interpretation", action="append", metavar="[PACK:]ID=OPTION",
                   help=f"{interpretation_help}; the same choice twice counts once, two options for one reading are refused")
    p.add_argument("--allow-not-in-force", action="store_true",
                   help="apply packs outside their time in force (findings are marked)")
    p.add_argument("--holiday-data", action="append", metavar="FILE",
                   help="holiday schedule of a year the built-in data lacks; repeatable")
    p.add_argument("--provisional", action="store_true",
                   help="compute years without holiday data from weekends only (results marked provisional)")


def run_options(args: argparse.Namespace, interpretations: dict[str, str] | None = None) -> Options:
    """The calendar (built-in, plus supplied years, or provisional) and the run's choices."""
    cal = WorkCalendar.default()
    for path in args.holiday_data or ():
        cal = cal.with_year_file(path)
    if args.provisional:
        cal = cal.provisional()
    return Options(warning_workdays=args.warning_days, interpretations=interpretations or {},
                   allow_not_in_force=args.allow_not_in_force, calendar=cal)


def selected_packs(refs: Sequence[str] | None) -> list[Pack]:
    """The packs named by ``--pack`` (ids or files), or every bundled pack. A pack named twice
    (by the same reference, or by id and by a file of the same content) is evaluated once, where
    first named; two different packs with one id are refused, as their findings could not be told apart."""
    if not refs:
        return [bundled_pack(i) for i in bundled_ids()]
    packs: dict[str, tuple[str, Pack]] = {}
    for ref in dict.fromkeys(refs):
        pack = get_pack(ref)
        first_ref, first = packs.setdefault(pack.id, (ref, pack))
        if first != pack:
            raise UsageError(f"--pack {excerpt(ref)} and --pack {excerpt(first_ref)} are different packs with the same id "
                             f"{pack.id!r}; name one of them")
    return [pack for _, pack in packs.values()]


def interpretation_choices(args: argparse.Namespace, packs: list[Pack]) -> dict[str, dict[str, str]]:
    """``--interpretation [PACK:]ID=OPTION`` per pack (govrules.packs.readings)."""
    try:
        return choose_readings(packs, args.interpretation or ())
    except ReadingChoiceError as exc:
        raise UsageError(f"--interpretation {exc}") from None
