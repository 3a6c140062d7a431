"""Running the service with uvicorn (imported only here, when a server is started)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules.errors import GovrulesError
from govrules.service.app import create_app

if TYPE_CHECKING:
    from govrules.service.doors import DoorLimits


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the service's own logger (where unexpected errors are logged)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["govrules"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(host: str, port: int, holiday_data: Sequence[str | Path] = (), log_level: str = "info",
          limits: DoorLimits | None = None) -> None:
    """Serve until interrupted. Packs and ``holiday_data`` are read before the port opens, so a
    bad file is a GovrulesError here rather than failed requests later. ``limits``: the sizes and
    timeouts of a request's head and body (govrules.service.doors; default DoorLimits())."""
    try:
        import uvicorn
    except ImportError as exc:
        raise GovrulesError(
            f"the HTTP service needs uvicorn, which is not installed ({exc}); "
            "install the extra with: pip install 'govrules[service]'"
        ) from None
    from govrules.service.doors import DoorLimits, guarded_protocol

    app = create_app(holiday_data)
    # the h11 protocol with the doors' limits, whether or not httptools is installed
    uvicorn.run(app, host=host, port=port, log_level=log_level, log_config=_log_config(),
                http=guarded_protocol(limits or DoorLimits()))
