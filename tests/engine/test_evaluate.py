"""Behaviour of the reference evaluator beyond the packs' example cases."""

from __future__ import annotations

from datetime import date

import pytest

from govrules.calendar import WorkCalendar
from govrules.chars import count_chars
from govrules.engine import Options, evaluate
from govrules.errors import GovrulesError, HolidayDataMissing, NotInForce
from govrules.models import Matter, parse_object
from govrules.packs import bundled_ids, bundled_pack, bundled_source

PACK = bundled_pack("jinan-2016-30")


def matter(**kw: object) -> Matter:
    raw = {"type": "matter", "id": "M-1", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}
    raw.update(kw)
    m = parse_object(raw)
    assert isinstance(m, Matter)
    return m


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_clause_texts_are_quoted_exactly_from_the_source(pack_id: str) -> None:
    pack = bundled_pack(pack_id)
    source = bundled_source(pack_id).read_text(encoding="utf-8")  # regulations/, shipped with the packs
    for clause in pack.clauses:
        assert clause.text in source, f"{clause.id} is not verbatim in {pack.source_file}"


def test_a_case_before_the_document_took_effect_is_refused() -> None:
    old = matter(assigned_on="2016-12-01")
    with pytest.raises(NotInForce, match=r"jinan-2016-30.*not in force on 2016-12-01.*allow_not_in_force"):
        evaluate(old, date(2016, 12, 20), PACK)


def test_opting_in_marks_every_finding_not_in_force() -> None:
    old = matter(assigned_on="2016-12-01")
    result = evaluate(old, date(2016, 12, 20), PACK, Options(allow_not_in_force=True))
    assert result.findings and all(not f.in_force for f in result.findings)


def test_unknown_year_names_the_year_and_the_matter() -> None:
    late = matter(assigned_on="2026-12-29", source="上级批示")
    with pytest.raises(HolidayDataMissing, match=r"matter M-1: no holiday data for 2027"):
        evaluate(late, date(2026, 12, 30), PACK)


def test_provisional_calendar_marks_the_result() -> None:
    late = matter(assigned_on="2026-12-29", source="上级批示")
    opts = Options(calendar=WorkCalendar.default().provisional())
    result = evaluate(late, date(2026, 12, 30), PACK, opts)
    assert result.provisional is True
    assert result.deadline == date(2027, 1, 7)  # weekends only: 12-30, 12-31, 1-1, 1-4, 1-5, 1-6, 1-7
    inside = evaluate(matter(), date(2026, 5, 11), PACK, opts)
    assert inside.provisional is False


def test_unknown_interpretation_and_option_are_errors() -> None:
    with pytest.raises(GovrulesError, match="no interpretation 'nope'"):
        evaluate(matter(), date(2026, 5, 11), PACK, Options(interpretations={"nope": "x"}))
    with pytest.raises(GovrulesError, match="has no option 'x'; options: reply-satisfies, completion-only"):
        evaluate(matter(), date(2026, 5, 11), PACK, Options(interpretations={"progress-reply": "x"}))


def test_warning_window_is_configurable() -> None:
    m = matter()  # due 2026-05-08
    assert evaluate(m, date(2026, 5, 6), PACK).status == "due_soon"
    assert evaluate(m, date(2026, 5, 6), PACK, Options(warning_workdays=1)).status == "on_track"
    assert evaluate(m, date(2026, 5, 8), PACK, Options(warning_workdays=0)).status == "due_soon"


def test_later_events_are_not_seen_as_of_an_earlier_date() -> None:
    m = matter(completed_on="2026-05-12")
    assert evaluate(m, date(2026, 5, 11), PACK).status == "overdue"
    assert evaluate(m, date(2026, 5, 12), PACK).status == "done_late"


def test_explanation_names_the_skipped_holidays() -> None:
    msg = evaluate(matter(), date(2026, 5, 11), PACK).findings[0].message
    assert "跳过劳动节假期2026-05-01至2026-05-05" in msg and "起算日不计入" in msg
    assert "一般应" in msg and "例外" in msg  # force "default" speaks as such


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        ("关于加强督查工作的通知", "word_processor", 11),
        ("一、总则。", "word_processor", 5),  # full-width punctuation counts
        ("GDP增长6.5%", "word_processor", 5),  # GDP=1 增=1 长=1 6=1 5=1; '.' and '%' are 0
        ("第 3 条", "word_processor", 3),
        ("GDP增长6.5%", "non_whitespace", 9),
        ("严禁召开“片会”", "word_processor", 8),  # curly quotes are Chinese punctuation: 1 each
        ("压缩5—10%", "word_processor", 5),  # 压 缩 5 — 10; '%' is 0
        ("……", "word_processor", 2),
        ("", "word_processor", 0),
    ],
)
def test_char_count_modes(text: str, mode: str, expected: int) -> None:
    assert count_chars(text, mode) == expected  # type: ignore[arg-type]


def test_a_next_report_due_in_an_unknown_year_raises() -> None:
    """Q3's report already sent in August: the next one is Q4's, due 2027-01-15 (rolled forward
    on a calendar nobody knows yet), so the answer is unknown, not guessed."""
    m = matter(source="政府工作报告", assigned_on="2026-04-01", reports=["2026-07-10", "2026-08-01"])
    with pytest.raises(HolidayDataMissing, match="2027"):
        evaluate(m, date(2026, 8, 1), PACK)
    result = evaluate(m, date(2026, 8, 1), PACK, Options(calendar=WorkCalendar.default().provisional()))
    assert result.deadline == date(2027, 1, 15) and result.provisional
