"""Conditions compiled to masks agree with the reference's predicates, row by row, for random
condition trees over every field of every case type; first_match agrees with the reference's
"first rule whose when holds" (next(...))."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from batch_ledgers import document, matter, meeting
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govrules.batch.ledger import read_ledger
from govrules.batch.masks import Masks, Unsupported
from govrules.models import parse_object
from govrules.packs.conditions import Condition, compile_predicate, parse_condition
from govrules.packs.loader import _allowed_values  # the loader's own reading of the model fields

FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)
MAKERS = {"matter": matter, "meeting": meeting, "document": document}
SKIP = {"type", "id", "text", "lead_unit", "organizer"}  # free text: only is_null is compiled


@st.composite
def comparison(draw: st.DrawFn, case_type: str) -> dict[str, Any]:
    model = type(parse_object(draw(MAKERS[case_type](FIRST, LAST)) | {"id": "X"}))
    fields = {n: f.annotation for n, f in model.model_fields.items() if n not in SKIP}
    name = draw(st.sampled_from(sorted(fields)))
    allowed = _allowed_values(fields[name])
    shown = str(fields[name])
    listed = "tuple" in shown
    if allowed:
        value: st.SearchStrategy[Any] = st.sampled_from(list(allowed))
    elif "Extension" in shown:
        value = st.none()
    else:  # the operand a pack would write for the field's type
        value = st.dates(FIRST, LAST) if "date" in shown else st.integers(0, 200) if "int" in shown.lower() else st.booleans()
    if listed:
        op = draw(st.sampled_from(["is_empty", "contains"]))
    else:
        op = draw(st.sampled_from(["eq", "ne", "in", "lt", "le", "gt", "ge", "is_null"]))
    if op in ("is_null", "is_empty"):
        return {"field": name, op: draw(st.booleans())}
    if op == "in":
        return {"field": name, "in": draw(st.lists(value | st.none(), min_size=1, max_size=3))}
    return {"field": name, op: draw(value)}


def tree(case_type: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        comparison(case_type),
        lambda inner: st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3))
        | st.builds(lambda xs: {"any": xs}, st.lists(inner, max_size=3))
        | st.builds(lambda x: {"not": x}, inner),
        max_leaves=5,
    )


def _reference(cond: Condition | None, cases: list[Any]) -> list[bool]:
    pred = compile_predicate(cond)
    out = []
    for case in cases:
        try:
            out.append(bool(pred(case)))
        except TypeError:  # e.g. a date compared with an int: Python refuses, so must the masks
            out.append(None)  # type: ignore[arg-type]
    return out


@given(data=st.data(), case_type=st.sampled_from(sorted(MAKERS)))
@settings(max_examples=80, deadline=None)
def test_masks_agree_with_predicates(data: st.DataObject, case_type: str) -> None:
    rows = data.draw(st.lists(MAKERS[case_type](FIRST, LAST), min_size=1, max_size=12))
    for i, r in enumerate(rows):
        r["id"] = f"R{i}"
    cases = [parse_object(r) for r in rows]
    table = read_ledger(pd.DataFrame(rows)).tables[case_type]  # type: ignore[index]
    conds = [parse_condition(data.draw(tree(case_type))) for _ in range(3)]
    want = [_reference(c, cases) for c in conds]
    assume(all(None not in w for w in want))
    masks = Masks(table)
    try:
        got = [masks.of(c).tolist() for c in conds]
    except Unsupported:
        return  # those rows go to the reference evaluator (run.py); nothing to compare
    assert got == want
    firsts = [next((k for k, w in enumerate(want) if w[i]), -1) for i in range(len(cases))]
    assert masks.first_match(conds).tolist() == firsts  # type: ignore[arg-type]


def test_lookup_over_combinations_is_used_for_categories() -> None:
    """first_match over category / flag / emptiness conditions reads one small table."""
    rows = [{"type": "matter", "id": f"M{i}", "source": s, "assigned_on": "2025-03-03", "lead_unit": "市交通局",
             "urgency": u, **({"explicit_deadline": "2025-04-01"} if e else {})}
            for i, (s, u, e) in enumerate([("市领导批示", "一般", False), ("常务会议", "紧急", False), ("来文", "一般", True)])]
    table = read_ledger(pd.DataFrame(rows)).tables["matter"]
    urgent = [{"field": "urgency", "in": ["紧急", "特急"]}, {"field": "explicit_deadline", "is_null": True}]
    conds = [parse_condition({"all": urgent}),
             parse_condition({"field": "source", "eq": "市领导批示"}),
             parse_condition({"field": "explicit_deadline", "is_null": False})]
    masks = Masks(table)
    assert masks._finite(conds) is not None  # type: ignore[arg-type]
    assert masks.first_match(conds).tolist() == [1, 0, 2]  # type: ignore[arg-type]
    assert np.array_equal(masks.first_match(conds), masks._first_by_masks(conds))  # type: ignore[arg-type]
