"""Laws of the reference evaluator, checked on random matters with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.engine import evaluate
from govrules.models import Matter
from govrules.models.categories import MatterSource, Urgency, allowed_values
from govrules.packs import bundled_pack

PACK = bundled_pack("jinan-2016-30")
CAL = WorkCalendar.default()
FIRST, LAST = date(2017, 1, 1), date(2026, 6, 30)  # in force, and far enough from 2027
# as_of stays before Q3 ends, so no next due (e.g. Q4's report on 2027-01-15) needs 2027's
# unknown calendar; that case raises HolidayDataMissing by design (tested in test_evaluate.py)
AS_OF_LAST = date(2026, 6, 30)


@st.composite
def matters(draw: st.DrawFn) -> Matter:
    assigned = draw(st.dates(FIRST, LAST))
    later = st.dates(assigned, assigned + timedelta(days=150))
    return Matter(
        type="matter",
        id="M",
        source=draw(st.sampled_from(allowed_values(MatterSource))),
        assigned_on=assigned,
        explicit_deadline=draw(st.none() | later),
        urgency=draw(st.sampled_from(allowed_values(Urgency))),
        complex=draw(st.booleans()),
        lead_unit="市交通局",
        completed_on=draw(st.none() | later),
        reports=tuple(draw(st.lists(later, max_size=4))),
    )


@given(matters(), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=300, deadline=None)
def test_evaluation_is_deterministic(m: Matter, as_of: date) -> None:
    assert evaluate(m, as_of, PACK).to_json() == evaluate(m, as_of, PACK).to_json()


@given(matters(), st.lists(st.integers(0, 120), min_size=2, max_size=6))
@settings(max_examples=300, deadline=None)
def test_status_never_goes_back_from_overdue(m: Matter, offsets: list[int]) -> None:
    """As as_of advances, overdue never turns back (only to done_late), and done stays done.
    (临期 may turn back to 办理中: a progress reply within the limit meets a 办结或回复进展情况 rule.)"""
    days = sorted(min(m.assigned_on + timedelta(days=o), AS_OF_LAST) for o in offsets)
    statuses = [evaluate(m, d, PACK).status for d in days]
    for before, after in zip(statuses, statuses[1:]):
        if before in ("done", "done_late"):
            assert after == before
        if before == "overdue":
            assert after in ("overdue", "done_late")


@given(matters(), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=300, deadline=None)
def test_every_finding_cites_its_clause(m: Matter, as_of: date) -> None:
    result = evaluate(m, as_of, PACK)
    quoted = {(c.citation, c.text) for c in PACK.clauses}  # one article may be quoted in parts
    for f in result.findings:
        assert (f.citation, f.clause_text) in quoted
        assert f.force in ("mandatory", "default", "advisory")
        assert f.rule.startswith("jinan-2016-30/")


@given(matters(), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=300, deadline=None)
def test_computed_deadlines_land_on_working_days(m: Matter, as_of: date) -> None:
    """Every period the pack computes ends on a working day; only a 明确时限 is taken as given."""
    result = evaluate(m, as_of, PACK)
    for f in result.findings:
        if f.due is None or f.kind not in ("deadline", "obligation"):
            continue
        given_dates = {m.explicit_deadline} | ({m.extension.new_deadline} if m.extension else set())
        if f.due not in given_dates:
            assert CAL.is_workday(f.due), f.message
