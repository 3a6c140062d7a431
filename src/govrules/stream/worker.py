"""The durable-rules worker: a separate process that holds the ruleset and matches facts.

durable-rules is a C engine that can crash its process (an empty list posted, two rules that join
facts: shared/design/architecture.md). So it never runs in the caller's process: the Supervisor
starts this file as a script (``python worker.py FD``), talks to it over a
``multiprocessing.connection.Connection`` on the inherited descriptor FD, and restarts it if it
dies. The script imports only the standard library and durable-rules, so it starts in about a
tenth of a second and nothing of govrules can be half-imported in it.

Protocol (pickled tuples; one reply per request):

* ``("load", name, definition_json)`` -> ``("ready", pid)`` | ``("unavailable", reason)`` |
  ``("error", message)``. The ruleset gets ``name``, which is unique per worker: durable-rules
  keeps rulesets in a registry that cannot redefine a name.
* ``("post", seq, facts)`` -> ``("fired", seq, [(fact_index, rule_name), ...], errors)``. Facts are
  posted one at a time, each with its explicit ``id``, never as a list. ``errors`` lists
  ``(fact_index, message)`` for every exception, including those raised inside an action, which
  durable-rules itself would swallow.
* ``("die_after", n)`` -> ``("ok",)``: a test hook; the worker kills itself (SIGKILL) after posting
  ``n`` more facts, before it replies, as a crash inside the engine would.
* ``("stop",)`` -> ``("stopped",)``, then the process exits.

The host runs no timer threads: time in govrules advances only through dated events, so a
replayed stream fires the same actions.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

Fired = list[tuple[int, str]]
Errors = list[tuple[int, str]]


class Matcher:
    """One durable-rules ruleset in this process, fed one fact at a time."""

    def __init__(self, name: str, definition_json: str) -> None:
        from durable import engine  # the caller reports an ImportError as "unavailable"

        class _Host(engine.Host):  # type: ignore[misc]  # durable has no types
            def _run(self) -> None:
                """No dispatch timers: actions run inside the post that triggers them, and
                nothing happens by wall-clock time."""

        self._not_handled: type[BaseException] = engine.MessageNotHandledException
        self._name = name
        self._fired: list[tuple[str, object]] = []
        self._errors: list[str] = []
        definition: dict[str, dict[str, Any]] = json.loads(definition_json)
        for rule_name, rule in definition.items():
            rule["run"] = self._action(rule_name)
        self._host = _Host()
        self._host.register_rulesets({name: definition})

    def _action(self, rule_name: str) -> Callable[[Any], None]:
        fired, errors = self._fired, self._errors

        def run(c: Any) -> None:  # exactly one parameter: durable-rules treats two as async
            try:
                fired.append((rule_name, c.m["id"]))
            except BaseException as exc:  # durable-rules would swallow it; report it instead
                errors.append(f"action {rule_name}: {type(exc).__name__}: {exc}")

        return run

    def post(self, facts: list[dict[str, Any]], on_posted: Callable[[], None] | None = None) -> tuple[Fired, Errors]:
        """Post each fact on its own; which rules fired for which fact, and what went wrong."""
        fired: Fired = []
        errors: Errors = []
        index_of = {fact["id"]: i for i, fact in enumerate(facts)}
        for i, fact in enumerate(facts):
            self._fired.clear()
            self._errors.clear()
            try:
                self._host.post(self._name, fact)
            except self._not_handled:
                pass  # no rule matched: nothing to do
            except Exception as exc:
                errors.append((i, f"{type(exc).__name__}: {exc}"))
            for rule_name, fact_id in self._fired:
                at = index_of.get(fact_id)
                if at is None:
                    errors.append((i, f"rule {rule_name} fired for an unknown fact id {fact_id!r}"))
                else:
                    fired.append((at, rule_name))
            errors.extend((i, message) for message in self._errors)
            if on_posted is not None:
                on_posted()
        return fired, errors


def serve(conn: Connection) -> None:
    matcher: Matcher | None = None
    die_after: list[int] = []

    def count_down() -> None:
        if die_after:
            die_after[0] -= 1
            if die_after[0] <= 0:
                os.kill(os.getpid(), signal.SIGKILL)

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the supervisor has gone: so do we
        op = msg[0]
        if op == "load":
            try:
                matcher = Matcher(msg[1], msg[2])
            except ImportError as exc:
                conn.send(("unavailable", f"{type(exc).__name__}: {exc}"))
                return
            except Exception as exc:
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
                return
            conn.send(("ready", os.getpid()))
        elif op == "post":
            if matcher is None:
                conn.send(("fired", msg[1], [], [(0, "no ruleset loaded")]))
                continue
            fired, errors = matcher.post(msg[2], count_down)
            conn.send(("fired", msg[1], fired, errors))
        elif op == "die_after":
            die_after[:] = [int(msg[1])]
            conn.send(("ok",))
        elif op == "stop":
            conn.send(("stopped",))
            return
        else:
            conn.send(("error", f"unknown request {op!r}"))


def main(argv: list[str]) -> int:
    # this file's folder is sys.path[0] when run as a script; its sibling modules are not libraries
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    conn = Connection(int(argv[1]))
    try:
        serve(conn)
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
