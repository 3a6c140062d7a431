"""Reading a bounded input file's bytes, the one way every input file (cases, packs, holiday data,
ledgers) is read; decoding, with a byte-order mark accepted and a bad byte placed at line and
column, is ``govrules.json_reader.decode_utf8``."""

from __future__ import annotations

from pathlib import Path


class UnreadableFile(Exception):
    """Why a file could not be read; callers turn it into their own error with its location."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def size_refusal(size: int | str, limit: int, what: str) -> str:
    """The message for input over ``limit`` bytes, the same words for every reader."""
    megabytes = f" ({limit / 1_000_000:g} MB)" if limit >= 1_000_000 else ""
    return f"{what} is {size} bytes; the limit is {limit} bytes{megabytes}"


def read_bytes(path: str | Path, limit: int, what: str) -> bytes:
    """The file's bytes, refused by its size before any is read; ``what`` names the kind of file
    in the size message."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise UnreadableFile("not a file")
        if size > limit:
            raise UnreadableFile(size_refusal(size, limit, what))
        with file.open("rb") as stream:
            data = stream.read(limit + 1)  # a file that grew since stat is still bounded
        if len(data) > limit:
            raise UnreadableFile(size_refusal(f"more than {limit}", limit, what))
        return data
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror}") from None
