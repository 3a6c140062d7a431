"""Reading a bounded UTF-8 text file, the one way every input file (cases, packs, holiday data)
is read. A byte-order mark is accepted: files saved by Windows editors often carry one."""

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


def decode_text(data: bytes) -> str:
    """UTF-8 text, a byte-order mark dropped; raises ``UnreadableFile`` naming the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start})") from None


def read_text(path: str | Path, limit: int, what: str) -> str:
    """The file's text; ``what`` names the kind of file in the size message."""
    return decode_text(read_bytes(path, limit, what))
