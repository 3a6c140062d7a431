"""The Supervisor: post an event, get the actions it caused, with durable-rules in a watched worker.

How an event is handled (``post`` holds a lock for all of it, so threads may post concurrently):

1. It is checked: a known type and fields, an id not seen before, a date not before the stream's
   date, a matter that exists (or, for ``matter_assigned``, does not yet). A bad event raises
   :class:`EventRejected` and changes nothing.
2. The stream's date becomes the event's ``on``. Every matter whose status can change with time by
   that date (found from its last evaluation: the day it enters the warning window, the day after
   its deadline or next report) and the matter the event concerns are evaluated with the reference
   evaluator, ``evaluate(matter, on)``; an accountability event is counted with the reference
   ``accountability(events of the unit, on)``. So the semantics are the reference's, by construction.
3. Each change is turned into a fact -- a matter's ``{status, prev, fields}``, a unit's
   ``{prev level, counts per kind}`` -- and the facts go to the worker, which posts them one at a
   time to durable-rules; the rules that fire (compiled from the pack, see rules_json.py) become
   the actions. The Supervisor checks what fired against the reference's own answer (the level
   reached, the deadline rule that applies) and records any disagreement as an incident.

The worker is a separate process. If it dies (or hangs, or reports an error), the Supervisor
records an :class:`Incident`, starts a new worker, and replays the journal from the last
acknowledged event: the facts of every event not yet answered. Actions are de-duplicated by
(event id, action key), so a replay repeats none; an event is accepted only once its facts have
been matched, so none is lost. An event whose facts kill the worker ``max_attempts`` times is
refused with an error (its changes undone), and the stream goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import subprocess
import sys
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from govrules.engine import CompiledPack, Options, accountability, compile_pack, evaluate
from govrules.semantics.ladder import LadderTally, ladder_kinds, ladder_tally, ladder_window
from govrules.semantics.phrases import tally_text
from govrules.engine.evaluate import case_date
from govrules.semantics.results import Evaluation, Status, UnitAccountability
from govrules.semantics.status import reply_met
from govrules.errors import GovrulesError, HolidayDataMissing
from govrules.models import Event, Extension, Matter
from govrules.models.dates import IsoDate
from govrules.packs import get_pack
from govrules.packs.conditions import walk
from govrules.packs.schema import DeadlineRule, LadderRule, ObligationRule, Pack
from govrules.stream.actions import Action, accountability_message, overdue_message, urge_message
from govrules.stream.events import (
    AccountabilityOccurred, ClockTick, DeadlineSet, EventRejected, ExtensionRequested, MatterAssigned,
    MatterCompleted, ReportFiled, StreamEvent, parse_event,
)
from govrules.stream.rules_json import (
    ACTION_STATUS, LadderStepRule, MatterRule, Ruleset, compile_ruleset, status_key, tally_fact,
)

logger = logging.getLogger("govrules.stream")

WORKER_SCRIPT = Path(__file__).with_name("worker.py")


# -- availability ---------------------------------------------------------------------------------


class StreamUnavailable(GovrulesError):
    """durable-rules cannot be used here, so neither can the supervision stream."""


def durable_status() -> tuple[bool, str]:
    """Whether durable-rules imports here, and if not, why (the whole reason, for the error)."""
    try:
        import durable.engine  # noqa: F401  # the C engine loads; nothing runs until a ruleset exists
    except Exception as exc:  # ImportError, or a broken build failing in its own way
        version = ".".join(map(str, sys.version_info[:3]))
        return False, (
            f"the supervision stream (govrules.stream) needs durable-rules, which cannot be imported "
            f"here ({type(exc).__name__}: {exc}). durable-rules builds from source only and does not "
            f"import on Python 3.13 or newer (this is Python {version}), so govrules installs it only "
            "where python_version < '3.13'. Everything else in govrules works without it; for the "
            "stream, use Python 3.11 or 3.12 with gcc and the Python headers to build durable-rules"
        )
    return True, ""


def require_durable() -> None:
    ok, why = durable_status()
    if not ok:
        raise StreamUnavailable(why)


# -- incidents and results ------------------------------------------------------------------------


class Incident(BaseModel):
    """Something that went wrong with the worker, and what the Supervisor did about it.

    ``kind``: ``worker_died`` (e.g. killed, or a segfault in durable-rules), ``worker_hung`` (no
    reply in time: killed), ``worker_error`` (an exception while matching, reported by the worker),
    ``restarted`` (a new worker is ready and the unanswered events are being replayed),
    ``event_refused`` (an event's facts failed ``max_attempts`` times; the event is refused),
    ``disagreement`` (durable-rules fired something other than the reference evaluator implies:
    a bug to report).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["worker_died", "worker_hung", "worker_error", "restarted", "event_refused", "disagreement"]
    detail: str
    events: tuple[str, ...] = ()
    worker_pid: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one posted event: its actions, or the error that refused it."""

    index: int
    event_id: str | None
    actions: tuple[Action, ...] = ()
    error: EventRejected | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None


class WorkerFailed(GovrulesError):
    """No worker could be started (or restarted): the events not yet answered were not accepted.

    ``outcomes`` holds what had been decided before the failure (None where nothing was)."""

    def __init__(self, message: str, outcomes: Sequence[Outcome | None] = ()) -> None:
        super().__init__(message)
        self.outcomes = list(outcomes)


class MatterState(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    lead_unit: str
    status: Status | None
    deadline: IsoDate | None


class LadderState(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    unit: str
    window: str
    level: int


class StreamState(BaseModel):
    """The stream's view as of its date: each matter's status, each unit's step per ladder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: str
    clock: IsoDate | None
    events: int
    matters: tuple[MatterState, ...]
    ladders: tuple[LadderState, ...]


# -- the worker process ---------------------------------------------------------------------------


class _WorkerGone(Exception):
    """The worker died, hung or answered out of protocol; the message says which."""

    def __init__(self, kind: Literal["worker_died", "worker_hung", "worker_error"], detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


_names = count(1)


class WorkerProcess:
    """One durable-rules worker (worker.py run as a script), and the pipe to it."""

    def __init__(self, ruleset_json: str, label: str, start_timeout: float = 60.0) -> None:
        self._json = ruleset_json
        self.name = f"govrules-{label}-{next(_names)}"  # a name durable-rules has never seen here
        parent, child = multiprocessing.Pipe()
        self._proc = subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT), str(child.fileno())],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
        )
        child.close()
        self._conn = parent
        self._finalizer = weakref.finalize(self, _reap, self._proc, self._conn)
        try:
            self.send(("load", self.name, ruleset_json))
            reply = self.recv(start_timeout)
        except _WorkerGone as exc:
            self.kill()
            raise WorkerFailed(f"the durable-rules worker did not start: {exc.detail}") from None
        if reply[0] == "unavailable":
            self.kill()
            raise StreamUnavailable(f"the durable-rules worker cannot import durable-rules: {reply[1]}")
        if reply[0] != "ready":
            self.kill()
            raise WorkerFailed(f"the durable-rules worker refused the ruleset: {reply[1:]}")

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    def _gone(self) -> _WorkerGone:
        try:
            code = self._proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            return _WorkerGone("worker_died", f"worker {self.pid} closed its pipe")
        if code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        return _WorkerGone("worker_died", f"worker {self.pid} {how}")

    def send(self, msg: tuple[Any, ...]) -> None:
        try:
            self._conn.send(msg)
        except (OSError, EOFError, ValueError):
            raise self._gone() from None

    def recv(self, timeout: float) -> tuple[Any, ...]:
        try:
            ready = self._conn.poll(timeout)
        except (OSError, EOFError):
            raise self._gone() from None
        if not ready:
            self.kill()
            raise _WorkerGone("worker_hung", f"worker {self.pid} gave no answer in {timeout:g} s and was killed")
        try:
            reply = self._conn.recv()
        except (OSError, EOFError):
            raise self._gone() from None
        if not isinstance(reply, tuple) or not reply:
            raise _WorkerGone("worker_error", f"worker {self.pid} answered out of protocol: {reply!r}")
        return reply

    def kill(self) -> None:
        _reap(self._proc, self._conn)

    def stop(self) -> None:
        try:
            self.send(("stop",))
            self.recv(5.0)
        except _WorkerGone:
            pass
        self.kill()


