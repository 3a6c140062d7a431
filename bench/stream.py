"""The supervision stream's throughput: events per second through the Supervisor against raw
durable-rules posts, measured in the same run (``python -m bench.stream [--quick]``).

The workload is a year of supervision under 济政办发〔2016〕30号: matters assigned through the year
(every source, some urgent, complex or with an explicit deadline), progress reports, extensions,
completions, a clock event every day and accountability events of every kind.

* **raw durable-rules**: exactly the facts the stream posts for those events (recorded from a
  Supervisor run), each posted with ``durable.engine.Host.post`` in this process into a plain
  ``durable.engine.Host`` holding the same JSON ruleset, whose actions only count: no wrapper
  of ours, nothing checked, evaluated, isolated or journaled. An event that makes no fact costs
  it nothing.
* **Supervisor.post_all**: the events as JSON-like dicts, validated, evaluated with the reference
  evaluator, journaled, matched in the worker process (the parent prepares the next batch while
  the worker matches the last), actions built and de-duplicated; no cross-check (the default).
* **Supervisor.post**: the same, one event (and one round trip to the worker) at a time.
* **reference evaluations alone**: ``evaluate`` on exactly the (matter, date) pairs the Supervisor
  evaluated, as it does (``explain=False``: the stream words its own messages): the part of its
  work that is the semantics, not the supervision.
* **validation alone**: ``parse_event`` on every event, the check every input gets.
* **one-core ceiling**: validation and the reference evaluations together, with nothing else:
  the most any Supervisor could do per second if it validates its input and uses the reference
  semantics in one process, before any bookkeeping, journal or action is paid for.

Each round runs every measure once on a fresh Supervisor (its start-up is not timed); the figure
is the median over rounds. The aim: the Supervisor keeps at least half of raw throughput.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from govrules import bundled_pack, compile_pack, evaluate
from govrules.models import Matter

PACK_ID = "jinan-2016-30"
AIM = 0.5
SOURCES = ("上级批示", "上级督查", "全体会议", "常务会议", "专题会议", "现场办公会议", "政府工作报告", "重要文件",
           "重点项目", "市领导批示", "人大代表建议", "政协提案", "来文", "交办")
UNITS = tuple(f"单位{i}" for i in range(20))
KINDS = ("逾期未报结", "通报批评", "整改不力", "约谈", "约谈无效果", "弄虚作假", "严重后果")


def year_of_supervision(n_matters: int, days: int, seed: int = 2026, start: date = date(2025, 1, 1)) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    per_day: dict[date, list[dict[str, Any]]] = {}
    for i in range(n_matters):
        d = start + timedelta(days=rng.randrange(days - 60))
        matter: dict[str, Any] = {"type": "matter", "id": f"M{i}", "source": rng.choice(SOURCES),
                                  "assigned_on": d.isoformat(), "lead_unit": rng.choice(UNITS),
                                  "urgency": rng.choice(["一般"] * 8 + ["紧急", "特急"]), "complex": rng.random() < 0.2}
        if rng.random() < 0.3:
            matter["explicit_deadline"] = (d + timedelta(days=rng.randrange(1, 60))).isoformat()
        per_day.setdefault(d, []).append({"type": "matter_assigned", "matter": matter})
        for _ in range(rng.randrange(3)):
            r = d + timedelta(days=rng.randrange(1, 40))
            per_day.setdefault(r, []).append({"type": "report", "matter_id": f"M{i}"})
        if rng.random() < 0.1:
            r = d + timedelta(days=rng.randrange(1, 10))
            per_day.setdefault(r, []).append({"type": "extension", "matter_id": f"M{i}",
                                              "new_deadline": (r + timedelta(days=30)).isoformat(), "approved": True})
        if rng.random() < 0.8:
            r = d + timedelta(days=rng.randrange(11, 50))
            per_day.setdefault(r, []).append({"type": "completed", "matter_id": f"M{i}"})
    for k in range(days // 5):
        d = start + timedelta(days=rng.randrange(days))
        per_day.setdefault(d, []).append({"type": "accountability_event", "event": {
            "type": "event", "id": f"ev{k}", "unit": rng.choice(UNITS), "on": d.isoformat(), "kind": rng.choice(KINDS)}})
    order = {"matter_assigned": 0, "report": 1, "extension": 2, "completed": 3, "accountability_event": 4}
    out: list[dict[str, Any]] = []
    for i in range(days):
        d = start + timedelta(days=i)
        out.append({"type": "clock", "id": f"E{len(out)}", "on": d.isoformat()})
        for e in sorted(per_day.get(d, []), key=lambda e: order[e["type"]]):
            out.append({**e, "id": f"E{len(out)}", "on": d.isoformat()})
    return out


@dataclass(frozen=True)
class StreamResult:
    events: int
    facts: int
    actions: int
    evaluations: int
    rounds: int
    raw_eps: float
    post_all_eps: float
    post_eps: float
    reference_eps: float
    validation_eps: float

    @property
    def ratio(self) -> float:
        """Supervisor.post_all throughput as a fraction of raw durable-rules posts."""
        return self.post_all_eps / self.raw_eps

    @property
    def ceiling_eps(self) -> float:
        """Validation plus the reference evaluations, one after the other: nothing else paid."""
        return 1 / (1 / self.validation_eps + 1 / self.reference_eps)

    @property
    def passed(self) -> bool:
        return self.ratio >= AIM

    def as_dict(self) -> dict[str, Any]:
        return {"pack": PACK_ID, "events": self.events, "facts": self.facts, "actions": self.actions,
                "evaluations": self.evaluations, "rounds": self.rounds, "raw_durable_rules_eps": self.raw_eps,
                "supervisor_post_all_eps": self.post_all_eps, "supervisor_post_eps": self.post_eps,
                "reference_evaluations_alone_eps": self.reference_eps, "validation_alone_eps": self.validation_eps,
                "one_core_ceiling_eps": self.ceiling_eps, "ratio_post_all_to_raw": self.ratio,
                "aim": AIM, "passed": self.passed}

    def target(self) -> tuple[str, str, str, bool]:
        """(name, wanted, measured, passed), the shape of bench.__main__.Target."""
        return ("stream: Supervisor vs raw durable-rules", f">= {AIM}x", f"{self.ratio:.2f}x", self.passed)


def _recording_run(events: list[dict[str, Any]]) -> tuple[list[list[dict[str, Any]]], list[tuple[Matter, date]], int, str]:
    """One Supervisor run that records each event's facts and every evaluation it makes."""
    from govrules.stream import Supervisor
    from govrules.stream import prepare as prepare_module

    facts: list[list[dict[str, Any]]] = []
    evaluated: list[tuple[Matter, date]] = []
    real_prepare = prepare_module.Preparer.prepare
    real_evaluate = getattr(prepare_module, "evaluate")

    def recording_prepare(self: Any, position: int, event: Any) -> Any:
        prepared = real_prepare(self, position, event)
        facts.append([dict(f) for f in prepared.facts])
        return prepared

    def recording_evaluate(matter: Any, as_of: date, *args: Any, **kwargs: Any) -> Any:
        evaluated.append((matter, as_of))
        return real_evaluate(matter, as_of, *args, **kwargs)

    setattr(prepare_module, "evaluate", recording_evaluate)  # noqa: B010  # count its calls
    setattr(prepare_module.Preparer, "prepare", recording_prepare)  # noqa: B010  # and record the facts
    try:
        with Supervisor(PACK_ID) as sup:
            outcomes = sup.post_all(events)
            ruleset = sup.ruleset.json()
    finally:
        setattr(prepare_module, "evaluate", real_evaluate)  # noqa: B010
        setattr(prepare_module.Preparer, "prepare", real_prepare)  # noqa: B010
    bad = [o.error for o in outcomes if o.error is not None]
    if bad:
        raise RuntimeError(f"the bench stream has refused events: {bad[:3]}")
    return facts, evaluated, sum(len(o.actions) for o in outcomes), ruleset


