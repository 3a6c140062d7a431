"""What the Supervisor answers: each posted event's :class:`Outcome`, the :class:`Incident` records of
what went wrong with the worker, and :class:`WorkerFailed` when no worker could be had."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from govrules.errors import GovrulesError
from govrules.stream.actions import Action
from govrules.stream.events import EventRejected


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

