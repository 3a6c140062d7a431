"""Unknown data stops only what needs it (semantics.md, "Working days").

A finding whose answer needs a year the calendar does not know is that finding's own "unknown";
the rest of the evaluation is exactly what a calendar that knows the year gives. Only a matter
whose own deadline or status needs the year is refused (one evaluation) or answered "unknown"
(a row of a ledger).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.engine import Options, compile_pack, evaluate, evaluate_all
from govrules.semantics.results import Finding
from govrules.errors import HolidayDataMissing
from govrules.models import Matter
from govrules.models.categories import MatterSource, Urgency, allowed_values
from govrules.packs import bundled_ids, bundled_pack

EXAMPLE_2027 = Path(__file__).resolve().parents[2] / "examples" / "holidays-2027.example.yaml"
SHORT = Options(allow_not_in_force=True)  # chinese-calendar's years: 2027 unknown
FULL = Options(allow_not_in_force=True, calendar=WorkCalendar.default().with_year_file(EXAMPLE_2027))
JINAN = compile_pack(bundled_pack("jinan-2016-30"))


def report_matter(reports: tuple[date, ...] = (), completed_on: date | None = None) -> Matter:
    # 济南 第十六条（二）: 政府工作报告 tasks report each quarter, within 15 days after it ends;
    # no deadline rule applies, so the reports stand in for the matter's deadline.
    return Matter(type="matter", id="GZBG-1", source="政府工作报告", assigned_on=date(2026, 2, 2),
                  lead_unit="市发改委", reports=reports, completed_on=completed_on)


def test_misses_before_the_unknown_year_stand() -> None:
    ev = evaluate(report_matter(), date(2026, 12, 4), JINAN, SHORT)
    assert (ev.deadline, ev.status, ev.complete) == (date(2026, 4, 15), "overdue", False)
    assert [(f.kind, f.due) for f in ev.findings] == [("violation", date(2026, 4, 15)), ("unknown", None)]
    assert "2026-04-15、2026-07-15、2026-10-15" in ev.findings[0].message  # Q1-Q3 missed; Q4's due is in 2027


def test_a_stand_in_report_in_the_unknown_year_refuses_one_matter_and_not_a_ledger() -> None:
    reported = report_matter(reports=(date(2026, 4, 10), date(2026, 7, 10), date(2026, 10, 10)))
    with pytest.raises(HolidayDataMissing, match="matter GZBG-1: no holiday data for 2027"):
        evaluate(reported, date(2026, 12, 4), JINAN, SHORT)
    other = Matter(type="matter", id="DC-1", source="市领导批示", assigned_on=date(2026, 11, 30), lead_unit="市交通局")
    unknown, answered = evaluate_all([reported, other], date(2026, 12, 4), JINAN, SHORT)
    assert (unknown.status, unknown.deadline, unknown.complete) == ("unknown", None, False)
    assert [(f.rule, f.kind) for f in unknown.findings] == [("jinan-2016-30/obligation/quarterly-report", "unknown")]
    assert answered == evaluate(other, date(2026, 12, 4), JINAN, SHORT) and answered.complete
    with pytest.raises(HolidayDataMissing):
        evaluate_all([reported, other], date(2026, 12, 4), JINAN, SHORT, unknown_deadline="raise")


def test_a_period_not_owed_needs_no_calendar() -> None:
    # completed before Q4 ends: Q4's report (due 2027-01-15) is not owed, so 2027 is not needed
    done = report_matter(reports=(date(2026, 4, 10), date(2026, 7, 10), date(2026, 10, 10)),
                         completed_on=date(2026, 11, 30))
    ev = evaluate(done, date(2026, 12, 4), JINAN, SHORT)
    assert (ev.deadline, ev.status, ev.complete) == (date(2026, 11, 30), "done", True)


SOURCES = allowed_values(MatterSource)
# half the draws from the sources some pack gives recurring reports or schedules, which reach 2027 most
REPORTING = ["专题会议", "常务会议", "政府工作报告", "工作计划", "突发事件", "重点项目", "重要文件"]


@st.composite
def late_matters(draw: st.DrawFn) -> Matter:
    assigned = draw(st.dates(date(2026, 9, 1), date(2026, 12, 31)))
    later = st.dates(assigned, date(2026, 12, 31))
    return Matter(
        type="matter", id="M", source=draw(st.sampled_from(SOURCES) | st.sampled_from(REPORTING)), assigned_on=assigned,
        explicit_deadline=draw(st.none() | st.dates(assigned, date(2027, 3, 31))),
        urgency=draw(st.sampled_from(allowed_values(Urgency))), complex=draw(st.booleans()),
        needs_consultation=draw(st.booleans()), lead_unit="市交通局",
        completed_on=draw(st.none() | later), reports=tuple(draw(st.lists(later, max_size=4))),
    )


@given(st.sampled_from(bundled_ids()), late_matters(), st.integers(0, 120))
@settings(max_examples=1000, deadline=None)  # about 3 s; 400 once missed a pack-order case
def test_only_what_needs_the_unknown_year_is_unknown(pack_id: str, m: Matter, days: int) -> None:
    """Against a calendar that knows 2027: every answered part is the same, and each unknown
    finding stands for a finding of the same rule there."""
    cp = compile_pack(bundled_pack(pack_id))
    as_of = min(m.assigned_on + timedelta(days=days), date(2027, 1, 31))  # into the unknown year too
    short = evaluate_all([m], as_of, cp, SHORT)[0]
    full = evaluate(m, as_of, cp, FULL)
    assert full.complete
    unknown = [f for f in short.findings if f.kind == "unknown"]
    assert short.complete == (not unknown)
    full_rules = {f.rule for f in full.findings}
    assert {f.rule for f in unknown} <= full_rules
    if short.status == "unknown":
        # what decides the status needs 2027's days: a date in 2027, or one at the end of 2026 that
        # 2027's days fix (the last working day of a week that runs into 2027 may be 2026-12-31)
        near = date(2026, 12, 21)
        assert short.deadline is None and unknown
        assert full.deadline is not None and full.deadline >= near \
            or any(f.due is not None and f.due >= near for f in full.findings)
        return
    assert (short.deadline, short.status) == (full.deadline, full.status)
    # the same findings in the same order, but that a count of missed reports which ran into the
    # unknown year says it is a floor ("至少"), and what the unknown year hides is an unknown there
    answered = [f for f in short.findings if f.kind != "unknown"]
    hidden = {u.rule for u in unknown}
    assert [_floor(f) for f in answered] == [_floor(f) for f in full.findings if (f.rule, f.kind) in _keys(answered)]
    assert [f for f in answered if f.rule not in hidden] == [f for f in full.findings if f.rule not in hidden]


def _keys(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.kind) for f in findings}


def _floor(f: Finding) -> Finding:
    """A finding with its message's count of missed reports blanked where it is a floor."""
    return replace(f, message="") if "至少" in f.message or f.kind == "violation" and f.rule.split("/")[1] == "obligation" else f