def _reap(proc: subprocess.Popen[bytes], conn: Any) -> None:
    try:
        conn.close()
    except OSError:
        pass
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=5.0)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process SIGKILL cannot stop
        pass


# -- state ----------------------------------------------------------------------------------------


class _Entry(NamedTuple):  # a tuple: made several times per event, cheaply
    matter: Matter
    order: int
    status: Status | None
    deadline: date | None
    recheck: date | None  # the first day its status may change with time alone; None: never
    reports_count: bool  # whether a progress report can change its status


class _MatterFact(NamedTuple):  # a tuple: made several times per event, cheaply
    entry: _Entry
    prev: Status | None
    evaluation: Evaluation
    basis: int  # index of the recurring-report rule that drives the status, or -1


class _LadderFact(NamedTuple):
    ladder: int  # index into compiled.ladders
    unit: str
    prev: int
    reference: UnitAccountability
    tally: LadderTally


@dataclass
class _Prepared:
    index: int
    event: StreamEvent
    facts: list[dict[str, object]]
    contexts: list[_MatterFact | _LadderFact]


@dataclass
class _Chunk:
    seq: int
    start: int  # index of its first item in the batch
    end: int  # one past its last
    mark: int  # the undo mark before it
    prepared: list[_Prepared] = field(default_factory=list)
    facts: list[dict[str, object]] = field(default_factory=list)
    owners: list[tuple[int, int]] = field(default_factory=list)  # fact -> (prepared index, fact index)
    outcomes: list[Outcome | None] = field(default_factory=list)  # the whole batch's, shared


