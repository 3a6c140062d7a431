"""A ledger in which 1% of the rows need a year without holiday data: the other 99% are answered
exactly as without them, and the 1% are answered "unknown" (listed by status), not refused with
the whole ledger (semantics.md, "Working days": unknown data stops only what needs it)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from ledger_generator import generator

from govrules.batch import evaluate_frame
from govrules.engine import Options, evaluate_all
from govrules.models import parse_object
from govrules.packs import bundled_pack

AS_OF = date(2026, 12, 31)
OPTIONS = Options(allow_not_in_force=True)


@pytest.fixture(scope="module")
def ledgers() -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(100,000 rows of a generated 2026 ledger, the same with 1,000 rows more, where those are)."""
    base = pd.DataFrame.from_records(generator().generate(5, matters=2000, meetings=0, documents=0, events=0))
    whole = pd.concat([base.assign(id=base["id"] + f"-{k}") for k in range(50)], ignore_index=True)
    rng = np.random.default_rng(7)
    late = whole.sample(1000, random_state=7).assign(
        id=[f"LATE-{i}" for i in range(1000)], source="市领导批示", explicit_deadline=None, urgency=None,
        completed_on=None, extension=None, reports=None,
        # 3 working days after 12-29, 12-30 or 12-31 end in 2027
        assigned_on=rng.choice(["2026-12-29", "2026-12-30", "2026-12-31"], 1000))
    at = np.sort(rng.choice(len(whole) + len(late), len(late), replace=False))
    mixed = pd.DataFrame(index=range(len(whole) + len(late)), columns=whole.columns, dtype=object)
    others = np.setdiff1d(np.arange(len(mixed)), at)
    mixed.iloc[others] = whole.to_numpy(dtype=object)
    mixed.iloc[at] = late.to_numpy(dtype=object)
    return whole, mixed, at


@pytest.mark.parametrize("pack_id", ["jinan-2016-30", "shaoxing-2008-185"])
def test_the_other_rows_are_answered_exactly_as_without_them(ledgers, pack_id: str) -> None:
    whole, mixed, at = ledgers
    pack = bundled_pack(pack_id)
    alone = evaluate_frame(whole, pack, AS_OF, OPTIONS)
    got = evaluate_frame(mixed, pack, AS_OF, OPTIONS)
    late = np.zeros(len(mixed), dtype=bool)
    late[at] = True
    pd.testing.assert_frame_equal(got[~late].reset_index(drop=True), alone.reset_index(drop=True))
    if pack_id == "jinan-2016-30":  # 第十六条（六）: 3 working days reach 2027
        assert (got["status"][late] == "unknown").all() and not got["complete"][late].any()
        assert got["deadline"][late].isna().all()
        assert (got["path"][late] == "reference: calendar year unknown").all()
    assert (got["status"][~late] != "unknown").all()


def test_a_small_mixed_ledger_agrees_with_evaluate_all(ledgers) -> None:
    whole, mixed, at = ledgers
    rows = mixed.iloc[: at[3] + 1]  # a few late rows among the first ones
    got = evaluate_frame(rows, bundled_pack("jinan-2016-30"), AS_OF, OPTIONS)
    cases = [parse_object({k: v for k, v in r.items() if v is not None and v == v}) for r in rows.to_dict("records")]
    want = evaluate_all(cases, AS_OF, bundled_pack("jinan-2016-30"), OPTIONS)
    assert list(got["status"].astype(object).where(got["status"].notna(), None)) == [w.status for w in want]
    assert list(got["complete"]) == [w.complete for w in want]


def test_dask_partitions_answer_the_unknown_rows_too(ledgers) -> None:
    import dask
    import dask.dataframe as dd

    from govrules.batch.partitions import frame_meta

    _, mixed, at = ledgers
    rows = mixed.iloc[:5000]
    pack = bundled_pack("jinan-2016-30")
    with dask.config.set({"dataframe.convert-string": False}):  # keep the cells' lists as lists
        parts = dd.from_pandas(rows, npartitions=4)
    got = parts.map_partitions(evaluate_frame, pack, AS_OF, OPTIONS, meta=frame_meta(parts, pack, AS_OF, OPTIONS))
    result = got.compute(scheduler="sync")
    pd.testing.assert_frame_equal(result, evaluate_frame(rows, pack, AS_OF, OPTIONS))
    assert (result["status"] == "unknown").sum() == (at < 5000).sum() > 0
