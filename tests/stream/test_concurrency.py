"""Concurrent posts from several threads are safe: each caller gets the actions of its own event,
nothing is lost or doubled, and the journal, replayed alone, gives the same actions."""

from __future__ import annotations

import threading
from typing import Any

from govrules.stream import Action, Supervisor
from stream_helpers import assigned, clock, problem, report

THREADS = 6
PER_THREAD = 25


def events_of(t: int) -> list[dict[str, Any]]:
    """A thread's own matters and unit, all on one day (so that any interleaving is in date order)."""
    out: list[dict[str, Any]] = []
    for i in range(PER_THREAD):
        eid = f"T{t}-{i}"
        if i % 5 == 0:
            out.append(assigned(eid, "2026-03-02", f"M{t}-{i}", "市领导批示", f"单位{t}"))
        elif i % 5 in (1, 2):
            out.append(problem(eid, "2026-03-02", f"单位{t}", "通报批评"))
        else:
            out.append(report(eid, "2026-03-02", f"M{t}-{i - i % 5}"))
    return out


def test_threads_posting_at_once_each_get_their_own_actions_and_lose_nothing() -> None:
    with Supervisor("jinan-2016-30") as sup:
        sup.post(clock("C0", "2026-03-02"))
        results: dict[int, list[Action]] = {t: [] for t in range(THREADS)}
        errors: list[BaseException] = []
        start = threading.Barrier(THREADS)

        def work(t: int) -> None:
            start.wait()
            try:
                for e in events_of(t):
                    for a in sup.post(e):
                        results[t].append(a)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        journal = sup.journal
        assert len(journal) == 1 + THREADS * PER_THREAD
        for t, actions in results.items():
            assert all(a.caused_by.startswith(f"T{t}-") for a in actions)
            assert sorted((a.kind, a.level) for a in actions if a.kind == "问责") == [("问责", 1), ("问责", 2), ("问责", 3)]
            assert sum(a.kind == "催办" for a in actions) == PER_THREAD // 5
        late = sup.post(clock("C1", "2026-03-09"))
        assert len([a for a in late if a.kind == "逾期"]) == 0  # every matter had its report in time
        state = sup.state()
    with Supervisor("jinan-2016-30") as again:
        replayed = [a for o in again.post_all(journal) for a in o.actions]
        assert again.post(clock("C1", "2026-03-09")) == []
        assert again.state() == state
    everything = [a for actions in results.values() for a in actions]
    assert sorted(a.to_json() for a in replayed) == sorted(a.to_json() for a in everything)
