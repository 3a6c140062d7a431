"""obligation_state counts runs of periods instead of walking them: it agrees with a walk through
every period from the assignment (the oracle below, written out plainly), for every kind of rule,
matters of any age, reports sparse or regular, completion, and as_of reaching into 2027, a year
the built-in calendar does not know."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.semantics import obligations
from govrules.semantics.obligations import MAX_OCCURRENCES, obligation_state
from govrules.errors import HolidayDataMissing
from govrules.models import Matter
from govrules.packs.schema import ObligationRule

EXAMPLE_2027 = Path(__file__).resolve().parents[2] / "examples" / "holidays-2027.example.yaml"
CALENDARS = {
    "built-in": WorkCalendar.default(),  # 2027 unknown
    "with-2027": WorkCalendar.default().with_year_file(EXAMPLE_2027),
    "provisional": WorkCalendar.default().provisional(),
}


def _rule(every: str, first: str, after: int | None, required: bool) -> ObligationRule:
    return ObligationRule(id="r", kind="obligation", clause="c", force="mandatory", outcome="报告", every=every,
                          first_period=first, days_after_period_end=after, reports_required=required)


RULES = st.builds(
    _rule, st.sampled_from(["day", "week", "month", "quarter"]), st.sampled_from(["containing", "next"]), st.none(),
    st.booleans(),
) | st.builds(_rule, st.just("quarter"), st.sampled_from(["containing", "next"]), st.integers(1, 90), st.booleans())


# -- the oracle: the walk, one period at a time --------------------------------------------------

def _walk_periods(rule: ObligationRule, start: date) -> Iterator[tuple[date, date]]:
    if rule.every in ("day", "week"):
        step = 1 if rule.every == "day" else 7
        first = start - timedelta(days=start.weekday() if step == 7 else 0)
        if rule.first_period == "next":
            first += timedelta(days=step)
        for k in range(MAX_OCCURRENCES):
            begin = first + timedelta(days=step * k)
            yield begin, begin + timedelta(days=step - 1)
        return
    months = 3 if rule.every == "quarter" else 1
    month = start.year * 12 + (start.month - 1) // months * months + (months if rule.first_period == "next" else 0)
    for _ in range(MAX_OCCURRENCES):
        after = month + months
        yield (date(month // 12, month % 12 + 1, 1), date(after // 12, after % 12 + 1, 1) - timedelta(days=1))
        month = after


def _walk_due(cal: WorkCalendar, rule: ObligationRule, begin: date, end: date) -> date | None:
    if rule.every == "day":
        return begin if cal.is_workday(begin) else None
    if rule.every == "week":
        return cal.week_last_workday(begin)
    if rule.days_after_period_end is not None:
        return cal.add_days(end, rule.days_after_period_end)
    return cal.roll_back(end)


def oracle(cal: WorkCalendar, rule: ObligationRule, m: Matter, as_of: date) -> tuple[object, ...]:
    """(missed, next_due, unknown year, more_missed), walking every period."""
    missed: list[date] = []
    done = m.completed_on if m.completed_on is not None and m.completed_on <= as_of else None
    reports = sorted(r for r in m.reports if r <= as_of)
    earliest = m.assigned_on
    for begin, end in _walk_periods(rule, m.assigned_on):
        if done is not None and end >= done:
            return tuple(missed), None, None, False
        try:
            due = _walk_due(cal, rule, begin, end)
        except HolidayDataMissing as exc:
            return tuple(missed), None, str(exc), rule.reports_required and begin < as_of
        if due is None:
            continue
        if not rule.reports_required:
            if due >= as_of:
                return (), due, None, False
            continue
        i = bisect_left(reports, max(earliest, begin))  # the first report the window could hold
        reported = i < len(reports) and reports[i] <= due
        if not reported and due >= as_of:
            return tuple(missed), due, None, False
        if not reported:
            missed.append(due)
        earliest = due + timedelta(days=1)
    return tuple(missed), None, None, False


# -- matters of any age --------------------------------------------------------------------------

@st.composite
def cases(draw: st.DrawFn) -> tuple[Matter, date]:
    assigned = draw(st.dates(date(2005, 1, 1), date(2026, 12, 31)))
    as_of = draw(st.dates(assigned - timedelta(days=10), date(2027, 12, 31)) | st.dates(assigned, assigned + timedelta(days=120)))
    window = st.dates(assigned, max(assigned, as_of) + timedelta(days=40))
    reports = draw(st.lists(window, max_size=12))
    if draw(st.booleans()):  # regular reports: every n days over a stretch, as supervised units send them
        first, every = draw(window), draw(st.integers(1, 120))
        count = draw(st.integers(0, 200))
        reports += [first + timedelta(days=every * i) for i in range(count) if first + timedelta(days=every * i) <= date(2027, 12, 31)]
    completed = draw(st.none() | window)
    return Matter(type="matter", id="M", source="工作计划", assigned_on=assigned, lead_unit="局",
                  reports=tuple(reports), completed_on=completed), as_of


def _check(cal: WorkCalendar, rule: ObligationRule, m: Matter, as_of: date) -> None:
    state = obligation_state(cal, rule, m, as_of)
    missed = tuple(state.missed)
    got = (missed, state.next_due, None if state.unknown is None else str(state.unknown), state.more_missed)
    assert got == oracle(cal, rule, m, as_of)
    # the sequence reads as the tuple it stands for: length, first five, ends
    assert len(state.missed) == len(missed) and bool(state.missed) == bool(missed)
    assert tuple(state.missed[:5]) == missed[:5] and state.missed == missed
    if missed:
        assert (state.missed[0], state.missed[-1], state.missed[len(missed) // 2]) == (missed[0], missed[-1], missed[len(missed) // 2])


@pytest.mark.parametrize("name", CALENDARS)
@given(rule=RULES, case=cases())
@settings(max_examples=250, deadline=None)
@example(rule=_rule("week", "containing", None, True),  # the bench's matter: 济南 第十七条, a report every 3 weeks
         case=(Matter(type="matter", id="M", source="重点项目", assigned_on=date(2019, 1, 7), lead_unit="局",
                      reports=tuple(date(2019, 1, 11) + timedelta(weeks=3 * i) for i in range(410))), date(2026, 11, 30)))
@example(rule=_rule("quarter", "containing", 90, True),  # 2018 Q4's due, 03-31 + 90 days, rolls to 2019-04-01 (Monday):
         case=(Matter(type="matter", id="M", source="工作计划", assigned_on=date(2018, 10, 9), lead_unit="局",  # two back
                      reports=(date(2019, 4, 1),)), date(2019, 4, 1)))
def test_agrees_with_a_period_by_period_walk(name: str, rule: ObligationRule, case: tuple[Matter, date]) -> None:
    _check(CALENDARS[name], rule, *case)


@pytest.mark.parametrize("name", CALENDARS)
@given(rule=RULES, case=cases())
@settings(max_examples=150, deadline=None)
def test_reports_read_as_one_column_agree_too(name: str, rule: ObligationRule, case: tuple[Matter, date]) -> None:
    """A matter with many reports has them read as one column (the calendar's vector face); with
    that path taken for any number, the answers are the walk's still."""
    saved = obligations._MANY
    obligations._MANY = 0
    try:
        _check(CALENDARS[name], rule, *case)
    finally:
        obligations._MANY = saved


@pytest.mark.parametrize("every", ["day", "week", "month", "quarter"])
def test_past_the_walks_bound_and_into_the_unknown_year(every: str) -> None:
    # 2005 to 2027: 日报 pass MAX_OCCURRENCES periods; the rest reach 2027, which is unknown
    cal = CALENDARS["built-in"]
    for after in ([None, 15] if every == "quarter" else [None]):
        for required in (True, False):
            rule = _rule(every, "containing", after, required)
            for as_of in (date(2026, 12, 20), date(2027, 1, 5), date(2027, 6, 30)):
                for done in (None, date(2026, 12, 25), date(2027, 1, 4)):  # completion in 2027 too
                    m = Matter(type="matter", id="M", source="工作计划", assigned_on=date(2005, 3, 3), lead_unit="局",
                               reports=(date(2005, 3, 4), date(2019, 6, 28), date(2026, 12, 31)), completed_on=done)
                    _check(cal, rule, m, as_of)


@given(monday=st.dates(date(2004, 1, 5), date(2026, 12, 21)), weeks=st.integers(0, 600))
@settings(max_examples=100, deadline=None)
def test_weeks_with_workdays_counts_each_week(monday: date, weeks: int) -> None:
    cal = CALENDARS["built-in"]
    monday -= timedelta(days=monday.weekday())
    weeks = min(weeks, (date(2026, 12, 27) - monday).days // 7)
    expected = sum(cal.week_last_workday(monday + timedelta(weeks=w)) is not None for w in range(weeks))
    assert cal.weeks_with_workdays(monday, weeks) == expected
    with pytest.raises(HolidayDataMissing):
        cal.weeks_with_workdays(date(2026, 12, 28), 1)  # its Sunday is in 2027


@given(days=st.lists(st.dates(date(2004, 1, 1), date(2026, 12, 31)), max_size=30))
@settings(max_examples=50, deadline=None)
def test_are_workday_ordinals_is_is_workday_for_each(days: list[date]) -> None:
    cal = CALENDARS["built-in"]
    assert cal.are_workday_ordinals([d.toordinal() for d in days]) == [cal.is_workday(d) for d in days]
    with pytest.raises(HolidayDataMissing, match="2027"):
        cal.are_workday_ordinals([d.toordinal() for d in days] + [date(2027, 1, 4).toordinal()])