def raw_durable_rules(ruleset_json: str, name: str, facts: Sequence[dict[str, Any]]) -> tuple[float, int]:
    """Seconds to post ``facts`` one by one with durable-rules' own ``Host.post`` into a plain
    ``Host`` holding the ruleset, and how many rules fired: the engine alone, no wrapper of ours."""
    from durable import engine

    fired: list[None] = []
    definition = json.loads(ruleset_json)
    for rule in definition.values():
        rule["run"] = lambda c: fired.append(None)  # one parameter: a synchronous action
    host = engine.Host()
    host.register_rulesets({name: definition})
    post, not_handled = host.post, engine.MessageNotHandledException
    start = time.perf_counter()
    for fact in facts:
        try:
            post(name, fact)
        except not_handled:
            pass
    return time.perf_counter() - start, len(fired)


def measure_stream(quick: bool = False) -> StreamResult:
    from govrules.stream import Supervisor
    from govrules.stream.events import parse_event

    n_matters, days, rounds = (120, 200, 3) if quick else (300, 330, 5)
    events = year_of_supervision(n_matters, days)
    facts, evaluated, actions, ruleset = _recording_run(events)
    posts = [fact for per_event in facts for fact in per_event]
    cp = compile_pack(bundled_pack(PACK_ID))
    raw: list[float] = []
    post_all: list[float] = []
    post: list[float] = []
    reference: list[float] = []
    validation: list[float] = []
    for r in range(rounds):
        seconds, fired = raw_durable_rules(ruleset, f"bench-raw-{r}", [dict(f) for f in posts])
        raw.append(seconds)
        if fired != actions:
            raise RuntimeError(f"raw durable-rules fired {fired} rules, the Supervisor made {actions} actions")

        with Supervisor(PACK_ID) as sup:
            start = time.perf_counter()
            outcomes = sup.post_all(events)
            post_all.append(time.perf_counter() - start)
        if sum(len(o.actions) for o in outcomes) != actions:
            raise RuntimeError("post_all made other actions than the recording run")

        with Supervisor(PACK_ID) as sup:
            start = time.perf_counter()
            made = sum(len(sup.post(e)) for e in events)
            post.append(time.perf_counter() - start)
        if made != actions:
            raise RuntimeError("post made other actions than post_all")

        start = time.perf_counter()
        for matter, as_of in evaluated:
            evaluate(matter, as_of, cp, explain=False)
        reference.append(time.perf_counter() - start)

        start = time.perf_counter()
        for e in events:
            parse_event(e)
        validation.append(time.perf_counter() - start)
    n = len(events)
    return StreamResult(
        events=n, facts=sum(len(f) for f in facts), actions=actions, evaluations=len(evaluated), rounds=rounds,
        raw_eps=n / statistics.median(raw), post_all_eps=n / statistics.median(post_all),
        post_eps=n / statistics.median(post), reference_eps=n / statistics.median(reference),
        validation_eps=n / statistics.median(validation),
    )