class _State:
    """Everything accepted so far; each change records how to undo it (for events refused late)."""

    def __init__(self) -> None:
        self.clock: date | None = None
        self.seen: set[str] = set()
        self.matters: dict[str, _Entry] = {}
        self.due: dict[str, date] = {}  # matters to re-evaluate on or after a date
        self.unit_events: dict[str, list[Event]] = {}
        self.levels: dict[tuple[int, str], tuple[str, int]] = {}
        self.journal: list[StreamEvent] = []
        self.emitted: set[tuple[str, str]] = set()
        self._undo: list[Callable[[], None]] = []
        self._undo_base = 0

    def mark(self) -> int:
        return self._undo_base + len(self._undo)

    def rollback(self, mark: int) -> None:
        while self._undo_base + len(self._undo) > mark:
            self._undo.pop()()

    def release(self, mark: int) -> None:
        """Forget how to undo anything before ``mark``: it is accepted for good."""
        drop = mark - self._undo_base
        if drop > 0:
            del self._undo[:drop]
            self._undo_base = mark

    def accept(self, event: StreamEvent) -> None:
        old_clock = self.clock
        self.seen.add(event.id)
        self.journal.append(event)
        self.clock = event.on
        self._undo.append(lambda: self._unaccept(event.id, old_clock))

    def _unaccept(self, event_id: str, clock: date | None) -> None:
        self.seen.discard(event_id)
        self.journal.pop()
        self.clock = clock

    def set_matter(self, mid: str, entry: _Entry) -> None:
        old, old_due = self.matters.get(mid), self.due.get(mid)
        self.matters[mid] = entry
        if entry.recheck is None:
            self.due.pop(mid, None)
        else:
            self.due[mid] = entry.recheck
        self._undo.append(lambda: self._restore_matter(mid, old, old_due))

    def _restore_matter(self, mid: str, old: _Entry | None, old_due: date | None) -> None:
        if old is None:
            self.matters.pop(mid, None)
        else:
            self.matters[mid] = old
        if old_due is None:
            self.due.pop(mid, None)
        else:
            self.due[mid] = old_due

    def add_unit_event(self, ev: Event) -> None:
        self.unit_events.setdefault(ev.unit, []).append(ev)
        self._undo.append(lambda: self._pop_unit_event(ev.unit))

    def _pop_unit_event(self, unit: str) -> None:
        self.unit_events[unit].pop()

    def set_level(self, key: tuple[int, str], value: tuple[str, int]) -> None:
        old = self.levels.get(key)
        self.levels[key] = value
        self._undo.append(lambda: self._restore_level(key, old))

    def _restore_level(self, key: tuple[int, str], old: tuple[str, int] | None) -> None:
        if old is None:
            self.levels.pop(key, None)
        else:
            self.levels[key] = old

    def emit(self, key: tuple[str, str]) -> bool:
        """Record an action; False if it was emitted before (a replay). Only an answered event's
        actions are emitted, and an answered event is never undone: no undo record."""
        if key in self.emitted:
            return False
        self.emitted.add(key)
        return True


