"""what_if(): the ledger under a pack and under a variant of it, case by case and in counts."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.analysis.compare import compare, day_array
from govrules.analysis.whatif import WhatIf, what_if
from govrules.batch import FrameError, explain_rows
from govrules.engine import Options
from govrules.packs import bundled_pack
from govrules.packs.schema import DeadlineRule
from govrules.analysis.variants import VariationError, vary

SHAOXING = "shaoxing-2008-185"
TOPIC = "deadline/topic-meeting"
AS_OF = date(2026, 3, 31)
TEN = {TOPIC: {"period": {"working_days": 10}}}


def matter(ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": "matter", "id": ident, "source": "专题会议", "assigned_on": "2026-03-02", "lead_unit": "市交通运输局",
            **fields}


LEDGER = pd.DataFrame([
    matter("ZT-1"),  # open: overdue under both
    matter("ZT-2", completed_on="2026-03-19"),  # on time with 15 days (03-23), late with 10 (03-16)
    matter("ZT-3", completed_on="2026-03-13"),  # on time either way
    matter("ZT-4", explicit_deadline="2026-04-10"),  # 二（三） its own 明确时限: the change does not touch it
    matter("ZT-5", assigned_on="2026-03-20"),  # 15 days: 04-13 (清明 04-04..06 skipped), 10 days: 04-03
    {"type": "meeting", "id": "HY-1", "kind": "专题会议", "held_on": "2026-03-05"},
])


@cache
def ten_days() -> WhatIf:
    return what_if(LEDGER, SHAOXING, AS_OF, rules=TEN)


def test_deadlines_and_statuses_before_and_after_case_by_case() -> None:
    cases = ten_days().cases
    assert list(cases["id"]) == ["ZT-1", "ZT-2", "ZT-3", "ZT-4", "ZT-5", "HY-1"]
    d = date
    assert cases["deadline"]["before"].tolist() == [d(2026, 3, 23), d(2026, 3, 23), d(2026, 3, 23), d(2026, 4, 10), d(2026, 4, 13), pd.NA]
    assert cases["deadline"]["after"].tolist() == [d(2026, 3, 16), d(2026, 3, 16), d(2026, 3, 16), d(2026, 4, 10), d(2026, 4, 3), pd.NA]
    assert cases["shift_days"].tolist() == [-7, -7, -7, 0, -10, pd.NA]
    assert cases["shift_workdays"].tolist() == [-5, -5, -5, 0, -5, pd.NA]
    assert cases["status"]["before"].tolist()[:5] == ["overdue", "done", "done", "on_track", "on_track"]
    assert cases["status"]["after"].tolist()[:5] == ["overdue", "done_late", "done", "on_track", "due_soon"]
    assert cases["changed"].tolist() == [True, True, True, False, True, False]
    assert "假设变体 what-if:period 10个工作日,非原文" in cases["why"].iloc[1]
    assert cases["why"].iloc[3] is None


def test_the_summary_counts_before_and_after() -> None:
    result = ten_days()
    assert result.summary.loc["late"].to_dict() == {"before": 1, "after": 2, "change": 1}
    assert result.summary.loc["on_time"].to_dict() == {"before": 2, "after": 1, "change": -1}
    assert result.summary.loc["with_deadline"].to_dict() == {"before": 5, "after": 5, "change": 0}
    assert (result.moved, result.earlier, result.later) == (4, 4, 0)
    assert result.shifts().to_dict() == {-5: 4}


def test_the_variant_is_marked_in_the_result_and_in_the_findings() -> None:
    result = ten_days()
    assert result.pack.id == "shaoxing-2008-185.what-if"
    (finding, *_), = [e.findings for e in explain_rows(LEDGER, result.pack, AS_OF, [0])]
    assert finding.rule == "shaoxing-2008-185.what-if/deadline/topic-meeting"
    assert [(i.id, i.choice) for i in finding.interpretations] == [("what-if/deadline/topic-meeting", "varied")]
    assert "15个工作日" in finding.clause_text  # the clause as written, never the assumed 10


def test_the_cases_are_compares_with_the_shift_beside_the_deadlines() -> None:
    result = ten_days()
    side_by_side = compare(LEDGER, [bundled_pack(SHAOXING), result.pack], AS_OF)
    for what in ("deadline", "status", "violations"):
        assert result.cases[what].to_numpy().tolist() == side_by_side[what].to_numpy().tolist()
    assert result.cases["changed"].tolist() == side_by_side["differs"].tolist()


def test_an_identity_change_changes_nothing() -> None:
    result = what_if(LEDGER, SHAOXING, AS_OF, rules={TOPIC: {"period": {"working_days": 15}}})
    assert not result.cases["changed"].any() and result.moved == 0
    assert (result.summary["change"] == 0).all()
    assert result.cases["why"].isna().all()


def test_another_reading() -> None:
    replied = pd.DataFrame([{"type": "matter", "id": "P-1", "source": "市领导批示", "assigned_on": "2026-03-02",
                             "lead_unit": "市教育局", "reports": ["2026-03-03"]}])
    result = what_if(replied, "jinan-2016-30", AS_OF, readings={"progress-reply": "completion-only"})
    assert result.cases["status"].iloc[0].tolist() == ["replied", "overdue"]  # 已回复进展,待办结 -> 逾期
    # replied has no deadline running; read completion-only, the 3 working days are its deadline again
    assert result.summary.loc["overdue", "change"] == 1 and result.moved == 1


def test_a_bad_change_is_the_variant_error_before_anything_is_evaluated() -> None:
    with pytest.raises(VariationError, match=r"^vary shaoxing-2008-185: rule 'deadline/topic-meeting': period.working_days: "
                                             r"Input should be greater than or equal to 1 \(got 0\)"):
        what_if(LEDGER, SHAOXING, AS_OF, rules={TOPIC: {"period": {"working_days": 0}}})


def test_a_pack_not_in_force_needs_the_opt_in() -> None:
    change = {"deadline/same-day": {"period": {"working_days": 3}}}  # 滁州 (2009) on 2026 matters
    with pytest.raises(FrameError, match="^pack chuzhou-2009-8: .*allow_not_in_force=True"):
        what_if(LEDGER, "chuzhou-2009-8", AS_OF, rules=change)
    result = what_if(LEDGER, "chuzhou-2009-8", AS_OF, rules=change, options=Options(allow_not_in_force=True))
    assert not result.cases["in_force"].to_numpy().any()
    assert result.summary.loc["not_in_force"].to_dict() == {"before": 6, "after": 6, "change": 0}
    assert "〔该日不在文件施行期内〕" in result.cases["why"].iloc[0]


def test_a_limit_lowered() -> None:
    """《提高效率抓落实意见》: 参会人数 at most 100; what if 80?"""
    meetings = pd.DataFrame([{"type": "meeting", "id": f"HY-{n}", "kind": "全市性工作会议", "held_on": "2026-03-05",
                              "attendees": n} for n in (70, 90, 120)])
    result = what_if(meetings, "tigao-xiaolv-yijian", AS_OF, rules={"limit/meeting-attendees": {"max": 80}},
                     options=Options(allow_not_in_force=True))
    assert result.cases["violations"].to_numpy().tolist() == [[0, 0], [0, 1], [1, 1]]
    assert result.cases["changed"].tolist() == [False, True, False]
    assert result.summary.loc["violations"].to_dict() == {"before": 1, "after": 2, "change": 1}


# -- the law: a shorter working-day period never gives a later deadline -------------------------

def _working_day_rules() -> list[tuple[str, str, int]]:
    out = []
    for pack_id in ("jinan-2016-30", "shaoxing-2008-185", "chuzhou-2009-8", "tigao-xiaolv-yijian"):
        pack = bundled_pack(pack_id)
        chosen = {i.id: i.chosen for i in pack.interpretations}
        out += [(pack_id, r.id, r.period.working_days) for r in pack.rules
                if isinstance(r, DeadlineRule) and r.period.working_days and r.period.working_days > 1
                and all(chosen[k] == v for k, v in r.only_under.items())]
    return out


RULES = _working_day_rules()
SOURCES = ("专题会议", "常务会议", "上级批示", "市领导批示", "来文", "交办", "现场办公会议")
OPT_IN = Options(allow_not_in_force=True)


def _days_after(start: date, n: int) -> date:
    return start + timedelta(days=n)


@st.composite
def matters(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Matters near one another in 2026; an extension, if any, asks for a day on or after its request."""
    out = []
    for k in range(draw(st.integers(1, 12))):
        assigned = draw(st.dates(date(2026, 1, 5), date(2026, 6, 30)))
        later = st.integers(0, 60).map(partial(_days_after, assigned))
        raw = matter(f"M-{k}", source=draw(st.sampled_from(SOURCES)), assigned_on=assigned.isoformat(),
                     urgency=draw(st.sampled_from(["一般", "紧急", "特急"])), needs_consultation=draw(st.booleans()))
        if draw(st.integers(0, 3)) == 0:
            raw["explicit_deadline"] = draw(later).isoformat()
        if draw(st.booleans()):
            raw["completed_on"] = draw(later).isoformat()
        raw["reports"] = [d.isoformat() for d in draw(st.lists(later, max_size=2))]
        if draw(st.integers(0, 3)) == 0:
            asked = draw(later)
            raw["extension"] = {"requested_on": asked.isoformat(), "approved": draw(st.booleans()),
                                "new_deadline": (asked + timedelta(days=draw(st.integers(0, 40)))).isoformat()}
        out.append(raw)
    return out


