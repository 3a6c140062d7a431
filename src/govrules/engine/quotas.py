"""Quota rules: counts across many cases of one group in a calendar year (evaluate_all only)."""

from __future__ import annotations

import math
from datetime import date

from govrules.semantics.compiled import CompiledPack
from govrules.semantics.wording import force_phrase
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
            if rule.max_per_year is not None:
                limit = rule.max_per_year
                why = f"每年{limit}{unit}的上限"
            else:
                assert rule.reduce_by is not None
                before = len(groups.get((key, year - 1), []))
                if before == 0:
                    continue  # no count for the year before among the cases given: nothing to compare
                limit = math.floor(before * (1 - rule.reduce_by))
                why = f"上限{limit}{unit}(上年{before}{unit},减少{rule.reduce_by:.0%})"
            for k, (day, i) in enumerate(members[limit:], start=limit + 1):
                msg = (f"{key}在{year}年的第{k}{unit}(截至{as_of}共{len(members)}{unit}),超出{why};"
                       f"依{active.clause.citation}:{force_phrase(active)}。")
                in_force = cp.in_force_on(day)[0]
                out.setdefault(i, []).append(make_finding(active, breach_kind(active), None, msg, in_force))
    return out
