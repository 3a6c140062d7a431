"""``govrules accountability FILE``: each responsible unit's step on each accountability ladder."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from govrules.cli.cases import as_of_date, in_force_items, read_objects, source_name
from govrules.engine import accountability, compile_pack, results_json
from govrules.errors import HolidayDataMissing, NotInForce, add_context
from govrules.models import Event
from govrules.run_options import interpretation_choices, run_options, selected_packs
from govrules.semantics.results import UnitAccountability
from govrules.table import render


def accountability_rows(results: Sequence[UnitAccountability]) -> str:
    rows = [[r.unit, str(r.level), r.outcome or "—", str(r.counted), r.window, r.citation if r.level else "—",
             "、".join(r.targets) or "—", "、".join(r.copied_to) or "—"] for r in results]
    return render(["责任单位", "级别", "问责方式", "计入次数", "期间", "依据", "对象", "抄报"], rows)


def cmd_accountability(args: argparse.Namespace) -> str:
    as_of = as_of_date(args)
    events = read_objects(args.file, Event)
    options = run_options(args)
    packs = selected_packs(args.pack)
    choices = interpretation_choices(args, packs)
    results: list[UnitAccountability] = []
    try:
        for pack in packs:
            cp = compile_pack(pack, choices[pack.id])
            mine = in_force_items(args, cp, events, lambda e: e.on)
            if mine:
                results += accountability(mine, as_of, cp, options)
    except (HolidayDataMissing, NotInForce) as exc:
        raise add_context(exc, source_name(args.file)) from None
    return results_json(results) if args.format == "json" else accountability_rows(results)
