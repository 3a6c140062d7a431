"""The durable-rules ruleset generated from a pack matches what the stream's facts say.

A matter's transition fires the 催办 or 逾期 rule of exactly the rule its fact cites (the reference
evaluator's choice; the ruleset does not choose again). A ladder fires its highest step whose
trigger is reached after the event, if it is above the highest reached before it, as the
reference's "highest step any of whose triggers is reached" -- random ladders and tallies
posted to a real worker.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules import bundled_ids, bundled_pack, compile_pack
from govrules.packs.schema import DeadlineRule, ObligationRule, Pack
from govrules.stream.rules_json import ACTION_STATUS, EVENT_KINDS, MatterRule, compile_ruleset, tally_fact
from govrules.stream.worker_process import WorkerProcess


def post(ruleset_json: str, label: str, facts: list[dict[str, object]]) -> list[tuple[int, str]]:
    worker = WorkerProcess(ruleset_json, label)
    try:
        worker.send(("post", 1, facts))
        reply = worker.recv(60)
    finally:
        worker.stop()
    assert reply[0] == "fired" and not reply[3], reply
    return list(reply[2])


# -- matters --------------------------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_every_deadline_and_owed_report_rule_can_be_cited_and_nothing_else(pack_id: str) -> None:
    cp = compile_pack(bundled_pack(pack_id))
    cited = {(r.kind, r.active.full_id) for r in compile_ruleset(cp).rules.values() if isinstance(r, MatterRule)}
    want = set()
    for a in cp.deadlines:
        assert isinstance(a.rule, DeadlineRule)
        want |= {("催办", a.full_id)} | ({("逾期", a.full_id)} if a.rule.force != "advisory" else set())
    for a in cp.obligations:
        assert isinstance(a.rule, ObligationRule)
        want |= {("催办", a.full_id), ("逾期", a.full_id)} if a.rule.reports_required else set()
    assert cited == want


def test_a_transition_fires_the_rule_its_fact_cites_and_only_a_transition_does() -> None:
    cp = compile_pack(bundled_pack("jinan-2016-30"))
    ruleset = compile_ruleset(cp)
    rng = random.Random(13)
    ids = sorted({r.active.full_id for r in ruleset.rules.values() if isinstance(r, MatterRule)}) + ["no/such-rule"]
    statuses = ["on_track", "due_soon", "overdue", "replied", "done", "done_late", "unknown", "none"]
    facts: list[dict[str, object]] = []
    expected: list[tuple[str, str] | None] = []
    for i in range(300):
        status, prev, cite = rng.choice(statuses), rng.choice(statuses), rng.choice(ids)
        facts.append({"id": str(i), "t": "matter", "matter": "M", "status": status, "prev": prev, "cite": cite})
        kind = next((k for k, s in ACTION_STATUS.items() if s == status), None)
        rule = next((r for r in ruleset.rules.values() if isinstance(r, MatterRule)
                     and r.kind == kind and r.active.full_id == cite), None)
        expected.append((rule.kind, cite) if rule is not None and prev != status else None)
    got: dict[int, list[tuple[str, str]]] = {}
    for index, name in post(ruleset.json(), "matter-test", facts):
        rule = ruleset.rules[name]
        assert isinstance(rule, MatterRule)
        got.setdefault(index, []).append((rule.kind, rule.active.full_id))
    for i, want in enumerate(expected):
        assert got.get(i, []) == ([want] if want else []), (facts[i], want, got.get(i))
    assert sum(1 for w in expected if w) > 30  # the draw reaches many rules


# -- ladders --------------------------------------------------------------------------------------


Triggers = list[list[tuple[list[str], int]]]  # per step: (kinds, at_least) of each trigger


def ladder_pack(steps: Triggers, prior: dict[tuple[int, int], list[str]] | None = None) -> Pack:
    """``prior`` gives (step level, trigger index) the kinds it requires before (requires_prior)."""
    prior = prior or {}
    return Pack.model_validate({
        "id": "test-ladder", "title": "t", "doc_number": None, "issuer": None, "issued": None,
        "source_file": "t.txt",
        "validity": {"status": "有效", "in_force_from": "2000-01-01", "end_known": False, "note": "test"},
        "clauses": [{"id": "c1", "citation": "第一条", "text": "第一条"}],
        "rules": [{
            "id": "ladder/x", "kind": "ladder", "clause": "c1", "force": "mandatory", "outcome": "o",
            "window": "cumulative",
            "steps": [{"level": k + 1, "outcome": f"step {k + 1}", "clause": "c1", "triggers": [
                {"kinds": kinds, "at_least": n, "requires_prior": prior.get((k + 1, j), [])}
                for j, (kinds, n) in enumerate(triggers)]} for k, triggers in enumerate(steps)],
        }],
    })


def reference_level(steps: Triggers, counts: dict[str, int], own: dict[tuple[int, int], int] | None = None) -> int:
    """The highest step reached; a trigger in ``own`` (one that requires a prior event) by its own count."""
    own = own or {}

    def count(level: int, j: int, kinds: list[str]) -> int:
        return own[level, j] if (level, j) in own else sum(counts.get(kind, 0) for kind in kinds)

    reached = [k + 1 for k, triggers in enumerate(steps)
               if any(count(k + 1, j, kinds) >= n for j, (kinds, n) in enumerate(triggers))]
    return max(reached, default=0)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_ladder_steps_fire_the_highest_step_reached_above_the_step_reached_before(seed: int) -> None:
    rng = random.Random(seed)
    steps = [[(rng.choices(EVENT_KINDS, k=rng.randint(1, 3)), rng.randint(1, 4)) for _ in range(rng.randint(1, 3))]
             for _ in range(rng.randint(1, 4))]
    # some triggers require a prior event of a kind they do not count: matched on their own count
    prior = {(k + 1, j): [rng.choice([x for x in EVENT_KINDS if x not in kinds])]
             for k, triggers in enumerate(steps) for j, (kinds, _) in enumerate(triggers) if rng.random() < 0.3}
    pack = ladder_pack(steps, prior)
    cp = compile_pack(pack)
    ruleset = compile_ruleset(cp)
    facts, expected = [], []
    ladder = pack.rules[0]
    for i in range(150):
        # the tally before the event, and after it: each count the same or higher
        was = {k: rng.choice([0, 0, 1, 2, 3]) for k in EVENT_KINDS}
        was_own = {key: rng.choice([0, 0, 1, 2]) for key in prior}
        counts = {k: n + rng.choice([0, 0, 0, 1, 2]) for k, n in was.items()}
        own = {key: n + rng.choice([0, 0, 1, 2]) for key, n in was_own.items()}
        fact = {**tally_fact(counts, own, ladder), **tally_fact(was, was_own, ladder, before=True)}  # type: ignore[arg-type]
        facts.append({"id": str(i), "t": "ladder", "ladder": 0, "unit": "u", **fact})
        level, before = reference_level(steps, counts, own), reference_level(steps, was, was_own)
        expected.append(level if level > before else None)
    got: dict[int, list[int]] = {}
    for index, name in post(ruleset.json(), "ladder-test", facts):
        got.setdefault(index, []).append(ruleset.rules[name].step.level)  # type: ignore[union-attr]
    for i, want in enumerate(expected):
        assert got.get(i, []) == ([want] if want else []), (steps, facts[i], want, got.get(i))


# -- the bundled packs ----------------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_every_bundled_pack_compiles_to_single_pattern_rules_durable_rules_accepts(pack_id: str) -> None:
    ruleset = compile_ruleset(compile_pack(bundled_pack(pack_id)))
    for name, rule in ruleset.definition.items():
        assert list(rule) == ["all", "pri"] and len(rule["all"]) == 1, f"{name}: one pattern, no join"
        assert rule["pri"] >= 1
    worker = WorkerProcess(ruleset.json(), pack_id)  # raises if durable-rules refuses any rule
    worker.stop()
