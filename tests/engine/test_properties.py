"""Laws of the reference evaluator, checked on random matters with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.engine import Options, evaluate
from govrules.engine.periods import period_end
from govrules.models import Matter, parse_object
from govrules.models.categories import MatterSource, Urgency, allowed_values
from govrules.packs import bundled_pack
from govrules.packs.schema import Period

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


# -- 提高效率 (七): an extension never ends before the limit it extends ---------------------------

TIGAO = bundled_pack("tigao-xiaolv-yijian")
ANY_TIME = Options(allow_not_in_force=True)  # the document gives no date in force


@given(st.dates(date(2004, 1, 1), date(2026, 12, 10)), st.sampled_from(["calendar-days", "working-days"]))
@example(date(2026, 2, 12), "calendar-days")  # 10 days end 02-24 after 春节, 5 working days 02-26
@example(date(2026, 9, 30), "calendar-days")  # 10 days end 10-10 after 国庆, 5 working days 10-13
@settings(max_examples=400, deadline=None)
def test_the_consultation_deadline_is_never_before_the_five_working_day_deadline(received: date, reading: str) -> None:
    """"无明确时限的,承办科室应在5个工作日内回复,需征求相关部门意见的可延长至10天": under either
    reading of 10天 the consultation deadline is the later of the two, never the earlier."""
    opts = Options(allow_not_in_force=True, interpretations={"ten-days": reading})
    raw = {"type": "matter", "id": "Y", "source": "来文", "assigned_on": received.isoformat(), "lead_unit": "秘书一科"}
    normal = evaluate(parse_object(raw), received, TIGAO, opts).deadline
    consulted = evaluate(parse_object({**raw, "needs_consultation": True}), received, TIGAO, opts).deadline
    assert normal is not None and consulted is not None
    assert consulted >= normal == CAL.add_workdays(received, 5)
    ten = CAL.add_days(received, 10) if reading == "calendar-days" else CAL.add_workdays(received, 10)
    assert consulted == max(ten, normal)


@given(st.dates(date(2004, 1, 1), date(2026, 10, 31)), st.integers(1, 40), st.integers(1, 20),
       st.sampled_from(["days", "months"]))
@settings(max_examples=300, deadline=None)
def test_a_period_with_at_least_ends_on_the_later_of_its_two_counts(start: date, n: int, floor: int, unit: str) -> None:
    own = Period(**{unit: n if unit == "days" else 1 + n % 3})
    both = own.model_copy(update={"at_least": Period(working_days=floor)})
    end = period_end(CAL, start, both)
    assert end == max(period_end(CAL, start, own), CAL.add_workdays(start, floor))  # type: ignore[type-var]
