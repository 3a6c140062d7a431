"""The stream's memory: every accepted event, each matter's last evaluation, each unit's step.

Preparing an event changes the state before durable-rules has answered for it (the Supervisor
prepares the next events while the worker matches the last), so each such change records how to
undo it: an event the worker cannot be made to answer for is refused late, and nothing of it stays.
What is learnt from the worker's answer (a unit's step, the actions emitted) is final when learnt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from govrules.semantics.results import Status
from govrules.models import Event, Matter
from govrules.models.dates import IsoDate
from govrules.stream.events import StreamEvent


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




class Entry(NamedTuple):  # a tuple: made several times per event, cheaply
    matter: Matter
    order: int
    status: Status | None
    deadline: date | None
    recheck: date | None  # the first day its status may change with time alone; None: never
    reports_count: bool  # whether a progress report may change its status


class State:
    """Everything accepted so far; each change made before the worker answers records how to undo it."""

    def __init__(self) -> None:
        self.clock: date | None = None
        self.seen: set[str] = set()
        self.matters: dict[str, Entry] = {}
        self.due: dict[str, date] = {}  # matters to re-evaluate on or after a date
        self.unit_events: dict[str, list[Event]] = {}
        self.in_force: dict[str, bool] = {}  # accountability event id -> in force on its date
        # (ladder index, unit) -> (window, step reached): what durable-rules fired, learnt from its answers
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

    def set_matter(self, mid: str, entry: Entry) -> None:
        old, old_due = self.matters.get(mid), self.due.get(mid)
        self.matters[mid] = entry
        if entry.recheck is None:
            self.due.pop(mid, None)
        else:
            self.due[mid] = entry.recheck
        self._undo.append(lambda: self._restore_matter(mid, old, old_due))

    def _restore_matter(self, mid: str, old: Entry | None, old_due: date | None) -> None:
        if old is None:
            self.matters.pop(mid, None)
        else:
            self.matters[mid] = old
        if old_due is None:
            self.due.pop(mid, None)
        else:
            self.due[mid] = old_due

    def add_unit_event(self, ev: Event, in_force: bool) -> None:
        self.unit_events.setdefault(ev.unit, []).append(ev)
        old = self.in_force.get(ev.id)
        self.in_force[ev.id] = in_force
        self._undo.append(lambda: self._pop_unit_event(ev, old))

    def _pop_unit_event(self, ev: Event, in_force: bool | None) -> None:
        self.unit_events[ev.unit].pop()
        if in_force is None:
            self.in_force.pop(ev.id, None)
        else:
            self.in_force[ev.id] = in_force

    def level(self, key: tuple[int, str], window: str) -> int:
        """The step a unit has reached on a ladder in ``window`` (0 in a window not seen yet)."""
        seen = self.levels.get(key)
        return seen[1] if seen is not None and seen[0] == window else 0

    def set_level(self, key: tuple[int, str], window: str, level: int) -> None:
        """Learnt from durable-rules' answer for an accepted event: final, no undo record."""
        self.levels[key] = (window, level)

    def emit(self, key: tuple[str, str]) -> bool:
        """Record an action; False if it was emitted before (a replay). Only an answered event's
        actions are emitted, and an answered event is never undone: no undo record."""
        if key in self.emitted:
            return False
        self.emitted.add(key)
        return True
