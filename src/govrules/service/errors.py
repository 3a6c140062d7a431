"""Every error the service answers with: a status, a kind, a message and where the problem is.

The body is always ``{"error": kind, "message": ..., "where": ...}``; ``where`` names the part of
the request at fault (``query.as_of``, ``body: [2] (id DC-3): assigned_on``, ``body:3:14``).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import JSONResponse

from govrules.errors import GovrulesError, HolidayDataMissing, InputError, NotInForce

# the JSON Schema of the error body, for the OpenAPI document
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "properties": {
        "error": {"type": "string", "description": "the kind of problem, e.g. invalid_input, unknown_pack"},
        "message": {"type": "string"},
        "where": {"type": "string", "description": "the part of the request at fault"},
    },
    "required": ["error", "message", "where"],
    "additionalProperties": False,
}

# a problem from govrules.models starts with the field it concerns, e.g. "assigned_on: ..."
_FIELD = re.compile(r"^([A-Za-z_][\w.\[\]]*): ")


class ApiError(Exception):
    def __init__(self, status: int, kind: str, message: str, where: str) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.where = status, kind, message, where

    def response(self) -> JSONResponse:
        return error_response(self.status, self.kind, self.message, self.where)


# Every quoted value is cut to an excerpt where the message is made (govrules.errors.excerpt);
# this bounds the whole answer too, so that no message can echo a request without limit.
MAX_MESSAGE_CHARS = 4000
MAX_WHERE_CHARS = 400


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_response(status: int, kind: str, message: str, where: str) -> JSONResponse:
    body = {"error": kind, "message": _bounded(message, MAX_MESSAGE_CHARS), "where": _bounded(where, MAX_WHERE_CHARS)}
    return JSONResponse(body, status_code=status)


def input_error(exc: InputError) -> ApiError:
    """A malformed object: ``where`` is the object and, when one problem names it, the field."""
    field = _FIELD.match(exc.problem)
    where = f"{exc.where}: {field.group(1)}" if field else exc.where
    return ApiError(422, "invalid_input", str(exc), where)


def from_govrules(exc: GovrulesError, where: str) -> ApiError:
    """Any other error govrules raises about the request, as a 422 at ``where``."""
    if isinstance(exc, InputError):
        return input_error(exc)
    if isinstance(exc, HolidayDataMissing):
        hint = ("; over HTTP: add provisional=true for weekends-only answers, or install the year on the "
                "service's machine (`govrules calendar add FILE`) and restart the service")
        return ApiError(422, "holiday_data_missing", f"{exc}{hint}", where)
    if isinstance(exc, NotInForce):
        return ApiError(422, "not_in_force", f"{exc}; over HTTP: name the pack and add allow_not_in_force=true", where)
    return ApiError(422, "invalid_input", str(exc), where)
