"""What a supervision system tells the stream, one event at a time, in the interchange's spirit.

Each event has a ``type``, an ``id`` (unique in the stream) and the date ``on`` it happened.
Dates are ISO ``YYYY-MM-DD``; keys are English snake_case and also accepted by their Chinese names;
``type`` is also accepted in Chinese (时钟 交办 进展报告 延期申请 办结 确定时限 问责事件). Unknown keys are errors.

=====================  ==================================================================
``matter_assigned``    a 督查事项 enters supervision: ``matter`` is a matter object
                       (docs/interchange.md); its history, if any, must not be later than ``on``
``report``             a progress report (进展报告) on ``matter_id``, dated ``on``
``extension``          an extension (延期) asked on ``on``: ``new_deadline``, ``approved``
``completed``          ``matter_id`` was completed (办结) on ``on``
``deadline_set``       a time limit set for ``matter_id`` on ``on`` (确定时限, e.g. 第十五条
                       "按新确定的期限"): ``deadline`` becomes its ``explicit_deadline``
``clock``              a day passes: the stream's date becomes ``on``
``accountability_event``  a 问责事件 (``event``: an event object, its ``on`` not after this one's)
=====================  ==================================================================

Time moves only through these dates: every event's ``on`` is the stream's date from then on (a
``clock`` event is an event with nothing else in it), and an event dated before the stream's date
is refused. No wall clock is read, so replaying a stream gives the same actions.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, Union

from pydantic import Field, StrictBool, TypeAdapter, ValidationError

from govrules.errors import EXCERPT_CHARS, GovrulesError, InputError, excerpt
from govrules.json_reader import LineOf, parse_json_text
from govrules.models import Event, Matter
from govrules.models.base import CaseModel, zh
from govrules.models.categories import to_simplified
from govrules.models.cases import Id
from govrules.models.dates import IsoDate
from govrules.models.parse import explain_validation, parse_object


class EventRejected(GovrulesError):
    """An event the stream did not accept: nothing of it was applied, and the stream goes on.

    ``event_id`` is the event's id where it could be read, ``where`` names it (and the input line).
    """

    def __init__(self, where: str, problem: str, event_id: str | None = None) -> None:
        self.where = where
        self.problem = problem
        self.event_id = event_id
        super().__init__(f"{where}: {problem}" if where else problem)


class _StreamEvent(CaseModel):
    """What every stream event has: its id and its date."""

    id: Id = zh("编号")
    on: IsoDate = zh("日期")

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_defaults=False), ensure_ascii=False)


class MatterAssigned(_StreamEvent):
    """交办: a matter enters supervision."""

    type: Literal["matter_assigned"]
    matter: Matter = zh("事项")


class ReportFiled(_StreamEvent):
    """进展报告: the lead unit reported progress on the matter."""

    type: Literal["report"]
    matter_id: Id = zh("事项编号")


class ExtensionRequested(_StreamEvent):
    """延期申请: asked on ``on``; counts only if asked before the deadline (and approved)."""

    type: Literal["extension"]
    matter_id: Id = zh("事项编号")
    new_deadline: IsoDate = zh("延长至", "新时限")
    approved: StrictBool = zh("批准", "已批准", default=False)


class MatterCompleted(_StreamEvent):
    """办结: the matter was completed on ``on``."""

    type: Literal["completed"]
    matter_id: Id = zh("事项编号")


class DeadlineSet(_StreamEvent):
    """确定时限: the matter's time limit is set (or set anew, as 济南 第十五条 "按新确定的期限要求尽快
    办理"); from ``on``, ``deadline`` is its ``explicit_deadline``, and the pack decides what that means."""

    type: Literal["deadline_set"]
    matter_id: Id = zh("事项编号")
    deadline: IsoDate = zh("时限", "新确定的期限")


class ClockTick(_StreamEvent):
    """A day passes: nothing but the date."""

    type: Literal["clock"]


class AccountabilityOccurred(_StreamEvent):
    """问责事件: e.g. a 通报批评 or an 逾期未报结 of a unit."""

    type: Literal["accountability_event"]
    event: Event = zh("事件")


