"""Laws of the reference evaluator, checked on random matters with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.calendar.builtin_data import chinese_calendar_schedule
from govrules.engine import Options
from govrules.engine import evaluate
from govrules.models import Matter
from govrules.models.categories import MatterSource, Urgency, allowed_values
from govrules.packs import Pack, bundled_ids, bundled_pack, load_pack
from govrules.packs.registry import rules_dir

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


@given(matters(), st.lists(matters(), max_size=3), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=200, deadline=None)
def test_same_inputs_same_bytes_whatever_ran_before(m: Matter, others: list[Matter], as_of: date) -> None:
    """Time is an input and nothing is remembered between evaluations that could change an answer:
    after other matters (filling the calendar's caches), and on a calendar and pack built anew."""
    first = evaluate(m, as_of, PACK).to_json()
    for other in others:
        evaluate(other, as_of, PACK)
    fresh = Options(calendar=WorkCalendar(chinese_calendar_schedule()))
    assert evaluate(m, as_of, load_pack(rules_dir() / "jinan-2016-30.yaml"), fresh).to_json() == first


@given(matters(), st.lists(st.integers(0, 120), min_size=2, max_size=6))
@settings(max_examples=300, deadline=None)
def test_status_never_goes_back_from_overdue(m: Matter, offsets: list[int]) -> None:
    """As as_of advances, overdue never turns back (only to done_late), and done stays done.
    One exception, by design: a matter whose progress reply met its limit (replied) and then
    missed a weekly report (第十七条) is overdue while open; completed, the limit the reply met
    speaks again and it is done (docs/guide.md, Status).
    (临期 may turn to 已回复进展: a progress reply within the limit meets a 办结或回复进展情况 rule.)"""
    days = sorted(min(m.assigned_on + timedelta(days=o), AS_OF_LAST) for o in offsets)
    results = [evaluate(m, d, PACK) for d in days]
    for before, after in zip(results, results[1:]):
        if before.status in ("done", "done_late"):
            assert after.status == before.status
        if before.status == "overdue":
            assert after.status in ("overdue", "done_late", "done")
            if after.status == "done":  # only the exception above
                due = after.findings[0].due
                assert after.findings[0].kind == "deadline" and due is not None
                assert any(r <= due for r in m.reports) and m.completed_on is not None and m.completed_on > due


def test_a_reply_then_a_missed_weekly_report_is_overdue_until_completion() -> None:
    # 第十六条（六）met by the reply of 04-22; 第十七条's report for the week of 04-27 (due 04-30)
    # missed: overdue while open; completed 05-11, the reply met the limit: done
    m = Matter(type="matter", id="M", source="市领导批示", assigned_on=date(2026, 4, 20), complex=True,
               lead_unit="市交通局", reports=(date(2026, 4, 22),), completed_on=date(2026, 5, 11))
    replied = evaluate(m, date(2026, 4, 24), PACK)  # the next weekly report gives deadline and status
    assert (replied.status, replied.deadline) == ("on_track", date(2026, 4, 30))
    assert (evaluate(m, date(2026, 5, 6), PACK).status, evaluate(m, date(2026, 5, 6), PACK).deadline) == (
        "overdue", date(2026, 4, 30))
    done = evaluate(m, date(2026, 5, 12), PACK)
    assert (done.status, done.deadline) == ("done", date(2026, 4, 23))
    assert [f.kind for f in done.findings] == ["deadline", "violation"]  # the missed weekly report stays on record


@given(matters(), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=300, deadline=None)
def test_every_finding_cites_its_clause(m: Matter, as_of: date) -> None:
    result = evaluate(m, as_of, PACK)
    quoted = {(c.citation, c.text) for c in PACK.clauses}  # one article may be quoted in parts
    for f in result.findings:
        # a rule that also cites other clauses cites them all: each line one clause, quoted exactly
        parts = list(zip([f.citation.split("、")[0]], f.clause_text.split("\n")[:1]))
        assert parts[0] in quoted
        assert all(any(text == c.text and cite.endswith(c.citation.split(" ", 1)[1]) for c in PACK.clauses)
                   for cite, text in zip(f.citation.split("、")[1:], f.clause_text.split("\n")[1:]))
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


ALL_PACKS = [bundled_pack(p) for p in bundled_ids()]


@given(st.sampled_from(ALL_PACKS), matters(), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=400, deadline=None)
def test_an_advisory_rule_never_makes_a_violation_nor_lateness(pack: Pack, m: Matter, as_of: date) -> None:
    """semantics.md "Normative force": an advisory rule yields advice, never a violation, and an
    advisory deadline rule never makes a matter overdue or done late (滁州 第19项 当日事当日毕).
    Each pack is applied whatever its time in force (opted in), so every pack's rules are reached."""
    result = evaluate(m, as_of, pack, Options(allow_not_in_force=True))
    advisory = {f"{pack.id}/{r.id}" for r in pack.rules if r.force == "advisory"}
    for f in result.findings:
        if f.rule in advisory:
            assert f.kind != "violation", f.message
    first = result.findings[0] if result.findings else None
    if first is not None and first.kind == "deadline" and first.rule in advisory:
        assert result.status not in ("overdue", "done_late"), first.message


@given(matters(), st.dates(FIRST, AS_OF_LAST))
@settings(max_examples=300, deadline=None)
def test_a_replied_matter_has_no_deadline_and_met_its_limit(m: Matter, as_of: date) -> None:
    """济南 第十六条 "办结或回复进展情况": replied means a report on or before the limit and by as_of,
    the matter open; no deadline runs (its deadline finding keeps the limit met)."""
    result = evaluate(m, as_of, PACK)
    if result.status == "replied":
        first = result.findings[0]
        assert result.deadline is None and first.kind == "deadline" and first.due is not None
        assert any(r <= first.due and r <= as_of for r in m.reports)
        assert m.completed_on is None or m.completed_on > as_of