_ACTION_STATUSES = frozenset(ACTION_STATUS.values())


def _counted_kinds(rule: object) -> set[str]:
    """The event kinds that can move a unit on a ladder (engine.accountability.ladder_kinds)."""
    assert isinstance(rule, LadderRule)
    return ladder_kinds(rule)


# -- the supervisor -------------------------------------------------------------------------------


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
    ) -> None:
        require_durable()
        if chunk_size < 1 or max_attempts < 1 or reply_timeout <= 0:
            raise ValueError("chunk_size and max_attempts must be at least 1, reply_timeout positive")
        self.options = options or Options()
        if isinstance(pack, str):
            pack = get_pack(pack)
        self.compiled = pack if isinstance(pack, CompiledPack) else compile_pack(pack, self.options.interpretations)
        self.ruleset: Ruleset = compile_ruleset(self.compiled)
        self._ruleset_json = self.ruleset.json()
        self._calendar = self.options.work_calendar()
        self._chunk_size = chunk_size
        self._reply_timeout = reply_timeout
        self._max_attempts = max_attempts
        self._on_incident = on_incident
        self._lock = threading.Lock()
        self._state = _State()
        self._seq = count(1)
        self._facts = count(1)
        self._incidents: list[Incident] = []
        self._restarts = 0
        self._closed = False
        self._deadline_ids = {a.full_id for a in self.compiled.deadlines}
        self._report_satisfies = {
            a.full_id for a in self.compiled.deadlines
            if isinstance(a.rule, DeadlineRule) and "report" in a.rule.satisfied_by
        }
        self._reports_in_conditions = any(
            cmp.field == "reports"
            for a in (*self.compiled.deadlines, *self.compiled.obligations, *self.compiled.extensions)
            for cond in (getattr(a.rule, "when", None), getattr(a.rule, "allowed_when", None)) if cond is not None
            for cmp in walk(cond)
        )
        self._obligation_index = {a.full_id: i for i, a in enumerate(self.compiled.obligations)}
        self._qualifying = [_counted_kinds(a.rule) for a in self.compiled.ladders]
        self._worker = WorkerProcess(self._ruleset_json, self.compiled.id)
        self._worker_broken: _WorkerGone | None = None

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
                    except _WorkerGone as exc:
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
                prepared = self._prepare(i, event)
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
                    problem = _WorkerGone("worker_error", f"worker {self._worker.pid}: {detail}")
                except _WorkerGone as exc:
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
                    except _WorkerGone as exc:
                        self._worker_broken = exc
            self._incident(Incident(
                kind="restarted",
                detail=f"worker {self._worker.pid} started; replaying the journal from the last "
                       f"acknowledged event: {replayed} event(s) not yet answered",
                events=events, worker_pid=self._worker.pid,
            ))

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

    # -- one event ---------------------------------------------------------------------------------

    def _reject(self, event: StreamEvent, problem: str) -> EventRejected:
        return EventRejected(f"event {event.id} ({event.type}, {event.on})", problem, event.id)

    def _prepare(self, position: int, event: StreamEvent) -> _Prepared:
        """Check the event, evaluate what it changes, apply it (undoably) and make its facts."""
        st = self._state
        if event.id in st.seen:
            raise self._reject(event, f"duplicate event id {event.id!r}: an event with this id was accepted before")
        clock = st.clock
        if clock is not None and event.on < clock:
            what = "the clock cannot go backwards" if isinstance(event, ClockTick) else "events must come in date order"
            raise self._reject(event, f"{what}: the stream's date is already {clock}, this event is dated {event.on}")
        today = event.on
        report_only: _Entry | None = None
        mid: str | None = None
        changed: Matter | None = None
        unit_event: Event | None = None
        if isinstance(event, MatterAssigned):
            changed, mid = event.matter, event.matter.id
            if mid in st.matters:
                raise self._reject(event, f"matter {mid} is already under supervision")
            history = [changed.assigned_on, *changed.reports]
            history += [changed.completed_on] if changed.completed_on else []
            history += [changed.extension.requested_on] if changed.extension else []
            if max(history) > today:
                raise self._reject(event, f"matter {mid} carries dates after the event's date {today}: "
                                          "post reports, extensions and completion as events when they happen")
        elif isinstance(event, (ReportFiled, ExtensionRequested, MatterCompleted, DeadlineSet)):
            mid = event.matter_id
            entry = st.matters.get(mid)
            if entry is None:
                raise self._reject(event, f"unknown matter {mid!r}: no matter_assigned event has put it under supervision")
            m = entry.matter
            if m.completed_on is not None and not isinstance(event, ReportFiled):
                raise self._reject(event, f"matter {mid} was already completed on {m.completed_on}")
            if isinstance(event, ReportFiled):
                changed = m.model_copy(update={"reports": (*m.reports, today)})
            elif isinstance(event, ExtensionRequested):
                if event.new_deadline < today:
                    raise self._reject(event, f"new_deadline {event.new_deadline} is before the request's date {today}")
                ext = Extension(requested_on=today, new_deadline=event.new_deadline, approved=event.approved)
                changed = m.model_copy(update={"extension": ext})
            elif isinstance(event, DeadlineSet):
                if event.deadline < today:
                    raise self._reject(event, f"deadline {event.deadline} is before the event's date {today}: "
                                              "a time limit is set for the days to come")
                changed = m.model_copy(update={"explicit_deadline": event.deadline})
            else:
                changed = m.model_copy(update={"completed_on": today})
        elif isinstance(event, AccountabilityOccurred):
            unit_event = event.event
            if unit_event.on > today:
                raise self._reject(event, f"the accountability event is dated {unit_event.on}, after this event's date {today}")
            try:
                self.compiled.check_in_force(unit_event.on, self.options.allow_not_in_force, f"event {unit_event.id}")
            except GovrulesError as exc:
                raise self._reject(event, str(exc)) from None

        # evaluate every matter whose status may have changed: by time, or by this event
        ticking = clock is None or today > clock
        names = [m_ for m_, when in st.due.items() if when <= today] if ticking else []
        if isinstance(event, ReportFiled) and changed is not None and mid not in names:
            entry = st.matters[event.matter_id]
            if not entry.reports_count:  # the status cannot move: keep the report, skip the evaluation
                report_only = entry._replace(matter=changed)
        if mid is not None and mid not in names and report_only is None:
            names.append(mid)
        if len(names) > 1:  # in the order the matters came under supervision, as the reference lists them
            order_of = {n: st.matters[n].order if n in st.matters else len(st.matters) for n in names}
            names.sort(key=order_of.__getitem__)
        evaluated: list[tuple[str, Matter, Evaluation, _Entry | None]] = []
        for name in names:
            matter = changed if name == mid and changed is not None else st.matters[name].matter
            try:
                evaluation = evaluate(matter, today, self.compiled, self.options, explain=False)
            except GovrulesError as exc:
                raise self._reject(event, f"cannot evaluate on {today}: {exc}") from None
            evaluated.append((name, matter, evaluation, st.matters.get(name)))

        ladder_results: list[tuple[int, UnitAccountability, LadderTally]] = []
        if unit_event is not None:
            mine = [*st.unit_events.get(unit_event.unit, ()), unit_event]
            try:
                results = accountability(mine, today, self.compiled, self.options)
            except GovrulesError as exc:
                raise self._reject(event, str(exc)) from None
            for index, result in enumerate(results):
                if unit_event.kind not in self._qualifying[index]:
                    continue  # this ladder does not count it: nothing changes
                rule = self.compiled.ladders[index].rule
                assert isinstance(rule, LadderRule)
                ladder_results.append((index, result, ladder_tally(rule, mine, today)))

        # nothing can fail from here on: apply, recording how to undo
        st.accept(event)
        prepared = _Prepared(position, event, [], [])
        if report_only is not None:
            st.set_matter(report_only.matter.id, report_only)
        for name, matter, evaluation, old in evaluated:
            basis = self._basis(evaluation, matter)
            entry = _Entry(
                matter=matter, order=old.order if old else len(st.matters), status=evaluation.status,
                deadline=evaluation.deadline, recheck=self._recheck(evaluation, matter, basis, today),
                reports_count=self._reports_count(evaluation, matter),
            )
            st.set_matter(name, entry)
            prev = old.status if old else None
            if old is not None and status_key(prev) == status_key(entry.status):
                continue
            fact: dict[str, object] = {
                "id": f"{next(self._facts)}", "t": "matter", "matter": name,
                "status": status_key(entry.status), "prev": status_key(prev), "basis": basis,
            }
            fact.update(self.ruleset.matter_fields.encode(matter))
            prepared.facts.append(fact)
            prepared.contexts.append(_MatterFact(entry, prev, evaluation, basis))
        if unit_event is not None:
            st.add_unit_event(unit_event)
            for index, result, tally in ladder_results:
                key = (index, unit_event.unit)
                window, level = st.levels.get(key, (result.window, 0))
                reached = level if window == result.window else 0
                st.set_level(key, (result.window, result.level))
                rule = self.compiled.ladders[index].rule
                assert isinstance(rule, LadderRule)
                prepared.facts.append({"id": f"{next(self._facts)}", "t": "ladder", "ladder": index, "unit": unit_event.unit,
                                       "prev": reached, **tally_fact(tally.counts, tally.triggers, rule)})
                prepared.contexts.append(_LadderFact(index, unit_event.unit, reached, result, tally))
        return prepared

    def _basis(self, evaluation: Evaluation, matter: Matter) -> int:
        """The recurring-report rule that gives a matter its status when no deadline rule
        runs for it (none applies, or a progress reply met its limit), as the reference evaluator
        picks it: the last one with a missed report, else the first one owed with a report still
        to come; -1 when a deadline rule gives the status."""
        if self._deadline_driven(evaluation, matter):
            return -1
        findings = evaluation.findings
        owed = [f for f in findings if f.rule in self._obligation_index
                and self._owed(self._obligation_index[f.rule])]
        missed = [f for f in owed if f.kind in ("violation", "advice")]
        if missed:
            return self._obligation_index[missed[-1].rule]
        upcoming = [f for f in owed if f.kind == "obligation"]
        return self._obligation_index[upcoming[0].rule] if upcoming else -1

    def _owed(self, index: int) -> bool:
        rule = self.compiled.obligations[index].rule
        return isinstance(rule, ObligationRule) and rule.reports_required

    def _recheck(self, evaluation: Evaluation, matter: Matter, basis: int, today: date) -> date | None:
        """The first day after ``today`` on which the status could change with no new event: the
        day a due date enters the warning window, or the day after it. The due dates that can
        change the status are the deadline, if a deadline rule applies (then recurring reports do
        not touch the status), else every report owed; a completed matter never changes, nor does
        one past its deadline."""
        status = evaluation.status
        if status in ("done", "done_late"):
            return None
        if status == "overdue":  # past a deadline, or a report missed: only completion ends it
            return None
        if self._deadline_driven(evaluation, matter):
            if evaluation.deadline is None:
                return None
            dues = {evaluation.deadline}
        else:
            dues = {f.due for f in evaluation.findings
                    if f.due is not None and f.rule in self._obligation_index and self._owed(self._obligation_index[f.rule])}
        candidates = []
        for due in dues:
            after = due + timedelta(days=1)
            if after > today:
                candidates.append(after)
            warn = self._warning_starts(due, today)
            if warn is not None:
                candidates.append(warn)
        return min(candidates) if candidates else None

    def _reports_count(self, evaluation: Evaluation, matter: Matter) -> bool:
        """Whether a progress report could change this matter's status: not once it is completed
        or overdue (a report after the deadline meets nothing, and a missed recurring report stays
        missed), nor when a deadline rule that only completion satisfies gives it (unless some
        rule's condition looks at the reports)."""
        if evaluation.status in ("done", "done_late", "overdue"):
            return False  # a report now is after the deadline, or the report missed: it cannot help
        if self._reports_in_conditions or not self._deadline_driven(evaluation, matter):
            return True
        return evaluation.findings[0].rule in self._report_satisfies

    def _deadline_driven(self, evaluation: Evaluation, matter: Matter) -> bool:
        """A deadline rule gives the status: the evaluation's first finding is its deadline finding,
        and the matter is not awaiting completion after a progress reply met that limit (replied:
        no deadline runs, the owed recurring reports give the status, status.reports_stand_in)."""
        findings = evaluation.findings
        if not findings or findings[0].kind != "deadline" or findings[0].rule not in self._deadline_ids:
            return False
        first = findings[0]
        done = matter.completed_on is not None and matter.completed_on <= evaluation.as_of
        return done or first.rule not in self._report_satisfies or first.due is None \
            or not reply_met(matter, first.due, evaluation.as_of)

    def _warning_starts(self, due: date, today: date) -> date | None:
        """The first day after ``today`` with at most ``warning_workdays`` working days left in
        (day, due]: the (w+1)-th working day counting back from ``due``, itself included. None if
        ``today`` is already that close (or past ``due``)."""
        if due <= today:
            return None
        try:
            start = self._calendar.add_workdays(due + timedelta(days=1), -(self.options.warning_workdays + 1))
        except HolidayDataMissing:
            return today + timedelta(days=1)  # unknown calendar: look again tomorrow
        return start if start > today else None

    # -- the answer: actions ----------------------------------------------------------------------

    def _finish(self, chunk: _Chunk, fired: list[tuple[int, str]]) -> None:
        outcomes = chunk.outcomes
        by_fact: dict[int, list[str]] = {}
        for fact_index, rule_name in fired:
            by_fact.setdefault(fact_index, []).append(rule_name)
        per_event: dict[int, list[Action]] = {}
        for fact_index, (k, j) in enumerate(chunk.owners):
            prepared = chunk.prepared[k]
            context = prepared.contexts[j]
            names = by_fact.get(fact_index, [])
            actions = [self._action(prepared.event, context, self.ruleset.rules[n]) for n in names if n in self.ruleset.rules]
            self._check(prepared.event, context, names)
            for action in actions:
                if self._state.emit((prepared.event.id, action.key)):
                    per_event.setdefault(k, []).append(action)
        for k, prepared in enumerate(chunk.prepared):
            outcomes[prepared.index] = Outcome(prepared.index, prepared.event.id, tuple(per_event.get(k, ())))

    def _check(self, event: StreamEvent, context: _MatterFact | _LadderFact, names: list[str]) -> None:
        """What durable-rules fired must be what the reference implies; if not, say so."""
        if not names and isinstance(context, _MatterFact) and context.evaluation.status not in _ACTION_STATUSES:
            return  # the common case, settled quickly: nothing due, nothing fired
        rules = [self.ruleset.rules.get(n) for n in names]
        if isinstance(context, _MatterFact):
            status = context.evaluation.status
            expect_kind = next((k for k, s in ACTION_STATUS.items() if s == status and status != context.prev), None)
            expected = None
            if expect_kind is not None:
                m = context.entry.matter
                if context.basis >= 0:  # a recurring report gives the status (no deadline rule runs)
                    expected = self.compiled.obligations[context.basis]
                else:
                    expected = next((a for a in self.compiled.deadlines if a.applies(m)), None)
            got: list[tuple[str, str]] = [(r.kind, r.active.full_id) for r in rules if isinstance(r, MatterRule)]
            want = [(str(expect_kind), expected.full_id)] if expect_kind and expected else []
            subject = f"matter {context.entry.matter.id}"
        else:
            level = context.reference.level
            got = [(f"level {r.step.level}", r.active.full_id) for r in rules if isinstance(r, LadderStepRule)]
            want = [(f"level {level}", self.compiled.ladders[context.ladder].full_id)] if level > context.prev else []
            subject = f"unit {context.unit}"
        if sorted(got) != sorted(want) or len(rules) != len(got):
            self._incident(Incident(
                kind="disagreement",
                detail=f"{subject}: durable-rules fired {got or 'nothing'}{' and unknown rules ' + str(names) if len(rules) != len(got) else ''}, "
                       f"the reference implies {want or 'nothing'}",
                events=(event.id,), worker_pid=self._worker.pid,
            ))

    def _action(self, event: StreamEvent, context: _MatterFact | _LadderFact, rule: MatterRule | LadderStepRule) -> Action:
        today = event.on
        if isinstance(rule, MatterRule):
            assert isinstance(context, _MatterFact)
            m, ev = context.entry.matter, context.evaluation
            clause = rule.active.clause
            if rule.kind == "催办":
                remaining = None
                if ev.deadline is not None:
                    try:
                        remaining = self._calendar.workdays_between(today, ev.deadline)
                    except HolidayDataMissing:
                        remaining = None
                message = urge_message(m.id, m.source, m.lead_unit, ev.deadline or today, remaining, clause.citation)
            else:
                message = overdue_message(m.id, m.source, m.lead_unit, ev.deadline, today, clause.citation)
            return Action(  # validated: pydantic-core checks these fields faster than model_construct copies them
                kind=rule.kind, subject=m.id, subject_type="matter", unit=m.lead_unit, on=today,
                caused_by=event.id, pack=self.compiled.id, rule=rule.active.full_id,
                citation=clause.citation, clause_text=clause.text, outcome=rule.active.rule.outcome,
                force=rule.active.rule.force, status=ev.status, deadline=ev.deadline,
                targets=(m.lead_unit, *m.co_units), copied_to=(), message=message,
                in_force=self.compiled.in_force_on(case_date(m))[0],
            )
        assert isinstance(context, _LadderFact)
        step = rule.step
        clause = self.compiled.clauses[step.clause]
        ref = context.reference
        ladder = rule.active.rule
        assert isinstance(ladder, LadderRule)
        tally = tally_text(ladder, context.tally)
        return Action(
            kind="问责", subject=context.unit, subject_type="unit", unit=context.unit, on=today,
            caused_by=event.id, pack=self.compiled.id, rule=rule.active.full_id,
            citation=clause.citation, clause_text=clause.text, outcome=step.outcome, force=ladder.force,
            level=step.level, window=ref.window, counted=ref.counted, events=ref.events,
            targets=tuple(step.targets), copied_to=tuple(step.copied_to),
            message=accountability_message(context.unit, ref.window, tally, step.level, step.outcome, clause.citation),
            in_force=ref.in_force,
        )
