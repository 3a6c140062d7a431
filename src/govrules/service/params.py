"""Query parameters: one table describes each (for the OpenAPI document) and the reader checks
them with the CLI's messages, so ``as_of=2026-02-30`` fails as ``--as-of 2026-02-30`` does.

The service reads them itself rather than through FastAPI's validation so that every error is
the service's own JSON, names ``query.<name>``, and an unknown parameter is an error, not ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from govrules.errors import excerpt
from govrules.models.categories import MatterSource, Urgency, allowed_values
from govrules.models.dates import parse_iso_date
from govrules.packs.readings import READING_CHOICE
from govrules.service.errors import ApiError

DATE_SCHEMA: dict[str, Any] = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_INT = re.compile(r"^[+-]?\d{1,9}$")


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False
    repeatable: bool = False

    def openapi(self) -> dict[str, Any]:
        schema = {"type": "array", "items": self.schema} if self.repeatable else self.schema
        out: dict[str, Any] = {"name": self.name, "in": "query", "required": self.required,
                               "description": self.description, "schema": schema}
        if self.repeatable:
            out |= {"style": "form", "explode": True}
        return out


def run_params(pack_ids: Sequence[str], as_of_required: bool = True) -> list[Param]:
    """The parameters shared by /evaluate, /accountability and /deadline (the CLI's common options)."""
    as_of = ("evaluation date YYYY-MM-DD; required: the service never reads the clock" if as_of_required
             else "evaluation date YYYY-MM-DD (default: the assigned date)")
    return [
        Param("pack", {"type": "string", "enum": list(pack_ids)},
              "bundled pack id; repeatable. Default: every bundled pack, each applied only to the objects "
              "dated within its time in force (the header Govrules-Not-Applied counts those left out)",
              repeatable=True),
        Param("as_of", DATE_SCHEMA, as_of, required=as_of_required),
        Param("interpretation", {"type": "string", "pattern": READING_CHOICE.pattern},
              "[PACK:]ID=OPTION: another reading a pack declares; repeatable", repeatable=True),
        Param("allow_not_in_force", {"type": "boolean", "default": False},
              "apply named packs outside their time in force (findings are marked in_force: false)"),
        Param("warning_days", {"type": "integer", "minimum": 0, "maximum": 60, "default": 3},
              "临期 window in working days"),
        Param("provisional", {"type": "boolean", "default": False},
              "count years without holiday data by weekends only (results marked provisional)"),
    ]


DEADLINE_PARAMS = [
    Param("source", {"type": "string", "enum": list(allowed_values(MatterSource))}, "事项来源", required=True),
    Param("assigned", DATE_SCHEMA, "交办日期 YYYY-MM-DD", required=True),
    Param("urgency", {"type": "string", "enum": list(allowed_values(Urgency)), "default": "一般"}, "紧急程度"),
    Param("complex", {"type": "boolean", "default": False}, "情况复杂、涉及面广"),
    Param("explicit_deadline", DATE_SCHEMA, "明确时限 YYYY-MM-DD"),
]


def _bad(name: str, problem: str) -> ApiError:
    return ApiError(422, "invalid_parameter", f"{name}: {problem}", f"query.{name}")


class Query:
    """The query string of one request, checked against the parameters the operation declares."""

    def __init__(self, params: QueryParams, declared: Sequence[Param]) -> None:
        self._params = params
        self._declared = {p.name: p for p in declared}
        for name in params:
            if name not in self._declared:
                raise _bad(name, f"unknown parameter; allowed: {', '.join(self._declared)}")
        for p in declared:
            values = params.getlist(p.name)
            if p.required and not values:
                raise _bad(p.name, "required parameter is missing")
            if len(values) > 1 and not p.repeatable:
                raise _bad(p.name, f"given {len(values)} times; give it once")

    def text(self, name: str) -> str | None:
        return self._params.get(name)

    def texts(self, name: str) -> list[str]:
        return self._params.getlist(name)

    def date(self, name: str) -> dt.date | None:
        value = self._params.get(name)
        if value is None:
            return None
        try:
            return parse_iso_date(value)
        except ValueError as exc:
            raise _bad(name, str(exc)) from None

    def required_date(self, name: str) -> dt.date:
        value = self.date(name)
        if value is None:
            raise _bad(name, "required parameter is missing")
        return value

    def flag(self, name: str) -> bool:
        value = self._params.get(name)
        if value is None:
            return bool(self._declared[name].schema.get("default", False))
        if value not in ("true", "false"):
            raise _bad(name, f"expected true or false, got {excerpt(value)}")
        return value == "true"

    def integer(self, name: str) -> int:
        p = self._declared[name]
        value = self._params.get(name)
        if value is None:
            return int(p.schema["default"])
        if not _INT.match(value):
            raise _bad(name, f"expected a whole number, got {excerpt(value)}")
        lo, hi = p.schema["minimum"], p.schema["maximum"]
        if not lo <= int(value) <= hi:
            raise _bad(name, f"must be from {lo} to {hi}, got {int(value)}")
        return int(value)
