"""Read JSON input as plain data: the one reader of every JSON door (case files and JSON ledgers,
``evaluate -``, HTTP bodies, ``watch`` lines, JSON holiday-data files, stream events).

The standard library's parser is fast but lenient: it keeps the last of two duplicate keys,
accepts NaN and Infinity, and overflows the C stack (a ``RecursionError``) on a deep enough
nesting. So the bytes are checked around it, the same way for every caller:

- size: refused before anything is decoded when over the caller's ``limit``;
- encoding: UTF-8, an optional byte-order mark dropped; a bad byte is placed at ``name:line:col``;
- depth: at most ``MAX_DEPTH`` nested arrays/objects (the parser stops itself at Python's recursion
  limit, and a walk of the parsed containers checks the bound);
- duplicate keys and NaN/Infinity: refused, the key named and its object placed at ``line:col``.

Every problem is a ``JsonRefused`` (an ``InputError``): ``where`` is ``name:line:col`` (or
``name`` alone), ``problem`` says what was found and what was expected, quoting at most
``excerpt``'s bounded excerpt of the input.
"""

from __future__ import annotations

import json
import re
from json.decoder import JSONObject  # type: ignore[attr-defined]  # the pure-Python object parser
from json.scanner import py_make_scanner  # type: ignore[attr-defined]
from typing import Any, Final

from govrules.errors import InputError, excerpt
from govrules.textfile import size_refusal

# Far deeper than any case, ledger or event; the parser recurses, so nesting must be bounded.
MAX_DEPTH: Final = 64
_BOM: Final = b"\xef\xbb\xbf"
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
# Python refuses to turn more digits than this into an int (a quadratic-time guard); say so plainly
_MAX_DIGITS: Final = 4300
# the pure-Python parse that places a duplicate key runs at ~5 MB/s: beyond this, the key is named alone
_LOCATE_CHARS: Final = 5_000_000


class JsonRefused(InputError):
    """Why a JSON text was refused; ``where`` is ``name:line:col`` where the place is known."""


class LineOf(str):
    """The name of one line of a file, ``file:N``: a place in it is ``file:N:col``, so that a JSON
    line of a stream is placed in its file."""

    file: str
    number: int

    def __new__(cls, file: str, number: int) -> LineOf:
        self = super().__new__(cls, f"{file}:{number}")
        self.file, self.number = file, number
        return self


def _at(name: str, line: int, column: int) -> str:
    if isinstance(name, LineOf):
        return f"{name.file}:{name.number + line - 1}:{column}"
    return f"{name}:{line}:{column}"


def position(text: str, index: int) -> tuple[int, int]:
    """(line, column), both 1-based, of the character at ``index`` of ``text``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode_utf8(name: str, data: bytes) -> str:
    """The text of UTF-8 ``data`` (a leading byte-order mark dropped); a bad byte is placed at
    ``name:line:col`` (the column counts the characters before it on its line)."""
    skip = len(_BOM) if data.startswith(_BOM) else 0
    body = data[skip:] if skip else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = body.rfind(b"\n", 0, start) + 1
        line = body.count(b"\n", 0, start) + 1
        column = len(body[line_start:start].decode("utf-8", errors="replace")) + 1
        bad = body[start : min(exc.end, start + 4)].hex(" ")
        raise JsonRefused(_at(name, line, column), f"not UTF-8: byte(s) {bad} at offset {start + skip} are "
                                                    f"not valid UTF-8 ({exc.reason}); expected UTF-8 text") from None


def _deeper_than(value: object, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` arrays/objects: a walk of the containers, one
    level at a time in comprehensions (no recursion; a 40 MB ledger takes a quarter second). The
    parser itself stops at Python's recursion limit (~1000 levels) with a RecursionError."""
    level: list[Any] = [value]
    depth = 1
    while level:
        if depth > limit:
            return True
        inner = [c for n in level if type(n) is list for c in n if type(c) is dict or type(c) is list]
        inner += [c for n in level if type(n) is dict for c in n.values() if type(c) is dict or type(c) is list]
        level, depth = inner, depth + 1
    return False


