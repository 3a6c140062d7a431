"""The messages evaluate_frame leaves out are the reference's, made on demand for the rows asked."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from govrules.batch import FrameError, evaluate_frame, explain_rows
from govrules.engine import Options, evaluate, evaluate_all
from govrules.models import parse_object
from govrules.packs import bundled_pack

ROWS = [
    {"type": "matter", "id": "DC-1", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"},
    {"type": "matter", "id": "DC-2", "source": "政府工作报告", "assigned_on": "2026-01-05", "lead_unit": "市教育局"},
    {"type": "meeting", "id": "HY-1", "kind": "全市综合性会议", "held_on": "2026-03-02", "organizer": "市政府办公厅"},
    {"type": "meeting", "id": "HY-2", "kind": "全市综合性会议", "held_on": "2026-04-02", "organizer": "市政府办公厅"},
]


def test_explain_gives_the_reference_evaluation() -> None:
    jinan = bundled_pack("jinan-2016-30")
    df = pd.DataFrame(ROWS[:2])
    got = explain_rows(df, jinan, date(2026, 5, 11), [1, 0])
    assert [g.to_json() for g in got] == [evaluate(parse_object(r), date(2026, 5, 11), jinan).to_json()
                                          for r in (ROWS[1], ROWS[0])]
    assert "劳动节" in got[1].findings[0].message


def test_explain_counts_quotas_across_the_frame() -> None:
    """The second comprehensive meeting of the year is beyond the quota: only the frame knows."""
    tigao = bundled_pack("tigao-xiaolv-yijian")
    options = Options(allow_not_in_force=True)
    df = pd.DataFrame(ROWS[2:])
    want = evaluate_all([parse_object(r) for r in ROWS[2:]], date(2026, 5, 11), tigao, options)
    assert [e.to_json() for e in explain_rows(df, tigao, date(2026, 5, 11), [0, 1], options)] == [w.to_json() for w in want]
    frame = evaluate_frame(df, tigao, date(2026, 5, 11), options)
    assert [[f["rule"] for f in fs] for fs in frame["findings"]] == [[f.rule for f in w.findings] for w in want]
    assert list(frame["path"]) == ["reference: quota", "reference: quota"]


def test_explaining_a_bad_row_raises_its_problems() -> None:
    df = pd.DataFrame([ROWS[0], {**ROWS[0], "id": "DC-9", "assigned_on": "2026-02-30"}])
    with pytest.raises(FrameError) as caught:
        explain_rows(df, bundled_pack("jinan-2016-30"), date(2026, 5, 11), [1])
    assert list(caught.value.problems["row"]) == [1]
    assert len(explain_rows(df, bundled_pack("jinan-2016-30"), date(2026, 5, 11), [0])) == 1
