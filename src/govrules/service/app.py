"""The HTTP service: the CLI's operations over JSON (shared/design/interchange.md).

Every error is ``{"error", "message", "where"}`` with a 4xx status; an unexpected exception is
logged here and answered with a generic 500, never a traceback, and the server keeps serving.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from govrules import __version__
from govrules.calendar import WorkCalendar
from govrules.semantics.findings import Case
from govrules.semantics.results import results_json
from govrules.errors import GovrulesError, InputError, excerpt
from govrules.models import Document, Event, Matter, Meeting, parse_object, parse_objects
from govrules.packs import bundled_ids, bundled_pack
from govrules.packs.coverage import coverage
from govrules.packs.schema import Pack
from govrules.packs.summary import pack_summary
from govrules.service.errors import ApiError, error_response, from_govrules
from govrules.service.limits import check_count, read_json_body
from govrules.service.openapi import NOT_APPLIED, UNANSWERED, components, operation, ref
from govrules.service.params import DEADLINE_PARAMS, Query, run_params
from govrules.service.runs import Outcome, Run, prepare, run_accountability, run_evaluate

log = logging.getLogger("govrules.service")


class _App(FastAPI):
    """FastAPI whose OpenAPI document also holds the schemas the operations refer to (FastAPI
    builds components only for the models of its own validation, which the service bypasses)."""

    extra_components: dict[str, Any]  # set by create_app before the first request

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            doc = super().openapi()
            doc.setdefault("components", {}).setdefault("schemas", {}).update(self.extra_components)
        return self.openapi_schema or {}


class _Guard:
    """The last line: an exception no handler knew becomes a logged, generic 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except ClientDisconnect:
            return  # nobody is left to answer
        except Exception:
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if not started:
                response = error_response(500, "internal_error", "an unexpected error occurred in the service; it has been logged", "server")
                await response(scope, receive, send)


def _json(data: object) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


def _results(outcome: Outcome) -> Response:
    # the same bytes as `govrules ... --format json`
    response = Response(results_json(outcome.results), media_type="application/json")
    header = outcome.header()
    if header:
        response.headers[NOT_APPLIED] = header
    unanswered = outcome.unanswered()
    if unanswered:
        response.headers[UNANSWERED] = unanswered
    return response


def _pack_detail(pack: Pack) -> dict[str, Any]:
    return {
        "summary": pack_summary(pack),
        "clauses": [c.model_dump(mode="json", by_alias=True) for c in pack.clauses],
        "interpretations": [i.model_dump(mode="json", by_alias=True) for i in pack.interpretations],
        "rules": [r.model_dump(mode="json", by_alias=True) for r in pack.rules],
        "coverage": [c.to_dict() for c in coverage(pack)],
    }


def _cases(data: object) -> list[Case]:
    cases = parse_objects(data, "body")
    out: list[Case] = []
    for i, case in enumerate(cases):
        if not isinstance(case, (Matter, Meeting, Document)):
            raise InputError(f"body: [{i}] (id {getattr(case, 'id')})", "type: an event (问责事件) cannot be evaluated; send events to POST /accountability")
        out.append(case)
    return out


_DEADLINE_FIELDS = {"source": "source", "urgency": "urgency", "complex": "complex",
                    "assigned_on": "assigned", "explicit_deadline": "explicit_deadline"}


def _deadline_matter(q: Query) -> Matter:
    raw: dict[str, Any] = {
        "type": "matter", "id": "deadline-query", "source": q.text("source"),
        "assigned_on": q.required_date("assigned").isoformat(), "urgency": q.text("urgency"),
        "complex": q.flag("complex"), "lead_unit": "(查询)",
    }
    if raw["urgency"] is None:
        raw["urgency"] = "一般"
    explicit = q.date("explicit_deadline")
    if explicit is not None:
        raw["explicit_deadline"] = explicit.isoformat()
    try:
        matter = parse_object(raw, "query", Matter)
    except InputError as exc:
        field = exc.problem.partition(":")[0]
        where = f"query.{_DEADLINE_FIELDS[field]}" if field in _DEADLINE_FIELDS else "query"
        raise ApiError(422, "invalid_parameter", str(exc), where) from None
    assert isinstance(matter, Matter)
    return matter


