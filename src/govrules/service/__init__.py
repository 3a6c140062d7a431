"""The HTTP service (``govrules serve``): FastAPI over the engine, speaking the interchange JSON.

FastAPI and uvicorn are the optional extra ``govrules[service]``; ``import govrules`` never
imports them, and importing this package without them says how to install them.
"""

from __future__ import annotations

from govrules.errors import GovrulesError

try:
    import fastapi  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise GovrulesError(
        f"the HTTP service needs FastAPI, which is not installed ({exc}); "
        "install the extra with: pip install 'govrules[service]'"
    ) from None

from govrules.service.app import create_app
from govrules.service.server import serve

__all__ = ["create_app", "serve"]
