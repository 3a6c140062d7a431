"""The durable-rules worker process seen from the Supervisor: starting it, talking to it, reaping it.

durable-rules is a C engine that can crash its process, so it runs in worker.py, a separate
process; :class:`WorkerProcess` is the Supervisor's end of the pipe. ``durable_status`` says
whether durable-rules imports here at all (the stream's only hard requirement).
"""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import sys
import weakref
from itertools import count
from pathlib import Path
from typing import Any, Literal

from govrules.errors import GovrulesError
from govrules.stream.outcomes import WorkerFailed

WORKER_SCRIPT = Path(__file__).with_name("worker.py")


# -- availability ---------------------------------------------------------------------------------

class StreamUnavailable(GovrulesError):
    """durable-rules cannot be used here, so neither can the supervision stream."""


def durable_status() -> tuple[bool, str]:
    """Whether durable-rules imports here, and if not, why (the whole reason, for the error)."""
    try:
        import durable.engine  # noqa: F401  # the C engine loads; nothing runs until a ruleset exists
    except Exception as exc:  # ImportError, or a broken build failing in its own way
        version = ".".join(map(str, sys.version_info[:3]))
        return False, (
            f"the supervision stream (govrules.stream) needs durable-rules, which cannot be imported "
            f"here ({type(exc).__name__}: {exc}). durable-rules builds from source only and does not "
            f"import on Python 3.13 or newer (this is Python {version}), so govrules installs it only "
            "where python_version < '3.13'. Everything else in govrules works without it; for the "
            "stream, use Python 3.11 or 3.12 with gcc and the Python headers to build durable-rules"
        )
    return True, ""


def require_durable() -> None:
    ok, why = durable_status()
    if not ok:
        raise StreamUnavailable(why)


# -- the worker process ---------------------------------------------------------------------------

class WorkerGone(Exception):
    """The worker died, hung or answered out of protocol; the message says which."""

    def __init__(self, kind: Literal["worker_died", "worker_hung", "worker_error"], detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


_names = count(1)


class WorkerProcess:
    """One durable-rules worker (worker.py run as a script), and the pipe to it."""

    def __init__(self, ruleset_json: str, label: str, start_timeout: float = 60.0) -> None:
        self._json = ruleset_json
        self.name = f"govrules-{label}-{next(_names)}"  # a name durable-rules has never seen here
        parent, child = multiprocessing.Pipe()
        self._proc = subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT), str(child.fileno())],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
        )
        child.close()
        self._conn = parent
        self._finalizer = weakref.finalize(self, reap, self._proc, self._conn)
        try:
            self.send(("load", self.name, ruleset_json))
            reply = self.recv(start_timeout)
        except WorkerGone as exc:
            self.kill()
            raise WorkerFailed(f"the durable-rules worker did not start: {exc.detail}") from None
        if reply[0] == "unavailable":
            self.kill()
            raise StreamUnavailable(f"the durable-rules worker cannot import durable-rules: {reply[1]}")
        if reply[0] != "ready":
            self.kill()
            raise WorkerFailed(f"the durable-rules worker refused the ruleset: {reply[1:]}")

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    def _gone(self) -> WorkerGone:
        try:
            code = self._proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            return WorkerGone("worker_died", f"worker {self.pid} closed its pipe")
        if code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        return WorkerGone("worker_died", f"worker {self.pid} {how}")

    def send(self, msg: tuple[Any, ...]) -> None:
        try:
            self._conn.send(msg)
        except (OSError, EOFError, ValueError):
            raise self._gone() from None

    def recv(self, timeout: float) -> tuple[Any, ...]:
        try:
            ready = self._conn.poll(timeout)
        except (OSError, EOFError):
            raise self._gone() from None
        if not ready:
            self.kill()
            raise WorkerGone("worker_hung", f"worker {self.pid} gave no answer in {timeout:g} s and was killed")
        try:
            reply = self._conn.recv()
        except (OSError, EOFError):
            raise self._gone() from None
        if not isinstance(reply, tuple) or not reply:
            raise WorkerGone("worker_error", f"worker {self.pid} answered out of protocol: {reply!r}")
        return reply

    def kill(self) -> None:
        reap(self._proc, self._conn)

    def stop(self) -> None:
        try:
            self.send(("stop",))
            self.recv(5.0)
        except WorkerGone:
            pass
        self.kill()


def reap(proc: subprocess.Popen[bytes], conn: Any) -> None:
    try:
        conn.close()
    except OSError:
        pass
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=5.0)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process SIGKILL cannot stop
        pass