StreamEvent = Annotated[
    Union[MatterAssigned, ReportFiled, ExtensionRequested, MatterCompleted, DeadlineSet, ClockTick, AccountabilityOccurred],
    Field(discriminator="type"),
]
EVENT_TYPES: dict[str, type[_StreamEvent]] = {
    "matter_assigned": MatterAssigned,
    "report": ReportFiled,
    "extension": ExtensionRequested,
    "completed": MatterCompleted,
    "deadline_set": DeadlineSet,
    "clock": ClockTick,
    "accountability_event": AccountabilityOccurred,
}
TYPE_ALIASES: dict[str, str] = {
    "交办": "matter_assigned", "事项交办": "matter_assigned", "进展报告": "report", "报告": "report",
    "延期": "extension", "延期申请": "extension", "办结": "completed", "确定时限": "deadline_set", "时钟": "clock", "日期": "clock",
    "问责事件": "accountability_event", "问责": "accountability_event",
}
_ADAPTER: TypeAdapter[StreamEvent] = TypeAdapter(StreamEvent)
# spelled out for the type checker (isinstance narrows to the union); the same types as EVENT_TYPES
STREAM_EVENT_TYPES = (MatterAssigned, ReportFiled, ExtensionRequested, MatterCompleted, DeadlineSet, ClockTick,
                      AccountabilityOccurred)
assert set(STREAM_EVENT_TYPES) == set(EVENT_TYPES.values())


def parse_event(raw: object, where: str = "") -> StreamEvent:
    """One event from its JSON form (a dict); errors name the event, the field and what was expected."""
    if isinstance(raw, STREAM_EVENT_TYPES):
        return raw
    if not isinstance(raw, dict):
        raise EventRejected(where, f"expected a JSON object (an event), got {type(raw).__name__}")
    kind = raw.get("type", raw.get("类型"))
    if isinstance(kind, str) and kind not in EVENT_TYPES and kind not in TYPE_ALIASES:
        kind = to_simplified(kind)  # 進展報告 = 进展报告, as for every Chinese value
    kind = TYPE_ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        problem = "required" if kind is None else f"unknown value {excerpt(kind)}"
        raise _rejected(raw, where, f"type: {problem}; allowed values: {', '.join(EVENT_TYPES)}")
    model = EVENT_TYPES[kind]
    data = raw if raw.get("type") == kind and "类型" not in raw else {**{k: v for k, v in raw.items() if k != "类型"}, "type": kind}
    # the nested matter or event first, so that its errors name its fields in English
    inner = _NESTED.get(kind)
    if inner is not None:
        key, alias, inner_model = inner
        name = key if key in data else alias
        if isinstance(data.get(name), dict):
            try:
                parsed = parse_object(data[name], "", inner_model)
            except InputError as exc:
                problems = "; ".join(f"{key}.{p}" for p in exc.problem.split("; "))
                raise _rejected(raw, where, problems) from None
            data = {**data, name: parsed}
    try:
        return model.model_validate(data)  # type: ignore[return-value]  # the model chosen by `type`
    except ValidationError as exc:
        raise _rejected(raw, where, explain_validation(exc, model)) from None


def _rejected(raw: dict[Any, Any], where: str, problem: str) -> EventRejected:
    """The error for a bad event, naming the input line (if any) and the event's id where it can
    be read: made only when there is an error, so an accepted event costs no label."""
    ident = raw.get("id", raw.get("编号"))
    event_id = ident if isinstance(ident, str) else None
    shown = event_id if event_id is None or len(event_id) <= EXCERPT_CHARS else excerpt(event_id)
    label = f"{where}: event {shown}" if where and shown else (where or (f"event {shown}" if shown else ""))
    return EventRejected(label, problem, event_id)


# the event types that carry a nested object: (key, Chinese key, model)
_NESTED: dict[str, tuple[str, str, type[Matter] | type[Event]]] = {
    "matter_assigned": ("matter", "事项", Matter),
    "accountability_event": ("event", "事件", Event),
}


def parse_event_json(text: str, where: str = "") -> StreamEvent:
    """One event from a line of JSON."""
    line = re.fullmatch(r"(.+):(\d+)", where)  # a line of a file: a column is placed in it
    name = LineOf(line[1], int(line[2])) if line else (where or "<event>")
    try:
        raw: Any = parse_json_text(name, text.removeprefix("\ufeff"))
    except InputError as exc:  # the one JSON reader's JsonRefused
        raise EventRejected(exc.where, exc.problem) from None
    return parse_event(raw, where)


def event_json_schema() -> dict[str, Any]:
    """The JSON Schema of one stream event, for other systems."""
    schema: dict[str, Any] = _ADAPTER.json_schema(by_alias=False)
    schema["title"] = "govrules stream event"
    return schema
