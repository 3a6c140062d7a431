"""The Supervisor: post an event, get the actions it caused, with durable-rules in a watched worker.

How an event is handled (``post`` holds a lock for all of it, so threads may post concurrently):

1. It is checked: a known type and fields, an id not seen before, a date not before the stream's
   date, a matter that exists (or, for ``matter_assigned``, does not yet). A bad event raises
   :class:`EventRejected` and changes nothing.
2. The stream's date becomes the event's ``on``. The meanings are the engine's, asked once: every
   matter whose status may change by that date, and the matter the event concerns, is evaluated
   with the reference evaluator; which rule an action about it cites is read from that evaluation
   (semantics/status.py); an accountability event is counted with ``ladder_tally`` (prepare.py).
3. Each change becomes a fact -- a matter's ``{status, prev, cite}``, a unit's counts per kind
   after and before the event -- and the facts go to the worker, which posts them
   one at a time to durable-rules. durable-rules is the matcher: the rules that fire (compiled
   from the pack, rules_json.py) are the transitions (催办, 逾期) and the ladder steps (问责), and
   become the actions (matching.py). Nothing checks them against the reference unless asked
   (``cross_check=True``, a debugging aid): the differential tests do that.

The worker is a separate process (worker_process.py). If it dies (or hangs, or reports an error),
the Supervisor records an :class:`Incident`, starts a new worker, and replays the journal from the
last acknowledged event: the facts of every event not yet answered. Actions are de-duplicated by
(event id, action key), so a replay repeats none; an event is accepted only once its facts have
been matched, so none is lost. An event whose facts kill the worker ``max_attempts`` times is
refused with an error (its changes undone), and the stream goes on.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from govrules.engine import CompiledPack, Options, compile_pack
from govrules.semantics.ladder import ladder_window
from govrules.errors import GovrulesError
from govrules.packs import get_pack
from govrules.packs.schema import LadderRule, Pack
from govrules.stream.actions import Action
from govrules.stream.events import EventRejected, StreamEvent, parse_event
from govrules.stream.matching import ActionMaker
from govrules.stream.outcomes import Incident, Outcome, WorkerFailed
from govrules.stream.prepare import Prepared, Preparer
from govrules.stream.rules_json import Ruleset, compile_ruleset
from govrules.stream.state import LadderState, MatterState, State, StreamState
from govrules.stream.worker_process import (
    StreamUnavailable, WorkerGone, WorkerProcess, durable_status, require_durable,
)

__all__ = [
    "Incident", "LadderState", "MatterState", "Outcome", "StreamState", "StreamUnavailable", "Supervisor",
    "WorkerFailed", "WorkerProcess", "durable_status", "require_durable",
]

logger = logging.getLogger("govrules.stream")


@dataclass
class _Chunk:
    seq: int
    start: int  # index of its first item in the batch
    end: int  # one past its last
    mark: int  # the undo mark before it
    prepared: list[Prepared] = field(default_factory=list)
    facts: list[dict[str, object]] = field(default_factory=list)
    owners: list[tuple[int, int]] = field(default_factory=list)  # fact -> (prepared index, fact index)
    outcomes: list[Outcome | None] = field(default_factory=list)  # the whole batch's, shared


class Supervisor:
    """The live supervision stream of one pack.

    >>> with Supervisor("jinan-2016-30") as sup:                       # doctest: +SKIP
    ...     sup.post({"type": "matter_assigned", "id": "E1", "on": "2026-04-30",
    ...               "matter": {"type": "matter", "id": "DC-1", "source": "市领导批示",
    ...                          "assigned_on": "2026-04-30", "lead_unit": "市交通局"}})
    ...     # -> [Action 催办 DC-1]: 3 working days or fewer before its deadline, 2026-05-08
    ...     sup.post({"type": "clock", "id": "E2", "on": "2026-05-11"})   # -> [Action 逾期 DC-1]

    ``options``: as for ``evaluate`` (warning window, interpretations, allow_not_in_force, calendar).
    ``chunk_size``: how many events ``post_all`` prepares per message to the worker (it prepares
    the next chunk while the worker matches the last: the two processes run side by side).
    ``reply_timeout``: seconds without an answer after which a worker counts as hung.
    ``max_attempts``: how many workers an event's facts may take down before it is refused.
    ``on_incident``: called (under the lock) with each :class:`Incident`, as it happens.
    ``cross_check``: a debugging aid, off by default: also ask the reference evaluator for each
    answer and compare it with what durable-rules fired, recording any disagreement as an
    incident (it decides everything twice, and costs as much again).
    """

    def __init__(
        self,
        pack: Pack | CompiledPack | str,
        options: Options | None = None,
        *,
        chunk_size: int = 64,
        reply_timeout: float = 60.0,
        max_attempts: int = 3,
        on_incident: Callable[[Incident], None] | None = None,
        cross_check: bool = False,
    ) -> None:
        require_durable()
        if chunk_size < 1 or max_attempts < 1 or reply_timeout <= 0:
            raise ValueError("chunk_size and max_attempts must be at least 1, reply_timeout positive")
        self.options = options or Options()
        if isinstance(pack, str):
            pack = get_pack(pack)
        self.compiled = pack if isinstance(pack, CompiledPack) else compile_pack(pack, self.options.interpretations)
        self.ruleset: Ruleset = compile_ruleset(self.compiled)
        self.cross_check = cross_check
        self._ruleset_json = self.ruleset.json()
        self._chunk_size = chunk_size
        self._reply_timeout = reply_timeout
        self._max_attempts = max_attempts
        self._on_incident = on_incident
        self._lock = threading.Lock()
        self._state = State()
        self._preparer = Preparer(self.compiled, self.options, self.ruleset, self._state, cross_check)
        self._actions = ActionMaker(self.compiled, self.ruleset, self._state, self._preparer.calendar,
                                    cross_check, self._incident)
        self._seq = count(1)
        self._incidents: list[Incident] = []
        self._restarts = 0
        self._closed = False
        self._worker = WorkerProcess(self._ruleset_json, self.compiled.id)
        self._worker_broken: WorkerGone | None = None

    # -- public ----------------------------------------------------------------------------------

    def post(self, event: StreamEvent | Mapping[str, Any]) -> list[Action]:
        """Apply one event; the actions it caused. A bad event raises :class:`EventRejected`."""
        outcome = self.post_all([event])[0]
        if outcome.error is not None:
            raise outcome.error
        return list(outcome.actions)

    def post_all(self, events: Iterable[StreamEvent | Mapping[str, Any]]) -> list[Outcome]:
        """Apply events in order: one :class:`Outcome` per event (its actions, or its error).
        A bad event is refused and the others go on; an empty batch is an error."""
        items = list(events)
        if not items:
            raise EventRejected("", "empty batch: there is no event to post (durable-rules is never given an empty list)")
        with self._lock:
            if self._closed:
                raise GovrulesError("the supervisor is closed")
            return self._run(items)

    def state(self) -> StreamState:
        """Each matter's status and each unit's step as of the stream's date."""
        with self._lock:
            st = self._state
            matters = tuple(
                MatterState(id=mid, lead_unit=e.matter.lead_unit, status=e.status, deadline=e.deadline)
                for mid, e in sorted(st.matters.items(), key=lambda kv: kv[1].order)
            )
            ladders = []
            for (index, unit), (window, level) in st.levels.items():
                active = self.compiled.ladders[index]
                assert isinstance(active.rule, LadderRule)
                now = ladder_window(active.rule, st.clock)[0] if st.clock else window
                ladders.append(LadderState(rule=active.full_id, unit=unit, window=now, level=level if now == window else 0))
            return StreamState(pack=self.compiled.id, clock=st.clock, events=len(st.journal), matters=matters, ladders=tuple(ladders))

    @property
    def journal(self) -> tuple[StreamEvent, ...]:
        """Every accepted event, in order: posting them to a new Supervisor gives the same actions."""
        with self._lock:
            return tuple(self._state.journal)

    @property
    def incidents(self) -> tuple[Incident, ...]:
        with self._lock:
            return tuple(self._incidents)

    @property
    def restarts(self) -> int:
        return self._restarts

    @property
    def worker_pid(self) -> int:
        """The current worker's process id (tests kill it)."""
        return self._worker.pid

    def arm_worker_crash(self, after_facts: int) -> None:
        """Test hook: the current worker kills itself (SIGKILL) after posting this many more
        facts, before it answers, as a crash inside durable-rules would."""
        with self._lock:
            self._worker.send(("die_after", after_facts))
            self._worker.recv(self._reply_timeout)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._worker.stop()

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the run of a batch -----------------------------------------------------------------------

    def _run(self, items: list[StreamEvent | Mapping[str, Any]]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(items)
        inflight: deque[_Chunk] = deque()
        pos = 0
        careful_until = 0  # after a refused chunk: one event at a time up to here
        while pos < len(items) or inflight:
            careful = pos < careful_until
            if pos < len(items) and len(inflight) < (1 if careful else 2):
                size = 1 if careful else self._chunk_size
                chunk = self._prepare_chunk(items, pos, min(len(items), pos + size), outcomes)
                pos = chunk.end
                inflight.append(chunk)
                if chunk.facts and self._worker_broken is None:
                    try:
                        self._worker.send(("post", chunk.seq, chunk.facts))
                    except WorkerGone as exc:
                        self._worker_broken = exc
                continue
            chunk = inflight[0]
            try:
                matched = self._await(chunk, inflight)
            except GovrulesError as exc:  # no new worker could be started
                self._state.rollback(inflight[0].mark)
                lost = [p.event.id for c in inflight for p in c.prepared]
                for c in inflight:
                    for i in range(c.start, c.end):
                        outcomes[i] = None
                raise WorkerFailed(f"{exc}; not accepted: {', '.join(lost) or 'none'}", outcomes) from None
            if matched:
                inflight.popleft()
                self._state.release(inflight[0].mark if inflight else self._state.mark())
                continue
            # the chunk's facts took down max_attempts workers: undo it and all after it, then
            # go through it one event at a time, refusing only the event that does it
            self._state.rollback(chunk.mark)
            inflight.clear()
            for i in range(chunk.start, len(items)):
                outcomes[i] = None
            if chunk.end - chunk.start == 1:
                ev_id = chunk.prepared[0].event.id if chunk.prepared else None
                detail = (f"its facts made the durable-rules worker fail {self._max_attempts} times "
                          "(see the incidents); the event is refused and nothing of it applied")
                self._incident(Incident(kind="event_refused", detail=detail, events=(ev_id,) if ev_id else ()))
                outcomes[chunk.start] = Outcome(chunk.start, ev_id, error=EventRejected(f"event {ev_id}", detail, ev_id))
                pos = chunk.end
            else:
                pos, careful_until = chunk.start, chunk.end
        assert all(o is not None for o in outcomes)
        return [o for o in outcomes if o is not None]

    def _prepare_chunk(self, items: list[StreamEvent | Mapping[str, Any]], start: int, end: int,
                       outcomes: list[Outcome | None]) -> _Chunk:
        chunk = _Chunk(seq=next(self._seq), start=start, end=end, mark=self._state.mark(), outcomes=outcomes)
        for i in range(start, end):
            try:
                event = parse_event(items[i])
                prepared = self._preparer.prepare(i, event)
            except EventRejected as exc:
                outcomes[i] = Outcome(i, exc.event_id, error=exc)
                continue
            except Exception as exc:  # a bug: refuse the event (nothing of it was applied), say so
                logger.exception("govrules.stream: internal error on item %d", i)
                ident = getattr(items[i], "id", None)
                outcomes[i] = Outcome(i, ident, error=EventRejected(
                    f"event {ident}" if ident else f"[{i}]",
                    f"internal error ({type(exc).__name__}: {exc}); the event is refused, please report it", ident))
                continue
            k = len(chunk.prepared)  # its outcome is made when the worker answers (_finish)
            chunk.prepared.append(prepared)
            for j, fact in enumerate(prepared.facts):
                chunk.facts.append(fact)
                chunk.owners.append((k, j))
        return chunk

    def _await(self, chunk: _Chunk, inflight: deque[_Chunk]) -> bool:
        """Wait for the chunk's answer, restarting the worker and replaying the unanswered facts
        as often as needed; False if its facts failed ``max_attempts`` times."""
        failures = 0
        while True:
            if not chunk.facts:
                self._finish(chunk, [])
                return True
            problem = self._worker_broken
            if problem is None:
                try:
                    reply = self._worker.recv(self._reply_timeout)
                    if reply[0] == "fired" and reply[1] == chunk.seq and not reply[3]:
                        self._finish(chunk, reply[2])
                        return True
                    detail = "; ".join(f"fact {i}: {m}" for i, m in reply[3]) if reply[0] == "fired" else repr(reply)
                    problem = WorkerGone("worker_error", f"worker {self._worker.pid}: {detail}")
                except WorkerGone as exc:
                    problem = exc
            failures += 1
            events = tuple(p.event.id for c in inflight for p in c.prepared)
            self._incident(Incident(kind=problem.kind, detail=problem.detail, events=events, worker_pid=self._worker.pid))
            self._restart()
            if failures >= self._max_attempts:
                return False
            replayed = 0
            for c in inflight:
                if c.facts and self._worker_broken is None:
                    try:
                        self._worker.send(("post", c.seq, c.facts))
                        replayed += len(c.prepared)
                    except WorkerGone as exc:
                        self._worker_broken = exc
            self._incident(Incident(
                kind="restarted",
                detail=f"worker {self._worker.pid} started; replaying the journal from the last "
                       f"acknowledged event: {replayed} event(s) not yet answered",
                events=events, worker_pid=self._worker.pid,
            ))

    def _finish(self, chunk: _Chunk, fired: list[tuple[int, str]]) -> None:
        actions = self._actions.answer(chunk.prepared, chunk.owners, fired, self._worker.pid)
        for k, prepared in enumerate(chunk.prepared):
            chunk.outcomes[prepared.index] = Outcome(prepared.index, prepared.event.id, tuple(actions[k]))

    def _restart(self) -> None:
        """A new worker in place of the old one; it may itself die while starting (a second
        kill), so try a few times before giving up with WorkerFailed."""
        self._worker.kill()
        for attempt in range(1, self._max_attempts + 1):
            self._restarts += 1
            try:
                self._worker = WorkerProcess(self._ruleset_json, self.compiled.id)
            except WorkerFailed as exc:
                self._incident(Incident(kind="worker_died", detail=f"a new worker failed to start: {exc}"))
                if attempt == self._max_attempts:
                    raise
                continue
            self._worker_broken = None
            return

    def _incident(self, incident: Incident) -> None:
        self._incidents.append(incident)
        log = logger.error if incident.kind in ("disagreement", "event_refused") else logger.warning
        log("govrules.stream %s: %s (events: %s)", incident.kind, incident.detail, ", ".join(incident.events) or "-")
        if self._on_incident is not None:
            self._on_incident(incident)
