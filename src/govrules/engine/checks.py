"""Limits, requirements, prohibitions and deemed outcomes: the rules any kind of case can break."""

from __future__ import annotations

from datetime import date

from govrules.calendar import WorkCalendar
from govrules.chars import count_chars
from govrules.semantics.compiled import Active, CompiledPack
from govrules.semantics.phrases import breach_reasons
from govrules.semantics.trace import CheckTrace, DeemedTrace, LimitTrace, Trace
from govrules.semantics.wording import render
from govrules.semantics.selection import applicable
from govrules.semantics.findings import Case, breach_kind, make_finding, unknown_finding
from govrules.semantics.periods import period_end
from govrules.semantics.results import Finding, FindingKind
from govrules.errors import HolidayDataMissing
from govrules.models import Document
from govrules.packs.schema import CheckRule, DeemedRule, LimitRule


def apply_checks(cp: CompiledPack, case: Case, as_of: date, cal: WorkCalendar, out: list[Finding], in_force: bool,
                 explain: bool = True) -> None:
    """Limits, requirements, prohibitions and deemed outcomes for any kind of case; with
    ``explain`` False the findings' messages are left empty."""

    def found(active: Active, kind: FindingKind, due: date | None, trace: Trace) -> None:
        msg = render(trace, active) if explain else ""
        out.append(make_finding(active, kind, due, msg, in_force, trace=trace))

    for active in applicable(cp.checks[case.type], case):
        rule = active.rule
        if isinstance(rule, LimitRule):
            value, unit = _measure(cp, case, rule)
            if value is not None and value > rule.max:
                found(active, breach_kind(active), None, LimitTrace(unit, value, rule.max))
        elif isinstance(rule, DeemedRule):
            start = getattr(case, rule.start)
            if start is None:
                continue
            try:
                due = period_end(cal, start, rule.period)
            except HolidayDataMissing as exc:  # this rule's answer alone is unknown
                out.append(unknown_finding(active, exc, "视为结果的期限", in_force, explain))
                continue
            answer = getattr(case, rule.answered_by) if rule.answered_by else None
            answered = answer is not None and answer <= due if due is not None else False
            if due is not None and as_of > due and not answered and not (active.unless and active.unless(case)):
                found(active, "deemed", due, DeemedTrace(rule.period, start, due, answer, rule.outcome))
        elif active.breach is not None and active.breach(case):
            assert isinstance(rule, CheckRule)
            found(active, breach_kind(active), None, CheckTrace(tuple(breach_reasons(rule.breach_when, case))))


def _measure(cp: CompiledPack, case: Case, rule: LimitRule) -> tuple[int | None, str]:
    if rule.measure == "attendees":
        return getattr(case, "attendees", None), "参会人数"
    if isinstance(case, Document):
        mode = cp.pack.char_count_mode
        label = "字数(按文字处理软件计数)" if mode == "word_processor" else "字数(非空白字符)"
        if case.text is not None:
            return count_chars(case.text, mode), label
        return case.char_count, "字数(来文所报)"
    return None, ""
