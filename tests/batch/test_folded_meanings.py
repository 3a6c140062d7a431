"""The ledger path asks the reference's home for meanings instead of restating them
(docs/architecture.md, "Where each meaning lives"): a breach's kind by force (engine/findings.py)."""

from __future__ import annotations

from datetime import date
from typing import get_args

import pandas as pd
import pytest
from kinds_packs import KINDS_ID, pack_of

from govrules.batch import evaluate_frame
from govrules.engine import compile_pack, evaluate
from govrules.engine.findings import kind_of_breach
from govrules.models import parse_object
from govrules.packs.schema import Force, Pack

AS_OF = date(2025, 3, 3)
# each breaches one kind of rule of kinds.yaml by AS_OF: requirement/absent (a check),
# obligation/daily (recurring reports never made), deadline/ten (overdue)
ROWS = [
    {"id": "M1", "type": "meeting", "kind": "专题会议", "held_on": "2025-02-10", "absent_without_reason": ["市交通局"]},
    {"id": "X1", "type": "matter", "source": "突发事件", "assigned_on": "2025-02-03", "lead_unit": "市交通局"},
    {"id": "X2", "type": "matter", "source": "常务会议", "assigned_on": "2025-01-06", "lead_unit": "市教育局"},
]
BREACHES = {"M1": "requirement/absent", "X1": "obligation/daily", "X2": "deadline/ten"}


def _every_rule_of_force(force: Force) -> Pack:
    """kinds.yaml with each mandatory rule given ``force``."""
    pack = pack_of(KINDS_ID)
    given = {"force": force, "exception": "测试"} if force == "default" else {"force": force}
    rules = [r.model_copy(update=given) if r.force == "mandatory" else r for r in pack.rules]
    return pack.model_copy(update={"rules": rules})


@pytest.mark.parametrize("force", get_args(Force))
def test_breach_kind_on_the_ledger_path_is_the_homes(force: Force) -> None:
    pack = _every_rule_of_force(force)
    cp = compile_pack(pack)
    out = evaluate_frame(pd.DataFrame(ROWS), pack, AS_OF)
    breach = kind_of_breach(force)
    for rec in out.itertuples(index=False):
        got = [(f["rule"], f["kind"]) for f in rec.findings]
        want = [(f.rule, f.kind) for f in evaluate(parse_object(next(r for r in ROWS if r["id"] == rec.id)), AS_OF, cp).findings]
        assert got == want, rec.id
        assert {k for r, k in got if r.endswith(BREACHES[rec.id]) and k in ("advice", "violation")} == {breach}, got
    assert kind_of_breach("advisory") == "advice"  # the law itself: advice is never a violation
