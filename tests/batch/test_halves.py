"""A large ledger is evaluated in two halves on two threads: the answer is the single pass's,
bad rows and ids in both halves included (they go back to the single pass, which numbers them)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from batch_ledgers import SPAN, SPANS, ledger, options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules.batch.frame as frame
from govrules.batch import FrameError, FrameResult, evaluate_frame
from govrules.engine import Options
from govrules.packs import bundled_ids, bundled_pack


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Halves from two rows on, and a record of the frames that were split."""
    monkeypatch.setattr(frame, "PARALLEL_MIN_ROWS", 2)
    monkeypatch.setattr(frame, "_cores", lambda: 2)
    split: list[int] = []
    real = frame._in_halves

    def recording(df: Any, *args: Any) -> Any:
        out = real(df, *args)
        if out is not None:
            split.append(len(df))
        return out

    monkeypatch.setattr(frame, "_in_halves", recording)
    return split


def _single(df: pd.DataFrame, pack_id: str, as_of: date, opts: Options, mode: str) -> Any:
    try:
        frame.PARALLEL_MIN_ROWS, saved = 10**12, frame.PARALLEL_MIN_ROWS
        return evaluate_frame(df, bundled_pack(pack_id), as_of, opts, bad_rows=mode)  # type: ignore[call-overload]
    finally:
        frame.PARALLEL_MIN_ROWS = saved


@pytest.mark.parametrize("pack_id", bundled_ids())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_halves_give_the_single_pass_answer(pack_id: str, data: st.DataObject, split_everything: list[int]) -> None:
    rows, as_of = data.draw(ledger(*SPANS.get(pack_id, SPAN)))
    opts = data.draw(options(pack_id))
    df = pd.DataFrame(rows)
    for mode in ("raise", "separate"):
        try:
            want = _single(df, pack_id, as_of, opts, mode)
        except FrameError as exc:
            with pytest.raises(FrameError) as caught:
                evaluate_frame(df, bundled_pack(pack_id), as_of, opts, bad_rows=mode)  # type: ignore[call-overload]
            pd.testing.assert_frame_equal(caught.value.problems, exc.problems)
            continue
        got = evaluate_frame(df, bundled_pack(pack_id), as_of, opts, bad_rows=mode)  # type: ignore[call-overload]
        if isinstance(want, FrameResult):
            assert isinstance(got, FrameResult)
            pd.testing.assert_frame_equal(got.evaluated, want.evaluated)
            pd.testing.assert_frame_equal(got.bad_rows, want.bad_rows)
            pd.testing.assert_frame_equal(got.problems, want.problems)
        else:
            pd.testing.assert_frame_equal(got, want)


def test_the_halves_are_used_and_an_id_in_both_goes_back_to_the_single_pass(split_everything: list[int]) -> None:
    rows = [{"type": "matter", "id": f"M{i}", "source": "市领导批示", "assigned_on": "2026-04-2" + str(i),
             "lead_unit": "市交通局"} for i in range(4)]
    jinan = bundled_pack("jinan-2016-30")
    out = evaluate_frame(pd.DataFrame(rows), jinan, date(2026, 5, 11))
    assert split_everything == [4] and list(out["id"]) == ["M0", "M1", "M2", "M3"]
    rows[3]["id"] = "M0"  # the first half has M0, so has the second
    with pytest.raises(FrameError) as caught:
        evaluate_frame(pd.DataFrame(rows), jinan, date(2026, 5, 11))
    assert split_everything == [4] and list(caught.value.problems["row"]) == [0, 3]


def test_a_pack_with_quotas_is_never_split(split_everything: list[int]) -> None:
    meetings = [{"type": "meeting", "id": f"H{i}", "kind": "全市综合性会议", "held_on": f"2026-0{i + 1}-10",
                 "organizer": "市发改委", "attendees": 50} for i in range(4)]
    out = evaluate_frame(pd.DataFrame(meetings), bundled_pack("tigao-xiaolv-yijian"), date(2026, 6, 30),
                         Options(allow_not_in_force=True))
    assert split_everything == [] and len(out) == 4
