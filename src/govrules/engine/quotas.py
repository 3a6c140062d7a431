"""Quota rules: counts across many cases of one group in a calendar year (evaluate_all only)."""

from __future__ import annotations

import math
from datetime import date

from govrules.semantics.compiled import CompiledPack
from govrules.semantics.trace import QuotaTrace
from govrules.semantics.wording import render
from govrules.semantics.findings import Case, breach_kind, case_date, make_finding
from govrules.semantics.results import Finding
from govrules.packs.schema import QuotaRule


def quota_findings(cp: CompiledPack, cases: list[Case], as_of: date) -> dict[int, list[Finding]]:
    """Per group and calendar year, in date order: the cases beyond the quota get a finding."""
    out: dict[int, list[Finding]] = {}
    for active in cp.quotas:
        rule = active.rule
        assert isinstance(rule, QuotaRule)
        groups: dict[tuple[object, int], list[tuple[date, int]]] = {}
        for i, case in enumerate(cases):
            day = case_date(case)
            if case.type != rule.applies_to or day > as_of or not active.applies(case):
                continue
            key = getattr(case, rule.group_by)
            if key is not None:
                groups.setdefault((key, day.year), []).append((day, i))
        unit = "次" if rule.applies_to == "meeting" else "件"
        for (key, year), members in groups.items():
            members.sort()
            before: int | None = None
            if rule.max_per_year is not None:
                limit = rule.max_per_year
            else:
                assert rule.reduce_by is not None
                before = len(groups.get((key, year - 1), []))
                if before == 0:
                    continue  # no count for the year before among the cases given: nothing to compare
                limit = math.floor(before * (1 - rule.reduce_by))
            for k, (day, i) in enumerate(members[limit:], start=limit + 1):
                trace = QuotaTrace(key, year, k, unit, as_of, len(members), limit, before, rule.reduce_by)
                in_force = cp.in_force_on(day)[0]
                out.setdefault(i, []).append(make_finding(active, breach_kind(active), None, render(trace, active),
                                                          in_force, trace=trace))
    return out
