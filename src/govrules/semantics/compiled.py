"""A pack made ready to run: interpretations chosen, rules filtered and conditions compiled once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from govrules.errors import GovrulesError, NotInForce
from govrules.packs.conditions import Predicate, compile_predicate
from govrules.packs.schema import (
    CheckRule, Clause, DeadlineRule, DeemedRule, ExtensionRule, LadderRule, LimitRule,
    ObligationRule, Pack, QuotaRule, Rule, Validity,
)
from govrules.semantics.results import InterpretationUsed
from govrules.semantics.phrases import joined_citation, not_in_force_reason


@dataclass(frozen=True)
class Active:
    """One rule in force for this run, with its compiled condition(s)."""

    rule: Rule
    full_id: str
    clause: Clause
    applies: Predicate
    breach: Predicate | None
    unless: Predicate | None
    allowed: Predicate | None  # extension rules: which matters may be extended at all
    interpretations: tuple[InterpretationUsed, ...]


@dataclass(frozen=True)
class CompiledPack:
    pack: Pack
    choices: Mapping[str, str]
    deadlines: tuple[Active, ...]
    obligations: tuple[Active, ...]
    extensions: tuple[Active, ...]
    checks: Mapping[str, tuple[Active, ...]]  # applies_to -> limit/requirement/prohibition/deemed
    ladders: tuple[Active, ...]
    quotas: tuple[Active, ...]
    clauses: Mapping[str, Clause] = field(repr=False)

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def owed_reports(self) -> tuple[Active, ...]:
        """The recurring reports the responsible unit owes (``reports_required``), in pack order:
        those that can be missed and can stand in for a matter's deadline. The others are someone
        else's schedule (e.g. the 督查室's), a date to know."""
        return tuple(a for a in self.obligations if isinstance(a.rule, ObligationRule) and a.rule.reports_required)

    def in_force_on(self, day: date) -> tuple[bool, str]:
        """Whether the document was in force on ``day``, and why not."""
        v = self.pack.validity
        bounds = in_force_bounds(v)
        if bounds is None:
            return False, not_in_force_reason(v, day, "undated")
        start, until = bounds
        if day < start:
            return False, not_in_force_reason(v, day, "before")
        if until is not None and day >= until:
            # v.ended None: the empty span of in_force_bounds
            return False, not_in_force_reason(v, day, "ended" if v.ended is not None else "ended_undated")
        return True, ""

    def actives(self) -> tuple[Active, ...]:
        """Every rule compiled under the pack's choices, with the clause its findings cite."""
        return (*self.deadlines, *self.obligations, *self.extensions, *(a for g in self.checks.values() for a in g),
                *self.ladders, *self.quotas)

    def check_in_force(self, day: date, allow: bool, what: str) -> bool:
        ok, why = self.in_force_on(day)
        if not ok and not allow:
            doc = self.pack.doc_number or self.pack.title
            raise NotInForce(
                f"{what}: pack {self.pack.id} ({doc}) is not in force on {day}: {why}. "
                "For historical or comparative analysis opt in with allow_not_in_force=True "
                "(CLI: --allow-not-in-force); findings are then marked in_force: false"
            )
        return ok


def in_force_bounds(v: Validity) -> tuple[date, date | None] | None:
    """The days the document is in force, ``start <= day < until`` (``until`` None: no end yet);
    None when the source gives no start date, so no day is known to be in force.

    A document 已失效/废止 with no end date gives the empty span ``until == start``: it has ended,
    but not known when, so no day can be confirmed in force. Both executors read this one answer:
    ``CompiledPack.in_force_on`` for a date, ``batch.run.in_force`` for a column of dates.
    """
    if v.in_force_from is None:
        return None
    if v.ended is None and v.status in ("已失效", "废止"):
        return v.in_force_from, v.in_force_from
    return v.in_force_from, v.ended


def _choices(pack: Pack, overrides: Mapping[str, str]) -> dict[str, str]:
    known = {i.id: i for i in pack.interpretations}
    for key, choice in overrides.items():
        if key not in known:
            raise GovrulesError(
                f"pack {pack.id} has no interpretation {key!r}; it has: {', '.join(known) or 'none'}"
            )
        if choice not in known[key].options:
            raise GovrulesError(
                f"interpretation {key!r} of pack {pack.id} has no option {choice!r}; options: {', '.join(known[key].options)}"
            )
    return {i.id: overrides.get(i.id, i.chosen) for i in pack.interpretations}


# Packs hold lists, so they are not hashable; cache by identity and keep the pack alive with it.
_CACHE: dict[tuple[int, tuple[tuple[str, str], ...]], CompiledPack] = {}


def compile_pack(pack: Pack, interpretations: Mapping[str, str] | None = None) -> CompiledPack:
    """Compile once per (pack, interpretation choices); later calls are a dict lookup."""
    key = (id(pack), tuple(sorted((interpretations or {}).items())))
    hit = _CACHE.get(key)
    if hit is not None and hit.pack is pack:
        return hit
    if len(_CACHE) > 256:
        _CACHE.clear()
    compiled = _CACHE[key] = _compile(pack, dict(key[1]))
    return compiled


def _cited(clauses: Mapping[str, Clause], rule: Rule) -> Clause:
    """The clause a rule's findings cite: its own, or with ``also_cites`` all of them as one
    citation (the document named once) and their exact texts, one a line."""
    also = getattr(rule, "also_cites", ())
    if not also:
        return clauses[rule.clause]
    cited = [clauses[c] for c in (rule.clause, *also)]
    return Clause(id=rule.clause, citation=joined_citation([c.citation for c in cited]),
                  text="\n".join(c.text for c in cited))


def _compile(pack: Pack, overrides: dict[str, str]) -> CompiledPack:
    choices = _choices(pack, overrides)
    clauses = {c.id: c for c in pack.clauses}
    readings = {i.id: i.options for i in pack.interpretations}
    buckets: dict[str, list[Active]] = {"deadline": [], "obligation": [], "extension": [], "ladder": [], "quota": []}
    checks: dict[str, list[Active]] = {"matter": [], "meeting": [], "document": []}
    for rule in pack.rules:
        if any(choices[k] != v for k, v in rule.only_under.items()):
            continue
        used = tuple(
            InterpretationUsed(id=i, choice=choices[i], reading=readings[i][choices[i]])
            for i in rule.interpretations
        )
        when = None if isinstance(rule, LadderRule) else rule.when
        active = Active(
            rule=rule,
            full_id=f"{pack.id}/{rule.id}",
            clause=_cited(clauses, rule),
            applies=compile_predicate(when),
            breach=compile_predicate(rule.breach_when) if isinstance(rule, CheckRule) else None,
            unless=compile_predicate(rule.unless) if isinstance(rule, DeemedRule) and rule.unless else None,
            allowed=compile_predicate(rule.allowed_when) if isinstance(rule, ExtensionRule) and rule.allowed_when else None,
            interpretations=used,
        )
        if isinstance(rule, (LimitRule, CheckRule, DeemedRule)):
            checks[rule.applies_to].append(active)
        elif isinstance(rule, (DeadlineRule, ObligationRule, ExtensionRule, LadderRule, QuotaRule)):
            buckets[rule.kind].append(active)
    return CompiledPack(
        pack=pack,
        choices=choices,
        deadlines=tuple(buckets["deadline"]),
        obligations=tuple(buckets["obligation"]),
        extensions=tuple(buckets["extension"]),
        checks={k: tuple(v) for k, v in checks.items()},
        ladders=tuple(buckets["ladder"]),
        quotas=tuple(buckets["quota"]),
        clauses=clauses,
    )