def test_misses_counted_into_the_unknown_year_are_a_floor() -> None:
    # 济南 第十七条 周报制: weekly reports from the week after assignment, none sent; as of
    # 2027-01-20 the December weeks are missed, January's cannot be dated without 2027.
    weekly = Matter(type="matter", id="ZB-1", source="交办", assigned_on=date(2026, 12, 1), complex=True,
                    lead_unit="市交通局")
    ev = evaluate(weekly, date(2027, 1, 20), JINAN, SHORT)
    assert (ev.deadline, ev.status, ev.complete) == (date(2026, 12, 11), "overdue", False)
    violation, unknown = ev.findings
    assert violation.kind == "violation" and "至少3次报告未在期限内报送" in violation.message
    assert (unknown.rule, unknown.kind) == (violation.rule, "unknown")


def test_a_week_that_runs_into_the_unknown_year_is_unknown_though_its_due_is_in_2026() -> None:
    """济南 第十七条 周报: the week of 2026-12-28 to 2027-01-03 is due on its last working day, which
    only 2027's days decide (with the example 2027 data, Jan 1-3 are off: due 2026-12-31). Without
    them the status is unknown, though the answer it stands for lies in 2026 (hypothesis found it)."""
    m = Matter(type="matter", id="ZB-2", source="交办", assigned_on=date(2026, 12, 21), complex=True, lead_unit="市交通局")
    short = evaluate_all([m], date(2026, 12, 21), JINAN, SHORT)[0]
    full = evaluate(m, date(2026, 12, 21), JINAN, FULL)
    assert (short.status, short.deadline) == ("unknown", None)
    assert (full.status, full.deadline) == ("on_track", date(2026, 12, 31))
