"""Reading a request body within limits: its size, its media type, its JSON and its length.

The size is checked twice: from Content-Length before anything is read (so a client cannot make
the server buffer a body it will refuse) and again while reading (chunked bodies have no length,
and a declared length may lie).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from govrules.errors import excerpt
from govrules.json_reader import JsonRefused, read_json_bytes
from govrules.service.errors import ApiError

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_OBJECTS = 10_000
MAX_EVALUATIONS = 50_000  # objects × packs: 10,000 objects under each of the 5 bundled packs


def _too_large(size: str) -> ApiError:
    return ApiError(413, "payload_too_large", f"the request body is {size} bytes; the limit is {MAX_BODY_BYTES}", "body")


def check_media_type(request: Request) -> None:
    value = request.headers.get("content-type")
    if value is None:
        raise ApiError(415, "unsupported_media_type", "the request has no Content-Type; send application/json", "header.content-type")
    media, _, params = value.partition(";")
    if media.strip().lower() != "application/json":
        raise ApiError(415, "unsupported_media_type", f"Content-Type {excerpt(media.strip())} is not supported; send application/json", "header.content-type")
    for param in params.split(";"):
        name, _, charset = param.partition("=")
        if name.strip().lower() == "charset" and charset.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ApiError(415, "unsupported_media_type", f"charset {excerpt(charset.strip())} is not supported; JSON is sent as utf-8", "header.content-type")


async def read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    # the HTTP server has refused a non-numeric length already; the count below still applies
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large(f"declared as {int(declared)}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large(f"more than {MAX_BODY_BYTES}")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes) -> object:
    """The JSON value of the body, read by the one JSON reader (as the CLI reads files): an error
    is a 400 ``malformed_json`` whose ``where`` is ``body:line:col`` where the place is known."""
    if not body.strip():
        raise ApiError(400, "malformed_json", "the request body is empty; send a JSON object or array", "body")
    try:
        return read_json_bytes("body", body, MAX_BODY_BYTES, "the request body")
    except JsonRefused as exc:
        raise ApiError(400, "malformed_json", exc.problem, exc.where) from None


def check_count(data: object, packs: int = 1) -> None:
    """At most MAX_OBJECTS objects, and at most MAX_EVALUATIONS objects × packs evaluated (the
    packs named, de-duplicated, or without ``pack`` every bundled pack, each counted whole though
    it applies only to the objects dated within its time in force): the work a request asks for."""
    objects = len(data) if isinstance(data, list) else 1
    if objects > MAX_OBJECTS:
        raise ApiError(413, "too_many_objects", f"the body holds {objects} objects; the limit is {MAX_OBJECTS} per request", "body")
    if objects * packs > MAX_EVALUATIONS:
        raise ApiError(413, "too_many_objects", f"the request asks for {objects} objects × {packs} packs = "
                       f"{objects * packs} evaluations; the limit is {MAX_EVALUATIONS} per request", "body")


async def read_json_body(request: Request) -> object:
    check_media_type(request)
    body = await read_body(request)
    data = await run_in_threadpool(parse_json, body)  # megabytes of JSON: keep the event loop free
    check_count(data)
    return data
