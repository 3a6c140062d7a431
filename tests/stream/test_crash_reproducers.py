"""The two durable-rules crashes of shared/design/architecture.md, each run in a subprocess: the
engine takes its own process down (SIGSEGV) and the caller survives. The stream never meets
them: it posts one fact at a time (never a list, never an empty one) and its rules have exactly
one pattern (no joins)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from govrules import bundled_ids, bundled_pack, compile_pack
from govrules.stream import EventRejected, Supervisor
from govrules.stream.rules_json import compile_ruleset

EMPTY_LIST = textwrap.dedent("""
    from durable.lang import get_host
    get_host().set_rulesets({"empty_list": {"r0": {"all": [{"m": {"t": "a"}}], "run": lambda c: None}}})
    print("posting an empty list", flush=True)
    get_host().post_batch("empty_list", [])
    print("survived", flush=True)
""")

TWO_JOINS = textwrap.dedent("""
    from durable.lang import get_host
    run = lambda c: None
    # two rules that join facts (jruizgit/rules#381, here in the JSON form)
    get_host().set_rulesets({"metrics": {
        "detected": {"all": [{"first": {"$and": [{"metric": "met-A"}, {"$gt": {"amount": 10}}]}},
                             {"second": {"$and": [{"metric": "met-B"}, {"$gt": {"amount": {"first": "amount"}}}]}}],
                     "run": run},
        "detected2": {"all": [{"first": {"$and": [{"metric": "met-A"}, {"$gt": {"amount": 50}}]}},
                              {"second": {"$and": [{"metric": "met-B"}, {"$lt": {"amount": {"first": "amount"}}}]}}],
                      "run": run},
    }})
    get_host().post("metrics", {"id": "a1", "metric": "met-A", "amount": 100})
    print("posting the second fact", flush=True)
    get_host().post("metrics", {"id": "b1", "metric": "met-B", "amount": 200})
    print("survived", flush=True)
""")


@pytest.mark.parametrize(("script", "last_words"), [(EMPTY_LIST, "posting an empty list"),
                                                   (TWO_JOINS, "posting the second fact")],
                         ids=["empty-list-posted", "two-join-rules"])
def test_durable_rules_crashes_its_process_and_the_caller_survives(script: str, last_words: str) -> None:
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGSEGV, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout.splitlines()[-1] == last_words and "survived" not in proc.stdout
    # and we are still here


def test_the_stream_stays_clear_of_both() -> None:
    for pack_id in bundled_ids():
        for name, rule in compile_ruleset(compile_pack(bundled_pack(pack_id))).definition.items():
            assert len(rule["all"]) == 1, f"{pack_id} {name} joins facts"
    with Supervisor("jinan-2016-30") as sup:
        with pytest.raises(EventRejected, match="empty batch"):
            sup.post_all([])