@cache
def _variant(pack_id: str, rule_id: str, days: int) -> Any:
    return vary(bundled_pack(pack_id), rules={rule_id: {"period": {"working_days": days}}})


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(RULES), st.data(), matters(), st.dates(date(2026, 1, 5), date(2026, 9, 30)))
def test_shortening_a_working_day_period_never_makes_a_deadline_later_nor_a_case_less_overdue(
        picked: tuple[str, str, int], data: st.DataObject, cases: list[dict[str, Any]], as_of: date) -> None:
    pack_id, rule_id, days = picked
    shorter = data.draw(st.integers(1, days - 1), label="shorter")
    frame = pd.DataFrame(cases)
    result = what_if(frame, pack_id, as_of, rules={rule_id: {"period": {"working_days": shorter}}}, options=OPT_IN)
    assert result.pack == _variant(pack_id, rule_id, shorter)
    before, after = (day_array(result.cases[("deadline", s)]) for s in ("before", "after"))
    assert np.array_equal(np.isnat(before), np.isnat(after))  # a period gives a deadline or it does not
    assert (after[~np.isnat(after)] <= before[~np.isnat(before)]).all()
    assert result.later == 0
    status = result.cases["status"]
    was_overdue = (status["before"] == "overdue").fillna(False).to_numpy()
    assert (status["after"][was_overdue] == "overdue").all()
    assert result.summary.loc["overdue", "change"] >= 0 and result.summary.loc["late", "change"] >= 0
