"""``govrules deadline --source … --assigned …``: the deadline of one matter under each pack."""

from __future__ import annotations

import argparse
from typing import Any

from govrules.cli.cases import evaluate_cases
from govrules.engine import results_json
from govrules.models import Matter, parse_object
from govrules.run_options import run_options


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
    results = evaluate_cases(args, run_options(args), [matter], args.as_of or args.assigned, "--assigned", "raise")
    if args.format == "json":
        return results_json(results)
    return "".join(
        f"{r.pack}: {r.deadline.isoformat() if r.deadline else '无法确定'}\n"
        + "".join(f"  {f.message}\n" for f in r.findings if f.kind in ("deadline", "unknown"))
        for r in results
    )
