"""Building findings, shared by every part of the reference evaluator."""

from __future__ import annotations

from datetime import date

from govrules.semantics.compiled import Active
from govrules.semantics.trace import Trace
from govrules.semantics.wording import render, unknown_trace
from govrules.semantics.results import Finding, FindingKind
from govrules.errors import HolidayDataMissing
from govrules.models import Document, Matter, Meeting
from govrules.packs.schema import Force

Case = Matter | Meeting | Document


def make_finding(active: Active, kind: FindingKind, due: date | None, message: str, in_force: bool,
                 outcome: str | None = None, trace: Trace | None = None) -> Finding:
    rule = active.rule
    return Finding(
        rule=active.full_id,
        kind=kind,
        outcome=outcome or rule.outcome,
        force=rule.force,
        citation=active.clause.citation,
        clause_text=active.clause.text,
        due=due,
        message=message,
        interpretations=active.interpretations,
        in_force=in_force,
        trace=trace,
    )


def unknown_finding(active: Active, exc: HolidayDataMissing, what: str, in_force: bool, explain: bool) -> Finding:
    """The rule's own "unknown" result: its answer needs a year the calendar does not know."""
    trace = unknown_trace(exc, what)
    return make_finding(active, "unknown", None, render(trace, active) if explain else "", in_force, trace=trace)


def kind_of_breach(force: Force) -> FindingKind:
    """What breaking a rule of this force is: advice is never a violation. Every executor asks this."""
    return "advice" if force == "advisory" else "violation"


def breach_kind(active: Active) -> FindingKind:
    return kind_of_breach(active.rule.force)


def case_date(case: Case) -> date:
    """The date that decides which rules were in force for the case."""
    if isinstance(case, Matter):
        return case.assigned_on
    if isinstance(case, Meeting):
        return case.held_on
    return case.issued_on