def _deep_at(name: str, text: str) -> JsonRefused:
    """The error for nesting beyond ``MAX_DEPTH``, at the first bracket that goes too deep."""
    depth = 0
    where = name
    for token in _TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = position(text, token.start())
                where = _at(name, line, col)
                break
        elif char in "]}":
            depth -= 1
    return JsonRefused(where, f"nested more than {MAX_DEPTH} levels deep; expected at most {MAX_DEPTH} nested "
                              "arrays or objects")


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise _Constant(name)


def _finite(text: str) -> float:
    value = float(text)
    if value in (_INF, -_INF):  # 1e999 overflows to infinity, which JSON cannot say
        raise _Constant(text)
    return value


_INF: Final = float("inf")


class _LocatedDuplicate(Exception):
    def __init__(self, key: str, index: int) -> None:
        self.key, self.index = key, index


def _locate_duplicate(text: str) -> _LocatedDuplicate | None:
    """Parse again with the pure-Python scanner, which can say where the object with the
    duplicate key starts (only done after the fast parse found one)."""
    decoder = json.JSONDecoder(object_pairs_hook=_unique, parse_constant=_no_constant, parse_float=_finite)

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> Any:
        try:
            return JSONObject(s_and_end, *args)
        except _DuplicateKey as exc:
            raise _LocatedDuplicate(exc.key, s_and_end[1] - 1) from None

    decoder.parse_object = parse_object  # type: ignore[attr-defined]  # the scanner reads it
    decoder.scan_once = py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(text)
    except _LocatedDuplicate as exc:
        return exc
    except (ValueError, _Constant, RecursionError):
        pass
    return None


def parse_json_text(name: str, text: str) -> object:
    """The JSON value of ``text``; raises ``JsonRefused`` naming ``name:line:col``."""
    try:
        value = json.loads(text, object_pairs_hook=_unique, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        found = f"; found {excerpt(text[exc.pos : exc.pos + 20])}" if exc.pos < len(text) else ""
        raise JsonRefused(_at(name, exc.lineno, exc.colno), f"not valid JSON: {exc.msg}{found}") from None
    except _Constant as exc:
        index = text.find(exc.name)
        line, col = position(text, index) if index >= 0 else (1, 1)
        raise JsonRefused(_at(name, line, col), f"not valid JSON: {exc.name} is not a finite number; "
                                                   "expected a JSON number") from None
    except _DuplicateKey as exc:
        located = _locate_duplicate(text) if len(text) <= _LOCATE_CHARS else None
        where = _at(name, *position(text, located.index)) if located else name
        at = " in the object starting here" if located else ""
        raise JsonRefused(where, f"duplicate key {excerpt(exc.key)}{at}; each key may appear once in an object") from None
    except RecursionError:
        raise _deep_at(name, text) from None
    except ValueError:  # an integer of more digits than Python converts
        raise JsonRefused(name, f"not valid JSON: a number of more than {_MAX_DIGITS} digits; "
                                "expected a number Python can read") from None
    if isinstance(value, (dict, list)) and _deeper_than(value, MAX_DEPTH):
        raise _deep_at(name, text)
    return value


def read_json_bytes(name: str, data: bytes, limit: int, what: str = "the input") -> object:
    """The JSON value of ``data``: at most ``limit`` bytes of UTF-8 (BOM accepted). ``name`` places
    errors (a file name, ``<stdin>``, ``body``); raises ``JsonRefused``."""
    if len(data) > limit:
        size = f"more than {limit}" if len(data) == limit + 1 else len(data)  # a reader that stopped at limit + 1
        raise JsonRefused(name, size_refusal(size, limit, what))
    return parse_json_text(name, decode_utf8(name, data))
