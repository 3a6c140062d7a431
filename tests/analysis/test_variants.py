"""vary(): a pack with a rule's parameter changed or another reading chosen, without editing YAML.

A variant is not the document: its id differs, the changed rule's findings carry a marker among
their interpretations saying the value is assumed, the clause is still quoted as written, and
choosing the marker's as-written option gives back the document's own answer."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.engine import Options, evaluate
from govrules.models import Matter, parse_object
from govrules.packs import Pack, bundled_ids, bundled_pack
from govrules.packs.schema import DeadlineRule
from govrules.analysis.variants import VariationError, vary

SHAOXING = bundled_pack("shaoxing-2008-185")
JINAN = bundled_pack("jinan-2016-30")
TOPIC = "deadline/topic-meeting"  # 绍政办发〔2008〕185号 二（三）: 会后15个工作日内办结、反馈
MARKER = f"what-if/{TOPIC}"
AS_OF = date(2026, 3, 31)


@cache
def ten_days() -> Pack:
    return vary(SHAOXING, rules={TOPIC: {"period": {"working_days": 10}}})


def topic_meeting(**extra: Any) -> Matter:
    raw = {"type": "matter", "id": "ZT-1", "source": "专题会议", "assigned_on": "2026-03-02", "lead_unit": "市交通运输局",
           **extra}
    return parse_object(raw, "test", Matter)


def rule(pack: Pack, ident: str) -> Any:
    return next(r for r in pack.rules if r.id == ident)


def test_a_variant_has_its_own_id_and_says_so_in_its_title() -> None:
    varied = ten_days()
    assert varied.id == "shaoxing-2008-185.what-if" and varied.id != SHAOXING.id
    assert "假设变体" in varied.title and "非原文" in varied.title
    assert varied.clauses == SHAOXING.clauses  # the document is quoted as it is
    assert SHAOXING.id == "shaoxing-2008-185" and rule(SHAOXING, TOPIC).period.working_days == 15


def test_the_changed_rule_keeps_its_place_and_the_rule_as_written_follows_it() -> None:
    varied = ten_days()
    ids = [r.id for r in varied.rules]
    at = ids.index(TOPIC)
    assert ids[at + 1] == f"{TOPIC}/as-written"
    assert ids[:at] == [r.id for r in SHAOXING.rules][:at]  # the first deadline rule that applies still decides
    assert rule(varied, TOPIC).period.working_days == 10
    assert rule(varied, TOPIC).only_under == {MARKER: "varied"}
    assert rule(varied, f"{TOPIC}/as-written").period.working_days == 15
    assert rule(varied, f"{TOPIC}/as-written").only_under == {MARKER: "as-written"}
    marker = next(i for i in varied.interpretations if i.id == MARKER)
    assert marker.chosen == "varied" and "非原文" in marker.options["varied"] and "10个工作日" in marker.options["varied"]
    assert "15个工作日" in marker.options["as-written"]
    assert "deadline/topic-meeting 的 period 为 10个工作日,结果会怎样" in marker.question


def test_a_finding_of_the_changed_rule_shows_the_change_and_quotes_the_clause_as_written() -> None:
    result = evaluate(topic_meeting(), AS_OF, ten_days())
    finding = result.findings[0]
    assert finding.rule == "shaoxing-2008-185.what-if/deadline/topic-meeting"
    assert result.deadline == date(2026, 3, 16)  # 10 working days after 2026-03-02
    used = {i.id: i for i in finding.interpretations}
    assert used[MARKER].choice == "varied"
    assert "假设,非原文" in used[MARKER].reading and "10个工作日" in used[MARKER].reading
    # the clause still says 15, and the outcome says that the 10 is assumed, not the clause's
    assert "15个工作日" in finding.clause_text and "15个工作日" in finding.outcome
    assert "假设变体 what-if:period 10个工作日,非原文" in finding.outcome
    assert "非原文" in finding.message
    assert evaluate(topic_meeting(), AS_OF, SHAOXING).deadline == date(2026, 3, 23)  # 15 working days


def test_choosing_the_reading_as_written_gives_back_the_documents_answer() -> None:
    as_written = evaluate(topic_meeting(), AS_OF, ten_days(), Options(interpretations={MARKER: "as-written"}))
    original = evaluate(topic_meeting(), AS_OF, SHAOXING)
    assert (as_written.deadline, as_written.status) == (original.deadline, original.status)
    assert [(f.kind, f.due, f.citation) for f in as_written.findings] == [(f.kind, f.due, f.citation) for f in original.findings]
    assert as_written.findings[0].rule.endswith("/deadline/topic-meeting/as-written")


def test_another_reading_is_chosen_in_the_variant_and_noted_in_its_basis() -> None:
    varied = vary(JINAN, readings={"progress-reply": "completion-only"}, label="completion")
    assert varied.id == "jinan-2016-30.completion"
    chosen = next(i for i in varied.interpretations if i.id == "progress-reply")
    assert chosen.chosen == "completion-only" and "改选 completion-only" in (chosen.basis or "")
    matter = parse_object({"type": "matter", "id": "P-1", "source": "市领导批示", "assigned_on": "2026-03-02",
                           "lead_unit": "市教育局", "reports": ["2026-03-03"]}, "test", Matter)
    got = evaluate(matter, AS_OF, varied)
    want = evaluate(matter, AS_OF, JINAN, Options(interpretations={"progress-reply": "completion-only"}))
    assert (got.deadline, got.status) == (want.deadline, want.status) == (date(2026, 3, 5), "overdue")
    assert [i.choice for i in got.findings[0].interpretations] == ["completion-only"]
    assert evaluate(matter, AS_OF, JINAN).status == "replied"  # the pack's own reading: the reply meets it


def test_several_rules_and_a_reading_at_once() -> None:
    varied = vary(JINAN, rules={"deadline/executive-meeting": {"period": {"working_days": 5}},
                                "deadline/proposal": {"period": {"months": 2}, "extension_cap": {"months": 4}}},
                  readings={"immediate": "next-working-day"})
    assert rule(varied, "deadline/executive-meeting").period.working_days == 5
    assert rule(varied, "deadline/proposal").period.months == 2
    assert rule(varied, "deadline/proposal").extension_cap.months == 4
    proposal = next(i for i in varied.interpretations if i.id == "what-if/deadline/proposal")
    assert "period 2个月" in proposal.options["varied"] and "extension_cap 4个月" in proposal.options["varied"]


BAD: list[tuple[dict[str, Any], str]] = [
    ({"deadline/topic-meting": {"period": {"working_days": 10}}}, "rule 'deadline/topic-meting': the pack has no such rule; expected one of"),
    ({TOPIC: {"period": {"working_days": 0}}}, "rule 'deadline/topic-meeting': period.working_days: Input should be greater than or equal to 1 (got 0); expected a period"),
    ({TOPIC: {"period": {"working_days": -3}}}, "period.working_days: Input should be greater than or equal to 1 (got -3)"),
    ({TOPIC: {"period": {"working_days": "ten"}}}, "period.working_days: Input should be a valid integer"),
    ({TOPIC: {"period": {"working_days": 10.5}}}, "period.working_days: Input should be a valid integer"),
    ({TOPIC: {"period": {"workdays": 10}}}, "period.workdays: unknown key 'workdays' (got 10); expected a period: exactly one of working_days"),
    ({TOPIC: {"period": {"working_days": 10, "days": 3}}}, "period: a period needs exactly one of"),
    ({TOPIC: {"period": 10}}, "rule 'deadline/topic-meeting': period: Input should be a valid dictionary"),
    ({TOPIC: {"perid": {"working_days": 10}}}, "rule 'deadline/topic-meeting': perid: a deadline rule has no such field; expected one of also_cites, force, when, period"),
    ({TOPIC: {"outcome": "10个工作日"}}, "rule 'deadline/topic-meeting': outcome: cannot be varied"),
    ({TOPIC: {"clause": "s1"}}, "rule 'deadline/topic-meeting': clause: cannot be varied"),
    ({TOPIC: {"force": "maybe"}}, "force: Input should be 'mandatory', 'default' or 'advisory' (got 'maybe'); expected one of mandatory, default, advisory"),
    ({TOPIC: {"force": "default"}}, "must name its exception"),
    ({TOPIC: {}}, "rule 'deadline/topic-meeting': no field to change"),
    ({TOPIC: 10}, "rule 'deadline/topic-meeting': got 10; expected {field: new value}"),
    ({TOPIC: {"when": {"field": "nosuch", "eq": 1}}}, "rule 'deadline/topic-meeting': the varied pack fails the pack checks: matter has no field 'nosuch'"),
    ({"deadline/topic-meeting-urgent-next-working-day": {"period": {"working_days": 2}}},
     "the rule does not apply under the readings the pack chooses (it needs immediate: next-working-day)"),
]


@pytest.mark.parametrize(("rules", "message"), BAD, ids=[m[:40] for _, m in BAD])
def test_a_bad_change_is_one_error_naming_rule_field_and_what_was_expected(rules: dict[str, Any], message: str) -> None:
    with pytest.raises(VariationError) as info:
        vary(SHAOXING, rules=rules)
    assert str(info.value).startswith("vary shaoxing-2008-185: ")
    assert message in str(info.value)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"readings": {"imediate": "same-day"}}, "reading 'imediate': the pack has no such interpretation; expected one of immediate"),
    ({"readings": {"immediate": "tomorrow"}}, "reading 'immediate': 'tomorrow' is not one of its options; expected one of same-day, next-working-day"),
    ({}, "changes: nothing to vary"),
    ({"readings": {"immediate": "same-day"}, "label": "What If"}, "label: 'What If' cannot name a variant"),
])
def test_a_bad_reading_or_label_is_one_error(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(VariationError, match="^vary shaoxing-2008-185: ") as info:
        vary(SHAOXING, **kwargs)
    assert message in str(info.value)


def test_the_unknown_rule_error_suggests_the_close_one() -> None:
    with pytest.raises(VariationError, match=r"did you mean 'deadline/topic-meeting'\?"):
        vary(SHAOXING, rules={"deadline/topic-meting": {"period": {"working_days": 10}}})


def test_a_rule_inactive_under_the_pack_readings_can_be_varied_with_the_reading() -> None:
    varied = vary(SHAOXING, rules={"deadline/topic-meeting-urgent-next-working-day": {"period": {"working_days": 2}}},
                  readings={"immediate": "next-working-day"})
    urgent = topic_meeting(urgency="特急")
    assert evaluate(urgent, AS_OF, varied).deadline == date(2026, 3, 4)  # 2 working days after 03-02


def test_a_variant_can_vary_another_rule_but_not_the_same_one_again() -> None:
    with pytest.raises(VariationError, match="'deadline/topic-meeting': is already varied in this variant; expected every change"):
        vary(ten_days(), rules={TOPIC: {"period": {"working_days": 8}}}, label="eight")
    again = vary(ten_days(), rules={"deadline/topic-meeting-explicit": {"force": "advisory"}}, label="advisory")
    assert again.id == "shaoxing-2008-185.what-if.advisory"
    assert evaluate(topic_meeting(), AS_OF, again).deadline == date(2026, 3, 16)  # the first change stays


def _working_day_rules() -> list[tuple[str, str, int]]:
    """Every active deadline rule of a bundled pack that counts working days."""
    out = []
    for pack_id in bundled_ids():
        pack = bundled_pack(pack_id)
        chosen = {i.id: i.chosen for i in pack.interpretations}
        for r in pack.rules:
            if isinstance(r, DeadlineRule) and r.period.working_days and all(chosen[k] == v for k, v in r.only_under.items()):
                out.append((pack_id, r.id, r.period.working_days))
    return out


WORKING_DAY_RULES = _working_day_rules()


def test_the_bundled_packs_have_working_day_rules_to_vary() -> None:
    assert ("shaoxing-2008-185", TOPIC, 15) in WORKING_DAY_RULES
    assert ("jinan-2016-30", "deadline/executive-meeting", 10) in WORKING_DAY_RULES


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(WORKING_DAY_RULES), st.integers(1, 366))
def test_any_valid_period_gives_a_valid_variant_that_differs_only_in_that_rule(picked: tuple[str, str, int], days: int) -> None:
    pack_id, rule_id, _ = picked
    pack = bundled_pack(pack_id)
    varied = vary(pack, rules={rule_id: {"period": {"working_days": days}}})
    assert rule(varied, rule_id).period.working_days == days
    unchanged = [r for r in varied.rules if r.id not in (rule_id, f"{rule_id}/as-written")]
    assert unchanged == [r for r in pack.rules if r.id != rule_id]
    assert rule(varied, f"{rule_id}/as-written").model_dump(exclude={"id", "interpretations", "only_under"}) == \
        rule(pack, rule_id).model_dump(exclude={"id", "interpretations", "only_under"})