def create_app(holiday_data: Sequence[str | Path] = ()) -> FastAPI:
    """The service over the bundled packs; ``holiday_data``: files of years the built-in calendar
    lacks (docs/holiday-data.md). Packs and holiday files are read now, so a bad one stops the
    start-up with a GovrulesError instead of failing requests later."""
    bundled = {pack_id: bundled_pack(pack_id) for pack_id in bundled_ids()}
    calendar = WorkCalendar.default()
    for path in holiday_data:
        calendar = calendar.with_year_file(path)

    app = _App(title="govrules", version=__version__, docs_url=None, redoc_url=None,
               description="Deadlines, findings and accountability from cited rule packs of Chinese municipal regulations.")
    app.extra_components = components()
    app.add_middleware(_Guard)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return exc.response()

    @app.exception_handler(GovrulesError)
    async def govrules_error(request: Request, exc: GovrulesError) -> Response:
        return from_govrules(exc, "body").response()

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        kinds = {404: "not_found", 405: "method_not_allowed"}
        message = f"no operation {request.method} {request.url.path}" if exc.status_code in kinds else str(exc.detail)
        response = error_response(exc.status_code, kinds.get(exc.status_code, "http_error"), message, "path")
        response.headers.update(exc.headers or {})
        return response

    ids = list(bundled)
    evaluate_params = run_params(ids)
    deadline_params = DEADLINE_PARAMS + run_params(ids, as_of_required=False)
    pack_id = {"name": "pack_id", "in": "path", "required": True, "schema": {"type": "string", "enum": ids}}

    @app.get("/packs", openapi_extra=operation("the bundled packs", [], {"type": "array", "items": ref("PackSummary")}, []))
    def packs() -> Response:
        return _json([pack_summary(p) for p in bundled.values()])

    @app.get("/packs/{pack_id}", openapi_extra=operation(
        "one pack: its clauses, readings, rules and coverage", [], ref("PackDetail"), [404], path_params=[pack_id]))
    def pack(request: Request) -> Response:
        name = request.path_params["pack_id"]
        if name not in bundled:
            raise ApiError(404, "unknown_pack", f"no bundled pack {excerpt(name)}; bundled packs: {', '.join(bundled)}", "path.pack_id")
        return _json(_pack_detail(bundled[name]))

    @app.post("/evaluate", openapi_extra=operation(
        "deadline, status and findings for each 事项/会议/公文", evaluate_params,
        {"type": "array", "items": ref("Evaluation")}, [400, 404, 413, 415, 422], body=ref("CaseObject"), not_applied=True))
    async def evaluate(request: Request) -> Response:
        return await _posted(request, lambda run, data, as_of: run_evaluate(
            run, _cases(data), as_of, [("query.as_of", as_of)], "body"))

    @app.post("/accountability", openapi_extra=operation(
        "each unit's step on the accountability ladder", evaluate_params,
        {"type": "array", "items": ref("UnitAccountability")}, [400, 404, 413, 415, 422], body=ref("Event"), not_applied=True))
    async def accountability(request: Request) -> Response:
        return await _posted(request, lambda run, data, as_of: run_accountability(
            run, [e for e in parse_objects(data, "body", Event) if isinstance(e, Event)], as_of))

    async def _posted(request: Request, work: Callable[[Run, Any, date], Outcome]) -> Response:
        """A POST of cases or events: the query's date and choices are checked, then the body is
        read; the work (parsing included) runs on a worker thread."""
        q = Query(request.query_params, evaluate_params)
        as_of = q.required_date("as_of")
        run = prepare(bundled, calendar, q)
        data = await read_json_body(request)
        check_count(data, len(run.packs))
        return _results(await run_in_threadpool(work, run, data, as_of))

    @app.get("/deadline", openapi_extra=operation(
        "the deadline of one matter", deadline_params, {"type": "array", "items": ref("Evaluation")}, [404, 422],
        not_applied=True))
    async def deadline(request: Request) -> Response:
        q = Query(request.query_params, deadline_params)
        matter = _deadline_matter(q)
        run = prepare(bundled, calendar, q)
        as_of = q.date("as_of") or matter.assigned_on
        dates = [("query.assigned", matter.assigned_on), ("query.as_of", as_of), ("query.explicit_deadline", matter.explicit_deadline)]
        return _results(await run_in_threadpool(run_evaluate, run, [matter], as_of, dates, "query", "raise"))

    return app
