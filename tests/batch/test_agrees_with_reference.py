"""evaluate_frame agrees with the reference evaluator, row by row, on random ledgers of every
bundled pack and of the engine's pack of every rule kind (tests/engine/packs/kinds.yaml):
deadline, status, provisional, and each finding's (rule, kind, due) in order; the rows the
reference refuses (a year without holiday data) are exactly the rows set aside."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from batch_ledgers import KINDS_DAILY_ID, KINDS_ID, PACK_IDS, RULED, RULED_SOURCES, SPAN, SPANS, ledger, options, pack_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.batch import evaluate_frame
from govrules.engine import Options, compile_pack, evaluate
from govrules.engine.quotas import quota_findings
from govrules.errors import GovrulesError
from govrules.models import parse_object

FORMS = ("records", "arrow", "categories")


def _frame(rows: list[dict[str, Any]], form: str) -> pd.DataFrame:
    """The ledger as pd.DataFrame(records) gives it (object columns of lists, dicts and ISO
    strings), or as read from Parquet (Arrow lists, datetime64 dates, flat extension columns),
    or with categorical columns, Chinese column names and lists as 、-separated strings."""
    df = pd.DataFrame(rows)
    if form == "arrow":
        if "extension" in df:
            ext = [e if isinstance(e, dict) else {} for e in df.pop("extension")]
            df["extension_requested_on"] = pd.to_datetime([e.get("requested_on") for e in ext])
            df["extension_new_deadline"] = pd.to_datetime([e.get("new_deadline") for e in ext])
            df["extension_approved"] = pd.array([e.get("approved") for e in ext], dtype="boolean")
        if "reports" in df:
            cells = [[date.fromisoformat(x) for x in v] if isinstance(v, list) else None for v in df["reports"]]
            df["reports"] = pd.Series(pa.array(cells, type=pa.list_(pa.date32())), dtype=pd.ArrowDtype(pa.list_(pa.date32())))
        for name in ("approvals", "absent_without_reason"):
            if name in df:
                cells = [v if isinstance(v, list) else None for v in df[name]]
                df[name] = pd.Series(pa.array(cells, type=pa.list_(pa.string())), dtype=pd.ArrowDtype(pa.list_(pa.string())))
        for name in ("assigned_on", "held_on", "issued_on", "completed_on", "explicit_deadline"):
            if name in df:
                df[name] = pd.to_datetime(df[name])
    elif form == "categories":
        for name in ("type", "source", "kind", "issuer", "urgency", "convened_by", "category"):
            if name in df:
                df[name] = df[name].astype("category")
        for name in ("reports", "approvals", "decision_procedures"):
            if name in df:
                df[name] = ["、".join(v) if isinstance(v, list) else None for v in df[name]]
        df = df.rename(columns={"source": "事项来源", "assigned_on": "交办日期", "held_on": "召开日期", "issuer": "发文机关"})
    return df


def _reference(rows: list[dict[str, Any]], as_of: date, pack_id: str, opts: Options) -> dict[str, Any]:
    """What evaluate_all gives each row (status "unknown" where its deadline needs a year without
    holiday data), or the error evaluate raises for it."""
    cp = compile_pack(pack_of(pack_id), opts.interpretations)
    cases = [parse_object(r) for r in rows]
    out: dict[str, Any] = {}
    ok = []
    for case in cases:
        try:
            out[case.id] = evaluate(case, as_of, cp, opts, unknown_deadline="report")  # a ledger row
            ok.append(case)
        except GovrulesError as exc:
            out[case.id] = exc
    for k, extra in quota_findings(cp, ok, as_of).items():  # type: ignore[arg-type]
        ev = out[ok[k].id]
        out[ok[k].id] = replace(ev, findings=ev.findings + tuple(extra))
    return out


def _cell(value: Any) -> Any:
    return None if value is pd.NA or value is None or (isinstance(value, float) and np.isnan(value)) else value


def check(rows: list[dict[str, Any]], as_of: date, pack_id: str, opts: Options, form: str) -> None:
    want = _reference(rows, as_of, pack_id, opts)
    result = evaluate_frame(_frame(rows, form), pack_of(pack_id), as_of, opts, bad_rows="separate")
    refused = {k for k, v in want.items() if isinstance(v, Exception)}
    assert set(result.bad_rows["id"]) == refused
    got = result.evaluated
    assert list(got["id"]) == [r["id"] for r in rows if r["id"] not in refused]
    for rec in got.itertuples(index=False):
        ev = want[rec.id]
        findings = [(f.rule, f.kind, f.due) for f in ev.findings]
        assert [(f["rule"], f["kind"], f["due"]) for f in rec.findings] == findings, rec.id
        assert (_cell(rec.deadline), _cell(rec.status), rec.provisional, rec.complete) == (
            ev.deadline, ev.status, ev.provisional, ev.complete), rec.id
        assert list(rec.rules) == list(dict.fromkeys(f.rule for f in ev.findings))
        assert rec.violations == sum(f.kind == "violation" for f in ev.findings)


SETTINGS = settings(max_examples=int(os.environ.get("GOVRULES_BATCH_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])



@pytest.mark.parametrize("pack_id", PACK_IDS)
@given(data=st.data())
@SETTINGS
def test_frame_agrees_with_reference(pack_id: str, data: st.DataObject) -> None:
    first, last = SPANS.get(pack_id, SPAN)
    if pack_id in (KINDS_ID, KINDS_DAILY_ID) and data.draw(st.booleans()):
        first = date(2026, 6, 1)  # its validity leaves few ledgers near the years without holiday data
    rows, as_of = data.draw(ledger(first, last, RULED.get(pack_id, RULED_SOURCES)))
    check(rows, as_of, pack_id, data.draw(options(pack_id)), data.draw(st.sampled_from(FORMS)))
