"""Working days, deadline arithmetic and holiday-data files, on the 2026 schedule.

2026 (国办发明电〔2025〕7号 as recorded by chinese-calendar 1.11.0): 元旦 01-01..03 (Sun 01-04 works),
春节 02-15..23 (Sat 02-14 and Sat 02-28 work), 清明 04-04..06, 劳动节 05-01..05 (Sat 05-09 works),
端午 06-19..21, 中秋 09-25..27, 国庆 10-01..07 (Sun 09-20 and Sat 10-10 work).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Callable

import chinese_calendar
import numpy as np
import pytest

from govrules.calendar import WorkCalendar, YearData, load_year_file
from govrules.calendar.holiday_names import is_mapped
from govrules.errors import HolidayDataMissing, InputError

REPO = Path(__file__).resolve().parents[2]
CAL = WorkCalendar.default()


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- the examples of the design --------------------------------------------------------------


def test_fifteen_working_days_from_thursday_30_april_2026_skip_labour_day() -> None:
    assert CAL.add_workdays(d("2026-04-30"), 15) == d("2026-05-25")
    assert CAL.add_workdays(d("2026-04-30"), 15) == chinese_calendar.find_workday(15, d("2026-04-30"))


def test_three_months_from_31_march_2026_end_on_30_june() -> None:
    assert CAL.add_months(d("2026-03-31"), 3) == d("2026-06-30")


@pytest.mark.parametrize("day", ["2026-09-20", "2026-10-10", "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09"])
def test_working_weekends_of_2026_are_working_days(day: str) -> None:
    assert d(day).weekday() >= 5
    assert CAL.is_workday(d(day))


@pytest.mark.parametrize("day", ["2026-10-01", "2026-10-07", "2026-02-16", "2026-05-05", "2026-01-01", "2026-06-19"])
def test_statutory_holidays_of_2026_are_not_working_days(day: str) -> None:
    assert d(day).weekday() < 5
    assert not CAL.is_workday(d(day))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-13", 1, "2026-02-14"),  # Friday before 春节 -> the working Saturday
        ("2026-02-13", 2, "2026-02-24"),  # then the whole break 02-15..23 is skipped
        ("2026-04-30", 1, "2026-05-06"),  # 劳动节 05-01..05
        ("2026-04-30", 4, "2026-05-09"),  # the working Saturday counts
        ("2026-09-30", 1, "2026-10-08"),  # 国庆节 10-01..07
        ("2026-09-30", 3, "2026-10-10"),
        ("2026-09-18", 1, "2026-09-20"),  # Friday -> the working Sunday
        ("2026-10-03", 1, "2026-10-08"),  # a holiday start: counting starts at the next working day
        ("2026-10-03", 0, "2026-10-08"),  # n == 0 rolls forward
        ("2026-10-09", 0, "2026-10-09"),
        ("2026-10-08", -1, "2026-09-30"),
        ("2026-02-24", -2, "2026-02-13"),
    ],
)
def test_add_workdays_across_the_2026_breaks(start: str, n: int, expected: str) -> None:
    assert CAL.add_workdays(d(start), n) == d(expected)


def test_a_holiday_start_counts_from_the_next_working_day_unlike_find_workday() -> None:
    # chinese_calendar.find_workday first rolls a holiday start forward and then counts n more;
    # semantics.md counts the next working day as the first one.
    assert CAL.add_workdays(d("2026-10-03"), 1) == d("2026-10-08")
    assert chinese_calendar.find_workday(1, d("2026-10-03")) == d("2026-10-09")


def test_workdays_between_inverts_add_workdays_and_is_antisymmetric() -> None:
    assert CAL.workdays_between(d("2026-04-30"), d("2026-05-25")) == 15
    assert CAL.workdays_between(d("2026-05-25"), d("2026-04-30")) == -15
    assert CAL.workdays_between(d("2026-10-01"), d("2026-10-07")) == 0


def test_roll_forward_and_back() -> None:
    assert CAL.roll_forward(d("2026-10-01")) == d("2026-10-08")
    assert CAL.roll_back(d("2026-10-07")) == d("2026-09-30")
    assert CAL.roll_back(d("2026-10-10")) == d("2026-10-10")


# -- calendar days, months, quarters ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-09-25", 5, "2026-09-30"),  # a working day: no roll
        ("2026-09-26", 5, "2026-10-08"),  # 10-01 is 国庆节: rolled past the break
        ("2026-01-01", 2, "2026-01-04"),  # 01-03 is 元旦: rolled to the working Sunday
        ("2026-05-20", 10, "2026-06-01"),  # Saturday 05-30 -> Monday 06-01
    ],
)
def test_add_days_rolls_a_non_working_last_day_forward(start: str, n: int, expected: str) -> None:
    assert CAL.add_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),  # clamped to 02-28, a working Saturday in 2026
        ("2025-01-31", 1, "2025-02-28"),  # clamped, a Friday
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2026-03-31", 2, "2026-06-01"),  # clamped to Sunday 05-31, rolled to Monday
    ],
)
def test_add_months_clamps_to_the_month_end_then_rolls_forward(start: str, n: int, expected: str) -> None:
    assert CAL.add_months(d(start), n) == d(expected)


def test_add_months_lands_in_a_holiday_and_rolls_forward() -> None:
    assert CAL.add_months(d("2026-09-01"), 1) == d("2026-10-08")


@pytest.mark.parametrize(
    ("year", "quarter", "days", "expected"),
    [
        (2026, 1, 15, "2026-04-15"),
        (2026, 2, 15, "2026-07-15"),
        (2026, 3, 15, "2026-10-15"),
        (2025, 4, 15, "2026-01-15"),
        (2026, 3, 5, "2026-10-08"),  # 10-05 is in 国庆节: rolled forward
        (2025, 4, 3, "2026-01-04"),  # 01-03 is 元旦: rolled to the working Sunday
    ],
)
def test_quarter_end_plus(year: int, quarter: int, days: int, expected: str) -> None:
    assert CAL.quarter_end_plus(year, quarter, days) == d(expected)


def test_quarter_must_be_one_to_four() -> None:
    with pytest.raises(ValueError, match="quarter"):
        CAL.quarter_end_plus(2026, 5, 15)


def test_fourth_quarter_of_2026_needs_2027() -> None:
    with pytest.raises(HolidayDataMissing, match="2027"):
        CAL.quarter_end_plus(2026, 4, 15)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 1, "2026-01-30"),  # the 31st is a Saturday: rolled back
        (2026, 2, "2026-02-28"),  # a working Saturday stays
        (2026, 5, "2026-05-29"),
        (2026, 6, "2026-06-30"),
        (2026, 10, "2026-10-30"),
    ],
)
def test_month_end_rolls_back_to_the_last_working_day(year: int, month: int, expected: str) -> None:
    assert CAL.month_end(year, month) == d(expected)


def test_week_last_workday() -> None:
    assert CAL.week_last_workday(d("2026-06-03")) == d("2026-06-05")
    assert CAL.week_last_workday(d("2026-10-05")) == d("2026-10-10")  # the working Saturday
    assert CAL.week_last_workday(d("2026-02-18")) is None  # 02-16..22 all 春节


# -- unknown years ----------------------------------------------------------------------------


def test_a_day_in_2027_is_unknown_not_a_day_without_holidays() -> None:
    with pytest.raises(HolidayDataMissing, match="2027") as caught:
        CAL.is_workday(d("2027-01-04"))
    assert caught.value.year == 2027
    assert "2004-2026" in str(caught.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.add_workdays(d("2026-12-20"), 15),  # the result would be in 2027
        lambda: CAL.add_workdays(d("2026-12-31"), 1),
        lambda: CAL.add_days(d("2026-12-20"), 15),
        lambda: CAL.add_months(d("2026-12-15"), 1),
        lambda: CAL.roll_forward(d("2027-01-01")),
        lambda: CAL.workdays_between(d("2026-12-01"), d("2027-01-05")),
        lambda: CAL.week_last_workday(d("2026-12-31")),
        lambda: CAL.holidays_in(d("2026-12-01"), d("2027-01-05")),
        lambda: CAL.add_workdays_array(np.array(["2026-12-20"], dtype="datetime64[D]"), 15),
        lambda: CAL.is_workday_array(np.array(["2026-01-05", "2027-01-05"], dtype="datetime64[D]")),
    ],
)
def test_anything_that_needs_2027_raises_naming_2027(call: Callable[[], object]) -> None:
    with pytest.raises(HolidayDataMissing, match="2027") as caught:
        call()
    assert caught.value.year == 2027


def test_counting_back_before_2004_needs_2003() -> None:
    with pytest.raises(HolidayDataMissing, match="2003"):
        CAL.add_workdays(d("2004-01-05"), -5)


# -- holiday-data files -----------------------------------------------------------------------

YEAR_2027 = """\
year: 2027
complete: true
source: test data, not the official 2027 schedule
holidays:
  - {date: 2027-01-01, name: 元旦}
  - {start: 2027-02-06, end: 2027-02-12, name: 春节}
