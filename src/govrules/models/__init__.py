"""The inputs of govrules: 事项 (Matter), 会议 (Meeting), 公文 (Document), 问责事件 (Event)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from govrules.models.cases import CASE_TYPES, Case, Document, Event, Extension, Matter, Meeting
from govrules.models.parse import load_objects, parse_object, parse_objects, read_json

__all__ = [
    "Case", "Document", "Event", "Extension", "Matter", "Meeting",
    "cases_json_schema", "load_objects", "parse_object", "parse_objects", "read_json",
]


def cases_json_schema() -> dict[str, Any]:
    """The JSON Schema of one input object (any of the four types), for other systems."""
    union = Matter | Meeting | Document | Event
    schema: dict[str, Any] = TypeAdapter(union).json_schema(by_alias=False)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govrules input object"
    return schema


def cases_json_schema_text() -> str:
    """The input JSON Schema as stable text (published as docs/cases.schema.json)."""
    return json.dumps(cases_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


assert set(CASE_TYPES) == {"matter", "meeting", "document", "event"}
