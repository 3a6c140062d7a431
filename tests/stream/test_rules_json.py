"""The durable-rules JSON compiler agrees with the Python predicate of the same condition.

Random conditions of govrules' algebra (all / any / not over every operator, on required and
optional fields of every kind, missing values included) are compiled to durable-rules JSON and
posted, with random objects, to a real worker; what fires must be exactly what the Python
predicate (the reference evaluator's) says. The same for ladder steps against the reference's
"highest step any of whose triggers is reached".
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from govrules import bundled_ids, bundled_pack, compile_pack
from govrules.packs.conditions import compile_predicate, parse_condition
from govrules.packs.schema import Pack
from govrules.stream.rules_json import (
    EVENT_KINDS, MATTER_FIELDS, ConditionCompiler, FieldKind, RulesetError, _and, compile_ruleset,
    model_field_kinds, tally_fact,
)
from govrules.stream.supervisor import WorkerProcess


class Toy(BaseModel):
    s: Literal["a", "b", "c"]
    so: str | None = None
    n: int | None = None
    b: bool
    bo: bool | None = None
    d: date | None = None
    dr: date
    tags: tuple[str, ...] = ()


FIELDS = model_field_kinds(Toy)
STRS = ["a", "b", "c", ""]
DAYS = [date(2026, 1, 1) + timedelta(days=k) for k in range(5)]


def test_field_kinds_come_from_the_model() -> None:
    assert FIELDS == {
        "s": FieldKind("str", False, False), "so": FieldKind("str", False, True),
        "n": FieldKind("int", False, True), "b": FieldKind("bool", False, False),
        "bo": FieldKind("bool", False, True), "d": FieldKind("date", False, True),
        "dr": FieldKind("date", False, False), "tags": FieldKind("str", True, False),
    }
    assert MATTER_FIELDS["source"] == FieldKind("str", False, False)
    assert MATTER_FIELDS["explicit_deadline"] == FieldKind("date", False, True)
    assert MATTER_FIELDS["reports"] == FieldKind("date", True, False)
    assert "extension" not in MATTER_FIELDS  # a nested object: no condition can be compiled on it


def _operand(field: str, rng: random.Random) -> Any:
    kind = FIELDS[field].scalar
    return {"str": lambda: rng.choice(STRS[:3] if field == "s" else STRS), "int": lambda: rng.randint(-1, 3),
            "bool": lambda: rng.random() < 0.5, "date": lambda: rng.choice(DAYS)}[kind]()


def random_condition(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    roll = rng.random()
    if depth < 3 and roll < 0.35:
        key = rng.choice(["all", "any"])
        return {key: [random_condition(rng, depth + 1) for _ in range(rng.randint(0, 3))]}
    if depth < 3 and roll < 0.45:
        return {"not": random_condition(rng, depth + 1)}
    field = rng.choice(list(FIELDS))
    kind = FIELDS[field]
    if kind.is_list:
        op = rng.choice(["contains", "is_empty", "is_null"])
        return {"field": field, op: rng.choice(STRS) if op == "contains" else rng.random() < 0.5}
    op = rng.choice(["eq", "ne", "in", "lt", "le", "gt", "ge", "is_null", "is_empty"])
    if op in ("is_null", "is_empty"):
        return {"field": field, op: rng.random() < 0.5}
    if op == "in":
        members = [_operand(field, rng) for _ in range(rng.randint(0, 3))]
        if kind.nullable and rng.random() < 0.2:
            members.append(None)
        return {"field": field, "in": members}
    if op in ("eq", "ne") and kind.nullable and rng.random() < 0.15:
        return {"field": field, op: None}
    return {"field": field, op: _operand(field, rng)}


def random_toy(rng: random.Random) -> Toy:
    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.3 else value
    return Toy(
        s=rng.choice(["a", "b", "c"]), so=maybe(rng.choice(STRS)), n=maybe(rng.randint(-1, 3)),
        b=rng.random() < 0.5, bo=maybe(rng.random() < 0.5), d=maybe(rng.choice(DAYS)),
        dr=rng.choice(DAYS), tags=tuple(rng.sample(STRS, rng.randint(0, 3))),
    )


def check_agreement(conditions: list[dict[str, Any]], toys: list[Toy]) -> int:
    """Compile, post every (condition, object) pair, compare; the number of pairs checked."""
    compiler = ConditionCompiler(FIELDS)
    parsed = [parse_condition(c) for c in conditions]
    compiled = [compiler.compile(c) for c in parsed]
    definition = {}
    for i, expr in enumerate(compiled):
        if expr is not False:
            definition[f"r{i}"] = {"all": [{"m": _and([{"t": f"c{i}"}, expr])}]}
    definition["never"] = {"all": [{"m": {"t": "never"}}]}  # a ruleset is never empty
    facts, expected = [], []
    for i, cond in enumerate(parsed):
        predicate = compile_predicate(cond)
        for j, toy in enumerate(toys):
            facts.append({"id": f"{i}.{j}", "t": f"c{i}", **compiler.encode(toy)})
            expected.append(predicate(toy))
    worker = WorkerProcess(json.dumps(definition), "compiler-test")
    try:
        worker.send(("post", 1, facts))
        reply = worker.recv(60)
    finally:
        worker.stop()
    assert reply[0] == "fired" and not reply[3], reply
    fired = {index for index, _ in reply[2]}
    assert all(isinstance(v, (bool, int, str)) for f in facts for v in f.values()), "facts are flat: no list, no null"
    for index, (fact, want) in enumerate(zip(facts, expected)):
        i = int(fact["id"].split(".")[0])
        got = index in fired
        assert got == want, (
            f"condition {conditions[i]} on {toys[int(fact['id'].split('.')[1])]}: python says {want}, "
            f"durable-rules {got}; compiled: {compiled[i]}; fact: {fact}"
        )
    return len(facts)


def test_many_random_conditions_agree_with_the_python_predicate() -> None:
    rng = random.Random(20260511)
    conditions = [random_condition(rng) for _ in range(250)]
    toys = [random_toy(rng) for _ in range(24)]
    assert check_agreement(conditions, toys) == 250 * 24


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_conditions_agree(seed: int) -> None:
    rng = random.Random(seed)
    check_agreement([random_condition(rng) for _ in range(30)], [random_toy(rng) for _ in range(12)])


def test_every_negation_holds_on_a_missing_value_as_in_python() -> None:
    conditions = [{"not": {"field": f, op: v}} for f, op, v in [
        ("n", "lt", 2), ("n", "ge", 0), ("so", "eq", "a"), ("so", "in", ["a", "b"]), ("d", "le", DAYS[2]),
        ("bo", "eq", False), ("so", "is_empty", False), ("n", "is_empty", True),
    ]]
    toys = [Toy(s="a", b=True, dr=DAYS[0]), Toy(s="b", so="a", n=1, b=False, bo=False, d=DAYS[1], dr=DAYS[1], tags=("a",))]
    check_agreement(conditions, toys)


def test_conditions_the_stream_cannot_match_are_refused_clearly() -> None:
    compiler = ConditionCompiler(FIELDS)
    with pytest.raises(RulesetError, match="'nope'.*cannot match"):
        compiler.compile(parse_condition({"field": "nope", "eq": 1}))
    with pytest.raises(RulesetError, match="s lt 3.*str"):
        compiler.compile(parse_condition({"field": "s", "lt": 3}))
    with pytest.raises(RulesetError, match="contains"):
        compiler.compile(parse_condition({"field": "so", "contains": "a"}))


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
def test_ladder_steps_fire_the_highest_step_reached_above_the_level_before(seed: int) -> None:
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
    for i in range(150):
        counts = {k: rng.choice([0, 0, 1, 2, 3, 5]) for k in EVENT_KINDS}
        own = {key: rng.choice([0, 0, 1, 2, 3]) for key in prior}
        prev = rng.randint(0, len(steps))
        fact = tally_fact(counts, own, pack.rules[0])  # type: ignore[arg-type]
        facts.append({"id": str(i), "t": "ladder", "ladder": 0, "unit": "u", "prev": prev, **fact})
        level = reference_level(steps, counts, own)
        expected.append(level if level > prev else None)
    worker = WorkerProcess(ruleset.json(), "ladder-test")
    try:
        worker.send(("post", 1, facts))
        reply = worker.recv(60)
    finally:
        worker.stop()
    assert reply[0] == "fired" and not reply[3], reply
    got: dict[int, list[int]] = {}
    for index, name in reply[2]:
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


def test_no_list_and_no_null_is_ever_in_a_matter_fact() -> None:
    ruleset = compile_ruleset(compile_pack(bundled_pack("jinan-2016-30")))
    from govrules import parse_object
    m = parse_object({"type": "matter", "id": "X", "source": "上级批示", "assigned_on": "2026-01-05",
                      "lead_unit": "u", "co_units": [], "reports": []})
    fact = ruleset.matter_fields.encode(m)
    assert all(isinstance(v, (str, int, bool)) for v in fact.values()), fact
    assert fact["f_source"] == "上级批示" and "f_explicit_deadline" not in fact


def test_salience_is_the_place_of_the_deadline_rule_in_the_pack() -> None:
    cp = compile_pack(bundled_pack("jinan-2016-30"))
    ruleset = compile_ruleset(cp)
    order = {a.full_id: i for i, a in enumerate(cp.deadlines)}
    pri = {}
    for name, meaning in ruleset.rules.items():
        if meaning.active.full_id in order:
            pri[meaning.active.full_id] = ruleset.definition[name]["pri"]
    ranked = sorted(pri, key=pri.__getitem__)
    assert ranked == sorted(pri, key=order.__getitem__)