working_weekends:
  - {date: 2027-02-20, name: 春节}
"""


def write(tmp_path: Path, text: str, name: str = "holidays-2027.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_calendar_with_a_2027_file_counts_across_new_year(tmp_path: Path) -> None:
    calendar = CAL.with_year_file(write(tmp_path, YEAR_2027))
    assert calendar.known_years == (2004, 2027)
    assert not calendar.is_workday(d("2027-01-01"))
    assert not calendar.is_workday(d("2027-02-08"))  # a Monday in the break
    assert calendar.is_workday(d("2027-02-20"))  # a working Saturday
    # 2026-12-20 is a Sunday; 12-21..31 give 9 working days, then 01-04.. (01-01 is off).
    assert calendar.add_workdays(d("2026-12-20"), 15) == d("2027-01-11")
    assert calendar.holidays_in(d("2026-12-31"), d("2027-01-02")) == [(d("2027-01-01"), "元旦")]
    with pytest.raises(HolidayDataMissing, match="2028"):
        calendar.is_workday(d("2028-01-03"))
    # The default calendar is not changed by it.
    with pytest.raises(HolidayDataMissing):
        CAL.is_workday(d("2027-01-04"))


def test_a_json_file_and_year_data_in_python_work_too(tmp_path: Path) -> None:
    content = {
        "year": 2027,
        "complete": True,
        "source": "test",
        "holidays": [{"date": "2027-01-01", "name": "元旦"}],
        "working_weekends": [],
    }
    from_json = CAL.with_year_file(write(tmp_path, json.dumps(content), "h.json"))
    from_python = CAL.with_year_data(YearData.model_validate(content))
    for calendar in (from_json, from_python):
        assert not calendar.is_workday(d("2027-01-01"))
        assert calendar.is_workday(d("2027-01-04"))


def test_a_year_before_the_known_ones_can_be_added(tmp_path: Path) -> None:
    text = YEAR_2027.replace("2027", "2003").replace("2003-02-20", "2003-02-22")
    calendar = CAL.with_year_file(write(tmp_path, text))
    assert calendar.known_years == (2003, 2026)
    assert calendar.add_workdays(d("2004-01-05"), -5) == d("2003-12-26")  # 2004-01-01 is 元旦


def test_a_year_already_known_is_refused_naming_it(tmp_path: Path) -> None:
    text = YEAR_2027.replace("2027", "2026").replace("2026-02-20", "2026-02-21")
    with pytest.raises(InputError, match="2026 is already known"):
        CAL.with_year_file(write(tmp_path, text))


def test_a_year_that_would_leave_a_gap_is_refused(tmp_path: Path) -> None:
    text = YEAR_2027.replace("2027", "2028").replace("2028-02-20", "2028-02-19")
    with pytest.raises(InputError, match="supply 2027 first"):
        CAL.with_year_file(write(tmp_path, text))


@pytest.mark.parametrize(
    ("edit", "where", "problem"),
    [
        (("complete: true", "complete: false"), ": complete", "partial year"),
        (("year: 2027", "year: 2101"), ": year", "less than or equal to 2100"),
        (("year: 2027", "year: '2027'"), ": year", "integer"),
        (("source: test data, not the official 2027 schedule\n", ""), ": source", "missing"),
        (("working_weekends:\n  - {date: 2027-02-20, name: 春节}\n", ""), ": working_weekends", "missing"),
        (("complete: true", "complete: true\nnotes: x"), ": notes", "unknown key"),
        (("{date: 2027-01-01, name: 元旦}", "{date: 2027-01-01, name: 元旦, kind: x}"), ": holidays[0].kind", "unknown key"),
        (("{date: 2027-01-01, name: 元旦}", "{date: 2026-12-31, name: 元旦}"), ": holidays[0].date", "not in 2027"),
        (("end: 2027-02-12", "end: 2028-02-12"), ": holidays[1].end", "not in 2027"),
        (("end: 2027-02-12", "end: 2027-02-05"), ": holidays[1]", "after end"),
        (("{date: 2027-01-01, name: 元旦}", "{date: 2027-01-01, start: 2027-01-01, end: 2027-01-02, name: 元旦}"), ": holidays[0]", "not both"),
        (("{date: 2027-01-01, name: 元旦}", "{name: 元旦}"), ": holidays[0]", "expected date"),
        (("{date: 2027-01-01, name: 元旦}", "{date: 2027-01-01 09:00:00, name: 元旦}"), ": holidays[0].date", "without a time"),
        (("{date: 2027-01-01, name: 元旦}", "{date: '2027-1-1', name: 元旦}"), ": holidays[0].date", "expected a day"),
        (("{date: 2027-01-01, name: 元旦}", "{date: 2027-01-01, name: ''}"), ": holidays[0].name", "at least 1 character"),
        (("{date: 2027-01-01, name: 元旦}", "{date: 2027-02-07, name: 元旦}"), ": holidays[1]", "already listed at holidays[0]"),
        (("{date: 2027-02-20, name: 春节}", "{date: 2027-02-22, name: 春节}"), ": working_weekends[0].date", "weekday"),
        (("{date: 2027-02-20, name: 春节}", "{date: 2027-02-06, name: 春节}"), ": working_weekends[0].date", "both a holiday and a working weekend"),
        (("  - {date: 2027-02-20, name: 春节}", "  - {date: 2027-02-20, name: 春节}\n  - {date: 2027-02-20, name: 春节}"), ": working_weekends[1].date", "already listed"),
        (("holidays:\n", "holidays: []\nx:\n"), ": holidays", "at least 1 item"),
    ],
)
def test_each_validation_error_names_the_field(tmp_path: Path, edit: tuple[str, str], where: str, problem: str) -> None:
    assert edit[0] in YEAR_2027
    path = write(tmp_path, YEAR_2027.replace(*edit))
    with pytest.raises(InputError) as caught:
        load_year_file(path)
    # file:line:column of the value (or of the mapping lacking a key), then the field
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+{re.escape(where)}", caught.value.where)
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("year: [2027\n", "not valid YAML"),
        ("year: 2027\nyear: 2028\n", "duplicate key 'year'"),
        ("- 2027\n", "expected a mapping"),
        ("year: 2027\nholidays: [{date: 2027-02-30, name: x}]\n", "not valid YAML"),
        ("!!python/object/apply:os.system ['true']\n", "is not allowed: a holiday-data file is plain data"),
    ],
)
def test_a_file_that_is_not_a_yaml_mapping_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        load_year_file(write(tmp_path, text))
    assert str(tmp_path) in caught.value.where


def test_bad_json_is_refused_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid JSON") as caught:
        load_year_file(write(tmp_path, '{"year": 2027,\n "complete": }', "h.json"))
    assert caught.value.where.endswith("h.json:2:14")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        CAL.with_year_file(tmp_path / "nope.yaml")


def test_a_file_over_1_mb_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"the limit is 1000000 bytes \(1 MB\)"):
        load_year_file(write(tmp_path, YEAR_2027 + "#" * 1_000_000))


def test_the_example_file_is_valid_and_labelled_as_an_example() -> None:
    path = REPO / "examples" / "holidays-2027.example.yaml"
    data = load_year_file(path)
    assert data.year == 2027
    assert "EXAMPLE" in data.source
    assert "not the official" in path.read_text(encoding="utf-8")


# -- provisional mode -------------------------------------------------------------------------


def test_provisional_mode_counts_2027_with_weekends_only_and_marks_it() -> None:
    provisional = CAL.provisional()
    assert provisional.is_workday(d("2027-01-01"))  # a Friday, whatever the State Council decides
    assert not provisional.is_workday(d("2027-01-02"))
    assert provisional.add_workdays(d("2026-12-20"), 15) == d("2027-01-08")
    assert provisional.is_provisional(d("2027-01-01"))
    assert not provisional.is_provisional(d("2026-12-31"))
    assert provisional.touches_provisional(d("2026-12-20"), d("2027-01-08"))
    assert not provisional.touches_provisional(d("2026-04-30"), d("2026-05-25"))
    assert 2027 in provisional.provisional_years and 2026 not in provisional.provisional_years
    assert min(provisional.provisional_years) == 1990 and max(provisional.provisional_years) == 2100
    assert provisional.known_years == (2004, 2026)
    assert provisional.add_workdays(d("2026-04-30"), 15) == d("2026-05-25")  # known years unchanged
    assert not CAL.touches_provisional(d("2026-04-30"), d("2026-05-25"))


def test_provisional_mode_stops_at_1990_and_2100() -> None:
    provisional = CAL.provisional()
    with pytest.raises(HolidayDataMissing, match="2101"):
        provisional.is_workday(d("2101-01-03"))
    with pytest.raises(HolidayDataMissing, match="1989"):
        provisional.add_workdays(d("1990-01-01"), -1)


def test_supplying_2027_to_a_provisional_calendar_makes_2027_known(tmp_path: Path) -> None:
    calendar = CAL.provisional().with_year_file(write(tmp_path, YEAR_2027))
    assert calendar.known_years == (2004, 2027)
    assert not calendar.is_provisional(d("2027-01-01"))
    assert not calendar.is_workday(d("2027-01-01"))
    assert calendar.is_provisional(d("2028-01-03"))


# -- explanations -----------------------------------------------------------------------------


def test_describe_holidays_for_the_labour_day_example() -> None:
    assert CAL.describe_holidays(d("2026-04-30"), d("2026-05-25")) == (
        "跳过劳动节假期2026-05-01至2026-05-05；2026-05-09(星期六)调休上班"
    )


def test_describe_holidays_around_spring_festival_and_a_shared_break() -> None:
    assert CAL.describe_holidays(d("2026-02-13"), d("2026-03-02")) == (
        "2026-02-14(星期六)调休上班；跳过春节假期2026-02-15至2026-02-23；2026-02-28(星期六)调休上班"
    )
    assert CAL.describe_holidays(d("2025-09-27"), d("2025-10-11")) == (
        "2025-09-28(星期日)调休上班；跳过国庆节、中秋节假期2025-10-01至2025-10-08；2025-10-11(星期六)调休上班"
    )
    assert CAL.describe_holidays(d("2026-06-01"), d("2026-06-12")) == ""


def test_holidays_and_working_weekends_carry_chinese_names() -> None:
    assert CAL.holidays_in(d("2015-09-01"), d("2015-09-06")) == [
        (d("2015-09-03"), "抗战胜利70周年纪念日"),
        (d("2015-09-04"), "抗战胜利70周年纪念日"),
    ]
    assert CAL.working_weekends_in(d("2026-09-01"), d("2026-10-31")) == [
        (d("2026-09-20"), "国庆节"),
        (d("2026-10-10"), "国庆节"),
    ]
    assert CAL.holidays_in(d("2026-01-01"), d("2026-01-03")) == [(d("2026-01-02"), "元旦"), (d("2026-01-03"), "元旦")]


def test_every_label_of_the_installed_chinese_calendar_has_a_chinese_name() -> None:
    from chinese_calendar import constants

    labels = set(constants.holidays.values()) | set(constants.workdays.values())
    assert {label for label in labels if not is_mapped(label)} == set()


# -- arrays and the calendar object -----------------------------------------------------------


def test_arrays_broadcast_n_and_pass_nat_through() -> None:
    dates = np.array(["2026-04-30", "NaT", "2026-09-30"], dtype="datetime64[D]")
    result = CAL.add_workdays_array(dates, np.array([15, 3, -1]))
    assert result.dtype == np.dtype("datetime64[D]")
    assert result[0] == np.datetime64("2026-05-25") and np.isnat(result[1])
    assert result[2] == np.datetime64("2026-09-29")
    assert CAL.is_workday_array(dates).tolist() == [True, False, True]


def test_arrays_refuse_values_that_are_not_dates() -> None:
    with pytest.raises(TypeError):
        CAL.add_workdays_array(np.array([1, 2]), 1)
    with pytest.raises(TypeError):
        CAL.add_workdays_array(np.array(["2026-01-05"], dtype="datetime64[D]"), 1.5)  # type: ignore[arg-type]


def test_the_calendar_is_immutable_and_the_default_is_shared() -> None:
    # (not necessarily CAL: the tests of installed years rebuild the default calendar)
    assert WorkCalendar.default() is WorkCalendar.default()
    with pytest.raises(AttributeError):
        CAL._first_day = 0
    assert CAL.known_years == (2004, 2026)
    assert CAL.provisional_years == frozenset()


def test_importing_the_package_does_not_build_the_calendar() -> None:
    code = "import sys, govrules.calendar; assert 'chinese_calendar' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
