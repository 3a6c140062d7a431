"""``evaluate(..., explain=False)`` is the same evaluation with every message left empty: the
stream relies on it for its status-only re-evaluations. The random ledgers of every pack (from
batch_ledgers) make every kind of finding occur."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from batch_ledgers import SPAN, SPANS, ledger, options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.engine import compile_pack, evaluate
from govrules.errors import GovrulesError
from govrules.models import parse_object
from govrules.packs import bundled_ids, bundled_pack


@pytest.mark.parametrize("pack_id", bundled_ids())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_without_messages_only_the_messages_differ(pack_id: str, data: st.DataObject) -> None:
    rows, as_of = data.draw(ledger(*SPANS.get(pack_id, SPAN)))
    opts = data.draw(options(pack_id))
    cp = compile_pack(bundled_pack(pack_id), opts.interpretations)
    for raw in rows:
        case = parse_object(raw)
        try:
            full = evaluate(case, as_of, cp, opts)
        except GovrulesError as exc:  # the quiet run must refuse the same cases, the same way
            with pytest.raises(type(exc), match=None) as quiet_exc:
                evaluate(case, as_of, cp, opts, explain=False)
            assert str(quiet_exc.value) == str(exc)
            continue
        quiet = evaluate(case, as_of, cp, opts, explain=False)
        assert all(f.message == "" for f in quiet.findings)
        assert quiet == replace(full, findings=tuple(replace(f, message="") for f in full.findings))


def test_messages_are_made_by_default() -> None:
    case = parse_object({"type": "matter", "id": "M1", "source": "市领导批示", "assigned_on": "2026-09-28",
                         "lead_unit": "市交通局"})
    full = evaluate(case, date(2026, 10, 30), bundled_pack("jinan-2016-30"))
    assert full.status == "overdue" and all(f.message for f in full.findings)