def report(r: StreamResult) -> None:
    print(f"\n== Stream: events per second through the Supervisor vs raw durable-rules ({PACK_ID})")
    print(f"   {r.events:,} events (a clock event a day, matters, reports, extensions, completions,"
          f" accountability events) -> {r.facts:,} facts -> {r.actions:,} actions;"
          f" median of {r.rounds} rounds")
    print(f"   raw durable-rules Host.post, in-process, the same facts {r.raw_eps:>10,.0f} events/s")
    print(f"   Supervisor.post_all (validated, evaluated, isolated)     {r.post_all_eps:>10,.0f} events/s"
          f"   = {r.ratio:.2f} x raw")
    print(f"   Supervisor.post, one event at a time                    {r.post_eps:>10,.0f} events/s"
          f"   = {r.post_eps / r.raw_eps:.2f} x raw")
    print(f"   the reference evaluations alone ({r.evaluations:,} evaluate calls)  {r.reference_eps:>10,.0f} events/s"
          f"   = {r.reference_eps / r.raw_eps:.2f} x raw")
    print(f"   validation alone (parse_event on every event)            {r.validation_eps:>10,.0f} events/s"
          f"   = {r.validation_eps / r.raw_eps:.2f} x raw")
    print(f"   one-core ceiling: validation + reference evaluations     {r.ceiling_eps:>10,.0f} events/s"
          f"   = {r.ceiling_eps / r.raw_eps:.2f} x raw (nothing else paid: no journal, facts, actions)")
    print(f"   aim: the Supervisor keeps >= {AIM} x raw throughput: {'met' if r.passed else 'NOT met'}")


def run(quick: bool = False) -> StreamResult:
    """Measure and print; what bench.__main__ calls."""
    result = measure_stream(quick)
    report(result)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stream", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a shorter stream and fewer rounds")
    args = parser.parse_args(argv)
    run(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
