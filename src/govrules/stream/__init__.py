"""The live supervision stream: events in, actions (催办, 逾期, 问责) out, as rules fire.

``Supervisor(pack).post(event)`` returns the actions the event caused. durable-rules does the
matching, in a worker process the Supervisor starts, watches and restarts; the semantics are the
reference evaluator's. See docs/stream.md.

Importing this package never needs durable-rules (the event and action models work everywhere);
creating a Supervisor raises :class:`StreamUnavailable`, naming the reason, where durable-rules
cannot be imported (e.g. Python 3.13+). The names below are loaded on first use, so that
``govrules watch``'s argument parser costs the CLI nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govrules.stream.actions import Action, ActionKind
    from govrules.stream.events import (
        AccountabilityOccurred, ClockTick, DeadlineSet, EventRejected, ExtensionRequested, MatterAssigned,
        MatterCompleted, ReportFiled, StreamEvent, event_json_schema, parse_event, parse_event_json,
    )
    from govrules.stream.supervisor import (
        Incident, LadderState, MatterState, Outcome, StreamState, StreamUnavailable, Supervisor,
        WorkerFailed, durable_status, require_durable,
    )
    from govrules.stream.watch import add_watch_arguments, watch_main

_WHERE = {
    "actions": ("Action", "ActionKind"),
    "events": ("AccountabilityOccurred", "ClockTick", "DeadlineSet", "EventRejected", "ExtensionRequested", "MatterAssigned",
               "MatterCompleted", "ReportFiled", "StreamEvent", "event_json_schema", "parse_event",
               "parse_event_json"),
    "supervisor": ("Incident", "LadderState", "MatterState", "Outcome", "StreamState", "StreamUnavailable",
                   "Supervisor", "WorkerFailed", "durable_status", "require_durable"),
    "watch": ("add_watch_arguments", "watch_main"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "AccountabilityOccurred", "Action", "ActionKind", "ClockTick", "DeadlineSet", "EventRejected",
    "ExtensionRequested", "Incident", "LadderState", "MatterAssigned", "MatterCompleted",
    "MatterState", "Outcome", "ReportFiled", "StreamEvent", "StreamState", "StreamUnavailable",
    "Supervisor", "WorkerFailed", "add_watch_arguments", "durable_status", "event_json_schema",
    "parse_event", "parse_event_json", "require_durable", "watch_main",
]
assert sorted(__all__) == sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'govrules.stream' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"govrules.stream.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
