"""A ledger read once and taken apart gives, for any rows, what evaluate_frame gives for those rows
read on their own (the CLI reads a ledger file once and evaluates it in chunks per pack)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from batch_ledgers import SPAN, SPANS, ledger, options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.batch import FrameError, evaluate_frame
from govrules.batch.frame import evaluate_read_rows
from govrules.batch.ledger import read_ledger
from govrules.engine import compile_pack
from govrules.packs import bundled_ids, bundled_pack


@pytest.mark.parametrize("pack_id", bundled_ids())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rows_taken_from_a_read_ledger_are_evaluated_as_if_read_alone(pack_id: str, data: st.DataObject) -> None:
    rows, as_of = data.draw(ledger(*SPANS.get(pack_id, SPAN)))
    opts = data.draw(options(pack_id))
    df = pd.DataFrame(rows)
    read = read_ledger(df)
    if read.problems:
        with pytest.raises(ValueError, match="without problems"):
            read.take(np.arange(len(df)))
        return
    keep = data.draw(st.lists(st.booleans(), min_size=len(df), max_size=len(df)))
    positions = np.flatnonzero(keep).astype(np.int64)
    cp = compile_pack(bundled_pack(pack_id), opts.interpretations)
    try:
        want = evaluate_frame(df.iloc[positions], cp, as_of, opts)
    except FrameError as exc:  # e.g. a case outside the pack's time in force
        with pytest.raises(FrameError) as caught:
            evaluate_read_rows(read, positions, cp, as_of, opts)
        pd.testing.assert_frame_equal(caught.value.problems, exc.problems)
        return
    pd.testing.assert_frame_equal(evaluate_read_rows(read, positions, cp, as_of, opts), want)
