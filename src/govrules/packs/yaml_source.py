"""Reading a pack's YAML: the hardened reader of ``govrules.yaml_reader`` (no anchors, aliases,
non-core tags or duplicate keys; positions kept for file:line:column errors with a caret), its
problems raised as ``PackError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govrules.errors import PackError
from govrules.json_reader import JsonRefused, decode_utf8
from govrules.textfile import UnreadableFile, read_bytes
from govrules.yaml_reader import MAX_SCALAR_CHARS, Path_, Positions, YamlRefused, read_yaml_text

__all__ = ["MAX_FILE_BYTES", "MAX_SCALAR_CHARS", "Path_", "Positions", "read_yaml"]

MAX_FILE_BYTES = 1_000_000


def read_yaml(path: str | Path, text: str | None = None) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data plus the positions of its values."""
    name = str(path)
    if text is None:
        try:
            text = decode_utf8(name, read_bytes(path, MAX_FILE_BYTES, "a pack"))
        except UnreadableFile as exc:
            raise PackError(f"{name}:1:1", exc.problem) from None
        except JsonRefused as exc:  # a bad byte, placed at file:line:col as for every input
            raise PackError(exc.where, exc.problem) from None
    elif len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise PackError(f"{name}:1:1", f"pack text is over {MAX_FILE_BYTES} bytes")
    try:
        return read_yaml_text(name, text, "a pack")
    except YamlRefused as exc:
        raise PackError(exc.location, exc.problem) from None
