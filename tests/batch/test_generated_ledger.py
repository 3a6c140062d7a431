"""The realistic synthetic ledger of examples/generate_ledger.py, in its CSV form read by pandas
(JSON arrays and objects in cells, event columns beside the cases), agrees with the reference
under every bundled pack; its events are the rows refused, and the share of rows left to the
reference evaluator is small."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from ledger_generator import generator

from govrules.batch import evaluate_frame
from govrules.engine import Options, evaluate_all
from govrules.models import parse_object
from govrules.packs import bundled_ids, bundled_pack





GEN = generator()
OBJECTS = GEN.generate(11, matters=600, meetings=60, documents=120, events=10)
FRAME = pd.read_csv(io.StringIO(GEN.to_csv(OBJECTS)))
CASES = [parse_object(o) for o in OBJECTS if o["type"] != "event"]


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_generated_ledger_agrees_with_evaluate_all(pack_id: str) -> None:
    options = Options(allow_not_in_force=True)
    as_of = date(2026, 9, 30)
    result = evaluate_frame(FRAME, bundled_pack(pack_id), as_of, options, bad_rows="separate")
    assert set(result.bad_rows["type"]) == {"event"}  # not cases: accountability reads them
    want = evaluate_all(CASES, as_of, bundled_pack(pack_id), options)
    got = result.evaluated
    assert list(got["id"]) == [w.id for w in want]
    for rec, ev in zip(got.itertuples(index=False), want):
        assert [(f["rule"], f["kind"], f["due"]) for f in rec.findings] == [(f.rule, f.kind, f.due) for f in ev.findings]
        assert (None if rec.deadline is pd.NA else rec.deadline) == ev.deadline
        assert (None if pd.isna(rec.status) else rec.status) == ev.status
    left = (got["path"] != "vector").mean()
    assert left < (0.1 if pack_id == "tigao-xiaolv-yijian" else 0.01), got["path"].value_counts()
