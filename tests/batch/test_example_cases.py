"""Every example case of every bundled pack, as a one-row ledger through evaluate_frame, gives the
deadline, status and findings its pack file expects (the sentences of the regulations)."""

from __future__ import annotations

import pandas as pd
import pytest

from govrules.batch import evaluate_frame
from govrules.engine import Options
from govrules.packs import bundled_pack, rules_dir
from govrules.packs.examples import ExampleCase, load_examples

CASES = [
    (examples.pack, case)
    for path in sorted(rules_dir().glob("*.cases.yaml"))
    for examples in [load_examples(path)]
    for case in examples.cases
    if case.input is not None
]


@pytest.mark.parametrize(("pack_id", "case"), CASES, ids=[f"{p}: {c.name}" for p, c in CASES])
def test_example_case_through_frame(pack_id: str, case: ExampleCase) -> None:
    assert case.input is not None and case.expect is not None
    options = Options(interpretations=case.interpretations, allow_not_in_force=case.allow_not_in_force)
    out = evaluate_frame(pd.DataFrame([case.input]), bundled_pack(pack_id), case.as_of, options)
    row = out.iloc[0]
    got = {
        "deadline": None if row["deadline"] is pd.NA else row["deadline"],
        "status": None if pd.isna(row["status"]) else row["status"],
        "findings": [(f["rule"].removeprefix(f"{pack_id}/"), f["kind"], f["due"]) for f in row["findings"]],
    }
    want = {
        "deadline": case.expect.deadline,
        "status": case.expect.status,
        "findings": [(f.rule, f.kind, f.due) for f in case.expect.findings],
    }
    assert got == want
