"""Every example case of every bundled pack, compared in full with what the engine says."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.engine import Options, accountability, evaluate
from govrules.models import Event, parse_object, parse_objects
from govrules.packs import bundled_ids, bundled_pack, rules_dir
from govrules.packs.examples import ExampleCase, load_examples
from govrules.packs.schema import LadderRule

CASE_FILES = sorted(rules_dir().glob("*.cases.yaml"))


def _all_cases() -> list[tuple[str, ExampleCase | Exception]]:
    """One entry per case; a file that does not load is one failing entry, not a collection error."""
    out: list[tuple[str, ExampleCase | Exception]] = []
    for path in CASE_FILES:
        pack_id = path.name.removesuffix(".cases.yaml")
        try:
            examples = load_examples(path)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            out.append((pack_id, exc))
            continue
        out += [(examples.pack, case) for case in examples.cases]
    return out


CASES = _all_cases()


def test_every_bundled_pack_has_example_cases() -> None:
    assert {p.name.removesuffix(".cases.yaml") for p in CASE_FILES} == set(bundled_ids())


@pytest.mark.parametrize(
    ("pack_id", "case"), CASES, ids=[f"{p}: {c.name if isinstance(c, ExampleCase) else 'unreadable'}" for p, c in CASES]
)
def test_example_case(pack_id: str, case: ExampleCase | Exception) -> None:
    if isinstance(case, Exception):
        raise case
    pack = bundled_pack(pack_id)
    assert case.clause in {c.id for c in pack.clauses}, f"case cites unknown clause {case.clause}"
    options = Options(interpretations=case.interpretations, allow_not_in_force=case.allow_not_in_force)
    if case.input is not None:
        assert case.expect is not None
        result = evaluate(parse_object(case.input), case.as_of, pack, options)
        got = {
            "deadline": result.deadline,
            "status": result.status,
            "findings": [(f.rule.removeprefix(f"{pack_id}/"), f.kind, f.due) for f in result.findings],
        }
        want = {
            "deadline": case.expect.deadline,
            "status": case.expect.status,
            "findings": [(f.rule, f.kind, f.due) for f in case.expect.findings],
        }
        assert got == want, "\n".join(f.message for f in result.findings)
        for finding in result.findings:
            assert finding.citation and finding.clause_text and finding.message
    else:
        assert case.events is not None and case.expect_accountability is not None
        events = parse_objects(case.events, "events", Event)
        results = accountability(events, case.as_of, pack, options)  # type: ignore[arg-type]
        got_units = [(r.unit, r.level, r.outcome, r.counted) for r in results]
        want_units = [(u.unit, u.level, u.outcome, u.counted) for u in case.expect_accountability]
        assert got_units == want_units, "\n".join(r.message for r in results)


def test_every_time_limit_extension_and_ladder_clause_has_a_case() -> None:
    """Each clause a rule encodes is illustrated by at least one example case."""
    for pack_id in bundled_ids():
        pack = bundled_pack(pack_id)
        # a ladder is illustrated through its steps' clauses (its own clause is the umbrella);
        # quotas count across cases, so test_quota_scenarios.py shows them on ledgers
        cited = {c for r in pack.rules if r.kind != "quota" for c in r.cites()}
        cited -= {r.clause for r in pack.rules if isinstance(r, LadderRule)}
        illustrated = {c.clause for p, c in CASES if p == pack_id and isinstance(c, ExampleCase)}
        assert cited - illustrated == set(), f"{pack_id}: clauses with rules but no example case"
