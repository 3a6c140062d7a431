"""提高效率 (七) "需征求相关部门意见的可延长至10天": an extension never ends before the limit it
extends, under either reading of 10天; and a period's at_least in general."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from govrules.calendar import WorkCalendar
from govrules.engine import Options, evaluate
from govrules.semantics.periods import period_end
from govrules.models import parse_object
from govrules.packs import bundled_pack
from govrules.packs.schema import Period

CAL = WorkCalendar.default()

TIGAO = bundled_pack("tigao-xiaolv-yijian")


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


@given(st.dates(date(2004, 1, 1), date(2026, 8, 31)), st.integers(1, 40), st.integers(1, 20),  # ends stay in 2026
       st.sampled_from(["days", "months"]))
@settings(max_examples=300, deadline=None)
def test_a_period_with_at_least_ends_on_the_later_of_its_two_counts(start: date, n: int, floor: int, unit: str) -> None:
    own = Period(**{unit: n if unit == "days" else 1 + n % 3})
    both = own.model_copy(update={"at_least": Period(working_days=floor)})
    end = period_end(CAL, start, both)
    assert end == max(period_end(CAL, start, own), CAL.add_workdays(start, floor))  # type: ignore[type-var]
