"""The realistic synthetic ledger of examples/generate_ledger.py, in its CSV form read by pandas
(JSON arrays and objects in cells, event columns beside the cases), agrees with the reference
under every bundled pack; its events are the rows refused, and the share of rows left to the
reference evaluator is small."""

from __future__ import annotations

import importlib.util
import io
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from govrules.batch import evaluate_frame
from govrules.engine import Options, evaluate_all
from govrules.models import parse_object
from govrules.packs import bundled_ids, bundled_pack

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "generate_ledger.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_ledger_for_batch", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


GEN = _generator()
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
