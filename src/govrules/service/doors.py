"""The service's doors: limits on how large a request's head may be and how long a request may take
to arrive, kept in uvicorn's h11 protocol (this module is imported only when a server is started).

uvicorn closes an idle keep-alive connection, but nothing bounds a request that arrives slowly
(a head or a body dripped a byte at a time: slowloris), and a head over h11's buffer is answered
with a plain-text 400 and a reset. The limits are the protocol's, since no ASGI middleware sees a
request before its head is complete:

- a request line (method, target, version) over ``max_url_bytes``: 414 ``uri_too_long``;
- a head (request line and headers) over ``max_header_bytes``: 431 ``request_header_fields_too_large``;
- a head not complete ``header_timeout`` seconds after its first byte (or after the connection
  opened): 408 ``request_timeout``; a connection that sent nothing is closed without an answer;
- a body not complete ``body_timeout`` seconds after its head: 408 ``request_timeout`` if the
  answer has not started, else the connection is closed;
- a request h11 cannot read (a malformed request line or header, a bad Content-Length): 400
  ``malformed_request``, where uvicorn would answer in plain text.

Each answer is the service's JSON error with ``Connection: close``. The server then reads no more
requests on the connection but drains what the client still sends for ``linger`` seconds, so the
client reads the answer instead of a reset, and closes.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState


@dataclass(frozen=True)
class DoorLimits:
    max_url_bytes: int = 8 * 1024
    max_header_bytes: int = 16 * 1024
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    linger: float = 2.0


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the limits above; ``guarded_protocol`` makes one per DoorLimits."""

    limits: ClassVar[DoorLimits] = DoorLimits()

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        # h11 refuses a head over its buffer size with its own error; ours must come first
        self.conn = h11.Connection(h11.SERVER, max(DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, self.limits.max_header_bytes + 1))
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._head_started = False  # a byte of the current head has arrived
        self._refused = False  # answered with an error: only draining now

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._late, "head")

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # drained
        if self.conn.their_state is h11.IDLE:
            self._head_started = True
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(self.limits.header_timeout, self._late, "head")
            if self._head_too_large(self.conn.trailing_data[0] + data):
                return
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        if not self._refused:
            self._follow_state()

    def send_400_response(self, msg: str) -> None:
        """h11 could not read the request (uvicorn would answer in plain text): the JSON error."""
        self._refuse(400, "malformed_request", "the request is not valid HTTP/1.1", "request")

    def _follow_state(self) -> None:
        """Arm or cancel the timers as h11's view of the client's side moves on."""
        state = self.conn.their_state
        if state is not h11.IDLE and self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer, self._head_started = None, False
        if state is h11.SEND_BODY and self._body_timer is None:
            self._body_timer = self.loop.call_later(self.limits.body_timeout, self._late, "body")
        elif state is not h11.SEND_BODY and self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
        if state is h11.IDLE and self._head_timer is None and self.conn.trailing_data[0]:
            self._head_started = True  # a pipelined request's head is under way
            self._head_timer = self.loop.call_later(self.limits.header_timeout, self._late, "head")

    def _head_too_large(self, head: bytes) -> bool:
        """Refuse a head (so far) whose request line or whole is over its limit; True if refused."""
        line = head.find(b"\n")
        line_size = len(head) if line < 0 else len(head[:line].rstrip(b"\r"))
        if line_size > self.limits.max_url_bytes:
            self._refuse(414, "uri_too_long", f"the request line is more than {self.limits.max_url_bytes} bytes; "
                         "send a shorter URL", "url")
            return True
        ends = [i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0]
        head_size = min(ends) if ends else len(head)
        if head_size > self.limits.max_header_bytes:
            self._refuse(431, "request_header_fields_too_large", f"the request's headers are more than "
                         f"{self.limits.max_header_bytes} bytes", "header")
            return True
        return False

    def _late(self, part: str) -> None:
        if self._refused or self.transport.is_closing():
            return
        if part == "head":
            self._head_timer = None
            if not self._head_started:
                self.transport.close()  # nothing was asked: nothing to answer
                return
            self._refuse(408, "request_timeout", f"the request's headers did not arrive within "
                         f"{self.limits.header_timeout:g} s", "header")
        else:
            self._body_timer = None
            if self.cycle is not None and self.cycle.response_started:
                self.transport.close()  # too late for an answer of our own
                return
            self._refuse(408, "request_timeout", f"the request's body did not arrive within "
                         f"{self.limits.body_timeout:g} s of its headers", "body")

    def _refuse(self, status: int, kind: str, message: str, where: str) -> None:
        """Answer with the service's JSON error and close, draining the client's rest meanwhile."""
        self._refused = True
        self._cancel_timers()
        if self.cycle is not None and not self.cycle.response_complete:
            # the application, if still running, sees a disconnect and writes nothing more
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        body = json.dumps({"error": kind, "message": message, "where": where}).encode()
        head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
                f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
        self.transport.write(head + body)
        self.transport.resume_reading()
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(self.limits.linger, self.transport.close)

    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = None


def guarded_protocol(limits: DoorLimits) -> type[GuardedH11Protocol]:
    """The protocol class to give uvicorn (``Config(http=...)``) for these limits."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"limits": limits})
