"""The ledger path asks the reference's home for two meanings instead of restating them
(docs/architecture.md, "Where each meaning lives"): a breach's kind by force (engine/findings.py)
and the days a pack is in force (engine/compiled.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import get_args

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kinds_packs import KINDS_ID, pack_of

from govrules.batch import evaluate_frame
from govrules.batch.run import in_force
from govrules.engine import compile_pack, evaluate
from govrules.semantics.findings import kind_of_breach
from govrules.models import parse_object
from govrules.packs.schema import Force, Pack, Status, Validity

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


DAYS = st.dates(date(2000, 1, 1), date(2030, 12, 31))


@st.composite
def validities(draw: st.DrawFn) -> Validity:
    status: Status = draw(st.sampled_from(get_args(Status)))
    start = draw(st.none() | DAYS)
    ended = None
    if status != "有效" and draw(st.booleans()):
        ended = draw(DAYS) if start is None else start + timedelta(days=draw(st.integers(1, 4000)))
    return Validity(status=status, in_force_from=start, ended=ended, end_known=ended is not None or draw(st.booleans()),
                    note="测试")


@given(validity=validities(), days=st.lists(st.none() | DAYS, max_size=20))
@settings(max_examples=300, deadline=None)
def test_in_force_over_a_column_is_in_force_on_each_day(validity: Validity, days: list[date | None]) -> None:
    base = compile_pack(pack_of(KINDS_ID))
    cp = replace(base, pack=base.pack.model_copy(update={"validity": validity}))
    column = np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in days], dtype="datetime64[D]")
    want = [d is not None and cp.in_force_on(d)[0] for d in days]
    assert in_force(cp, column).tolist() == want
