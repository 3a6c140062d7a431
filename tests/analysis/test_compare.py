"""compare(): one ledger under several packs side by side, where they differ and which clauses
made them differ."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_generator import generator

from govrules.analysis.compare import compare, compare_summary
from govrules.batch import FrameError, evaluate_frame
from govrules.engine import Options
from govrules.errors import GovrulesError, InputError
from govrules.models import parse_object
from govrules.packs import bundled_pack

ROOT = Path(__file__).resolve().parents[2]
JINAN, SHAOXING = "jinan-2016-30", "shaoxing-2008-185"
AS_OF = date(2026, 3, 31)




GEN = generator()
LEDGER = pd.DataFrame([o for o in GEN.generate(5, matters=400, meetings=40, documents=80, events=0)])
LEDGER_AS_OF = date(2026, 9, 30)

TOPIC_OPEN = {"type": "matter", "id": "ZT-1", "source": "专题会议", "assigned_on": "2026-03-02", "lead_unit": "市交通运输局"}
TOPIC_AGREED = {"type": "matter", "id": "ZT-2", "source": "专题会议", "assigned_on": "2026-03-02", "lead_unit": "市水务局",
                "explicit_deadline": "2026-03-20", "completed_on": "2026-03-18"}


def frame(*rows: dict[str, Any], index: list[Any] | None = None) -> pd.DataFrame:
    return pd.DataFrame(list(rows), index=index)


def test_a_topic_meeting_matter_differs_and_why_quotes_both_clauses() -> None:
    """济南 第十六条第（五）项 leaves a 专题会议 matter to the meeting's own time nodes (no deadline
    without one); 绍兴 二（三） gives it 15 working days."""
    result = compare(frame(TOPIC_OPEN, TOPIC_AGREED), [JINAN, SHAOXING], AS_OF)
    first = result.iloc[0]
    assert first[("deadline", JINAN)] is pd.NA and first[("deadline", SHAOXING)] == date(2026, 3, 23)
    assert pd.isna(first[("status", JINAN)]) and first[("status", SHAOXING)] == "overdue"
    assert (first[("violations", JINAN)], first[("violations", SHAOXING)]) == (0, 1)
    assert list(first[("rules", JINAN)]) == ["deadline/topic-meeting"]
    assert bool(first[("differs", "")])
    assert first[("why", "")] == (
        "jinan-2016-30: 济政办发〔2016〕30号 第十六条第（五）项〔deadline/topic-meeting〕「按照会议决定事项相关时间节点要求报送」"
        " → 无期限 vs shaoxing-2008-185: 绍政办发〔2008〕185号 二（三）〔deadline/topic-meeting〕"
        "「没有明确时间要求的须在会后15个工作日内办结、反馈(自会议之日起算,交办日期即会议日期)」 → 2026-03-23 逾期,违规1项")
    second = result.iloc[1]  # a 明确时限 both honour: the same deadline and status, so no difference
    assert second[("deadline", JINAN)] == second[("deadline", SHAOXING)] == date(2026, 3, 20)
    assert not bool(second[("differs", "")]) and second[("why", "")] is None


def test_columns_are_grouped_by_field_with_one_column_per_pack() -> None:
    result = compare(frame(TOPIC_OPEN, TOPIC_AGREED, index=["a", "b"]), [SHAOXING, JINAN], AS_OF)
    assert list(result.columns) == [
        ("id", ""), ("type", ""),
        ("deadline", SHAOXING), ("deadline", JINAN), ("status", SHAOXING), ("status", JINAN),
        ("violations", SHAOXING), ("violations", JINAN), ("rules", SHAOXING), ("rules", JINAN),
        ("in_force", SHAOXING), ("in_force", JINAN), ("differs", ""), ("why", "")]
    assert list(result["deadline"].columns) == [SHAOXING, JINAN]  # one field, every pack, side by side
    assert list(result.index) == ["a", "b"] and list(result["id"]) == ["ZT-1", "ZT-2"]
    assert result["differs"].dtype == bool and list(result.loc[result["differs"], "id"]) == ["ZT-1"]


def test_each_packs_columns_are_what_evaluate_frame_gives() -> None:
    options = Options(allow_not_in_force=True)
    packs = [JINAN, SHAOXING, "chuzhou-2009-8"]
    result = compare(LEDGER, packs, LEDGER_AS_OF, options)
    for pack_id in packs:
        alone = evaluate_frame(LEDGER, bundled_pack(pack_id), LEDGER_AS_OF, options)
        for what in ("deadline", "status", "violations", "in_force"):
            pd.testing.assert_series_equal(result[(what, pack_id)], alone[what], check_names=False)
        assert [list(r) for r in result[("rules", pack_id)]] == \
            [[x.removeprefix(f"{pack_id}/") for x in r] for r in alone["rules"]]
    assert result["why"].notna().equals(result["differs"])


def test_a_list_of_models_gives_what_the_frame_gives() -> None:
    from_models = compare([parse_object(TOPIC_OPEN), parse_object(TOPIC_AGREED)], [JINAN, SHAOXING], AS_OF)
    from_frame = compare(frame(TOPIC_OPEN, TOPIC_AGREED), [JINAN, SHAOXING], AS_OF)
    pd.testing.assert_frame_equal(from_models, from_frame)


def test_a_mixed_ledger_of_models_compares() -> None:
    cases = [parse_object(o) for o in GEN.generate(3, matters=30, meetings=10, documents=10, events=0)]
    result = compare(cases, [JINAN, SHAOXING], LEDGER_AS_OF)
    assert set(result["type"]) == {"matter", "meeting", "document"} and len(result) == 50


def test_a_pack_not_in_force_needs_the_opt_in_and_is_marked() -> None:
    with pytest.raises(FrameError, match=r"^pack panjin-2015-142: frame: 1 problem\(s\) in 1 of 1 rows: .*allow_not_in_force=True"):
        compare(frame(TOPIC_OPEN), [JINAN, "panjin-2015-142"], AS_OF)
    result = compare(frame(TOPIC_OPEN), [JINAN, "panjin-2015-142"], AS_OF, Options(allow_not_in_force=True))
    assert list(result.iloc[0]["in_force"]) == [True, False]
    summary = compare_summary(result)
    assert summary.loc["panjin-2015-142", "not_in_force"] == 1 and summary.loc[JINAN, "not_in_force"] == 0
    if result.iloc[0][("differs", "")]:
        assert "〔该日不在文件施行期内〕" in result.iloc[0][("why", "")]


def test_the_summary_counts_each_pack() -> None:
    late_jinan = {"type": "matter", "id": "ZT-3", "source": "常务会议", "assigned_on": "2026-03-02", "lead_unit": "市水务局",
                  "completed_on": "2026-03-30"}  # 济南 第十六条第（四）项: 10 working days, done late
    result = compare(frame(TOPIC_OPEN, TOPIC_AGREED, late_jinan), [JINAN, SHAOXING], AS_OF)
    summary = compare_summary(result)
    assert list(summary.index) == [JINAN, SHAOXING]
    assert summary.loc[JINAN].to_dict() == {
        "cases": 3, "with_deadline": 2, "on_time": 1, "open": 0, "replied": 0, "unknown": 0, "overdue": 0, "done_late": 1, "late": 1,
        "violations": 1, "not_in_force": 0, "differs_from_first": 0}
    assert summary.loc[SHAOXING].to_dict() == {
        "cases": 3, "with_deadline": 2, "on_time": 1, "open": 0, "replied": 0, "unknown": 0, "overdue": 1, "done_late": 0, "late": 1,
        "violations": 1, "not_in_force": 0, "differs_from_first": 2}
    assert int(result["differs"].sum()) == 2


@pytest.mark.parametrize(("packs", "message"), [
    ([JINAN], "compare needs at least two packs (got 1)"),
    ([JINAN, JINAN], "packs: jinan-2016-30 given more than once"),
    (JINAN, "packs must be a list of packs or pack ids"),
    ([JINAN, "no-such-pack"], "no bundled pack 'no-such-pack'"),
    ([JINAN, 3], "packs[1]: expected a Pack or a pack id, got int"),
])
def test_bad_packs_are_one_clear_error(packs: Any, message: str) -> None:
    with pytest.raises(GovrulesError, match=re.escape(message)):
        compare(frame(TOPIC_OPEN), packs, AS_OF)


def test_bad_cases_are_one_clear_error() -> None:
    with pytest.raises(InputError, match=r"^cases: expected a ledger DataFrame"):
        compare({"id": "x"}, [JINAN, SHAOXING], AS_OF)
    with pytest.raises(InputError, match=r"^cases\[1\]: expected a Matter, Meeting or Document, got dict"):
        compare([parse_object(TOPIC_OPEN), TOPIC_AGREED], [JINAN, SHAOXING], AS_OF)
    bad = {**TOPIC_OPEN, "assigned_on": "2026-02-30"}
    with pytest.raises(FrameError, match=r"^pack jinan-2016-30: frame: 1 problem\(s\) in 1 of 2 rows: row 1 \(id ZT-1\): assigned_on"):
        compare(frame(TOPIC_AGREED, bad), [JINAN, SHAOXING], AS_OF)


def test_same_input_same_output() -> None:
    a = compare(LEDGER, [JINAN, SHAOXING], LEDGER_AS_OF)
    b = compare(LEDGER.copy(), [JINAN, SHAOXING], LEDGER_AS_OF)
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(0, len(LEDGER) - 1), min_size=1, max_size=40, unique=True), st.dates(date(2026, 2, 1), date(2026, 12, 31)))
def test_which_cases_differ_does_not_depend_on_the_order_of_the_packs(rows: list[int], as_of: date) -> None:
    sample = LEDGER.iloc[rows]
    forward = compare(sample, [JINAN, SHAOXING], as_of)
    backward = compare(sample, [SHAOXING, JINAN], as_of)
    assert np.array_equal(forward["differs"].to_numpy(), backward["differs"].to_numpy())
    same = ~forward["differs"]
    assert forward.loc[same, ("deadline", JINAN)].equals(forward.loc[same, ("deadline", SHAOXING)])


def test_the_python_examples_on_the_page_run() -> None:
    text = (ROOT / "docs" / "compare-whatif.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
    assert blocks
    for k, block in enumerate(blocks):
        exec(compile(block, f"compare-whatif.md block {k}", "exec"), {})
