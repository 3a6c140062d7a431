"""Kill the durable-rules worker (kill -9) and the stream loses no event and repeats no action.

The Supervisor reports the death (an incident), starts a new worker, replays the journal from the
last acknowledged event, and de-duplicates actions by (event id, action key). Each run below is
compared with the same events through an undisturbed Supervisor: the same actions, in the same
order, none twice, the same final state.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from typing import Any

import pytest

from govrules.stream import EventRejected, Incident, Supervisor
from govrules.stream import supervisor as supervisor_module
from stream_helpers import clock, year_of_events

EVENTS = year_of_events(n_matters=100, days=200, seed=11)


@pytest.fixture(scope="module")
def undisturbed() -> tuple[list[str], Any]:
    with Supervisor("jinan-2016-30") as sup:
        outcomes = sup.post_all(EVENTS)
        assert all(o.accepted for o in outcomes)
        return [a.to_json() for o in outcomes for a in o.actions], sup.state()


def unique(actions: list[str]) -> bool:
    return len(actions) == len(set(actions))


def test_the_undisturbed_run_has_actions_of_every_kind(undisturbed: tuple[list[str], Any]) -> None:
    actions, _ = undisturbed
    assert len(actions) > 50 and unique(actions)
    assert all(f'"kind": "{k}"' in "".join(actions) for k in ("催办", "逾期", "问责"))


def test_kill_9_between_events(undisturbed: tuple[list[str], Any]) -> None:
    seen: list[Incident] = []
    with Supervisor("jinan-2016-30", on_incident=seen.append) as sup:
        actions: list[str] = []
        killed = []
        for i, event in enumerate(EVENTS):
            if i % 97 == 50:
                killed.append(sup.worker_pid)
                os.kill(sup.worker_pid, signal.SIGKILL)
            actions += [a.to_json() for a in sup.post(event)]
        assert actions == undisturbed[0] and unique(actions)
        assert sup.state() == undisturbed[1]
        assert sup.restarts == len(killed) and sup.worker_pid not in killed
        died = [i for i in seen if i.kind == "worker_died"]
        assert len(died) == len(killed) and all("SIGKILL" in i.detail for i in died)
        assert {i.kind for i in seen} == {"worker_died", "restarted"}
        assert "replaying the journal from the last acknowledged event" in [i for i in seen if i.kind == "restarted"][0].detail


def test_kill_9_in_the_middle_of_a_batch(undisturbed: tuple[list[str], Any]) -> None:
    with Supervisor("jinan-2016-30", chunk_size=32) as sup:
        sup.arm_worker_crash(after_facts=7)  # dies having posted 7 facts of a batch, before answering
        outcomes = sup.post_all(EVENTS[:400])
        sup.arm_worker_crash(after_facts=3)
        outcomes += sup.post_all(EVENTS[400:])
        actions = [a.to_json() for o in outcomes for a in o.actions]
        assert all(o.accepted for o in outcomes)
        assert actions == undisturbed[0] and unique(actions)
        assert sup.state() == undisturbed[1] and sup.restarts == 2


def test_kill_9_at_random_moments_from_another_thread(undisturbed: tuple[list[str], Any]) -> None:
    rng = random.Random(3)
    with Supervisor("jinan-2016-30", chunk_size=16) as sup:
        stop = threading.Event()
        kills = []

        def killer() -> None:
            while not stop.wait(rng.uniform(0.01, 0.05)):
                pid = sup.worker_pid
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills.append(pid)
                except ProcessLookupError:
                    pass
                if len(kills) >= 4:
                    return

        thread = threading.Thread(target=killer)
        thread.start()
        actions: list[str] = []
        for start in range(0, len(EVENTS), 50):  # in batches, so that kills land mid-batch too
            outcomes = sup.post_all(EVENTS[start:start + 50])
            assert all(o.accepted for o in outcomes), [o.error for o in outcomes if o.error]
            actions += [a.to_json() for o in outcomes for a in o.actions]
            time.sleep(0.005)
        stop.set()
        thread.join()
        assert actions == undisturbed[0] and unique(actions)
        assert sup.state() == undisturbed[1]
        assert kills and sup.restarts >= 1


class _DyingWorker(supervisor_module.WorkerProcess):
    """The first ``deaths`` workers die on their first fact: an input durable-rules cannot take."""

    deaths = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _DyingWorker.deaths > 0:
            _DyingWorker.deaths -= 1
            self.send(("die_after", 1))
            self.recv(10)


def test_an_event_that_keeps_killing_the_worker_is_refused_and_the_stream_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(supervisor_module, "WorkerProcess", _DyingWorker)
    _DyingWorker.deaths = 3
    with Supervisor("jinan-2016-30", max_attempts=3) as sup:
        sup.post(clock("K0", "2025-01-01"))  # no fact: the worker is not troubled
        # 催办 at once: the matter's fact reaches the worker, which dies three times over
        with pytest.raises(EventRejected, match="made the durable-rules worker fail 3 times.*refused"):
            sup.post(EVENTS_FIRST_MATTER)
        assert sup.state().matters == () and [e.id for e in sup.journal] == ["K0"]
        assert [i.kind for i in sup.incidents].count("event_refused") == 1
        assert sup.post(EVENTS_FIRST_MATTER)[0].kind == "催办"  # a healthy worker takes it


def test_a_batch_that_kills_the_worker_is_retried_event_by_event(monkeypatch: pytest.MonkeyPatch, undisturbed: tuple[list[str], Any]) -> None:
    monkeypatch.setattr(supervisor_module, "WorkerProcess", _DyingWorker)
    _DyingWorker.deaths = 3
    with Supervisor("jinan-2016-30", chunk_size=64, max_attempts=3) as sup:
        outcomes = sup.post_all(EVENTS)
        assert all(o.accepted for o in outcomes)
        actions = [a.to_json() for o in outcomes for a in o.actions]
        assert actions == undisturbed[0] and unique(actions)


EVENTS_FIRST_MATTER = {
    "type": "matter_assigned", "id": "K1", "on": "2025-01-02",
    "matter": {"type": "matter", "id": "K-1", "source": "市领导批示", "assigned_on": "2025-01-02", "lead_unit": "市交通局"},
}


def test_a_hung_worker_is_killed_and_replaced(undisturbed: tuple[list[str], Any]) -> None:
    seen: list[Incident] = []
    with Supervisor("jinan-2016-30", reply_timeout=1.0, on_incident=seen.append) as sup:
        actions = [a.to_json() for o in sup.post_all(EVENTS[:300]) for a in o.actions]
        os.kill(sup.worker_pid, signal.SIGSTOP)  # alive, but it will never answer
        actions += [a.to_json() for o in sup.post_all(EVENTS[300:]) for a in o.actions]
        assert actions == undisturbed[0]
        assert [i.kind for i in seen][:2] == ["worker_hung", "restarted"]
        assert "gave no answer in 1 s and was killed" in seen[0].detail


class _NoMoreWorkers(supervisor_module.WorkerProcess):
    started = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _NoMoreWorkers.started += 1
        if _NoMoreWorkers.started > 1:
            raise supervisor_module.WorkerFailed("the durable-rules worker did not start: simulated")
        super().__init__(*args, **kwargs)


def test_when_no_worker_can_be_started_the_events_in_flight_are_not_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(supervisor_module, "WorkerProcess", _NoMoreWorkers)
    _NoMoreWorkers.started = 0
    with Supervisor("jinan-2016-30") as sup:
        sup.post(clock("N0", "2025-01-01"))
        os.kill(sup.worker_pid, signal.SIGKILL)
        with pytest.raises(supervisor_module.WorkerFailed, match="simulated.*not accepted: K1"):
            sup.post(EVENTS_FIRST_MATTER)
        assert [e.id for e in sup.journal] == ["N0"] and sup.state().matters == ()
