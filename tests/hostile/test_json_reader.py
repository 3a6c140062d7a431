"""govrules.json_reader, the one JSON reader: anything in, a value or one bounded JsonRefused out."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile_bounds import HOSTILE, bounded
from govrules.errors import InputError
from govrules.json_reader import MAX_DEPTH, JsonRefused, LineOf, read_json_bytes
from hostile_strategies import BOM, JSON_VALUES, spoiled_json

LIMIT = 1_000_000
PLACE = re.compile(r"^f(:\d+:\d+)?$")


def read(data: bytes, limit: int = LIMIT) -> object:
    return read_json_bytes("f", data, limit)


@HOSTILE
@given(spoiled_json())
def test_spoiled_json_gives_a_value_or_one_bounded_refusal(data: bytes) -> None:
    try:
        read(data)
    except JsonRefused as exc:
        assert isinstance(exc, InputError)  # what the CLI turns into exit code 2
        assert PLACE.match(exc.where), exc.where
        bounded(str(exc))


@HOSTILE
@given(JSON_VALUES, st.booleans())
def test_valid_json_reads_as_the_standard_library_reads_it(value: object, bom: bool) -> None:
    text = json.dumps(value, ensure_ascii=False).encode()
    assert read(BOM + text if bom else text) == json.loads(text)


@HOSTILE
@given(st.binary(min_size=1, max_size=64), st.integers(0, 200))
def test_invalid_utf8_is_placed_at_line_and_column(junk: bytes, at: int) -> None:
    prefix = ('["事项",\n' + "1," * at).encode()
    data = prefix + b"\xff" + junk + b"]"
    with pytest.raises(JsonRefused) as caught:
        read(data)
    assert caught.value.where == f"f:2:{2 * at + 1}"  # the column counts characters, not bytes
    assert caught.value.problem.startswith("not UTF-8: byte(s) ff at offset")


def test_the_size_limit_and_one_byte_more() -> None:
    text = b'["' + b"x" * 96 + b'"]'
    assert read(text, limit=len(text)) == ["x" * 96]
    with pytest.raises(JsonRefused, match=r"^f: the input is more than 99 bytes; the limit is 99 bytes$"):
        read(text, limit=len(text) - 1)
    with pytest.raises(JsonRefused, match=r"^f: the input is 100 bytes; the limit is 98 bytes$"):
        read(text, limit=len(text) - 2)


def test_depth_is_bounded_at_max_depth() -> None:
    assert read(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None
    for n in (MAX_DEPTH + 1, 5000, 1_000_000):
        with pytest.raises(JsonRefused, match=rf"^f:1:{MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep"):
            read(b"[" * n + b"]" * n, limit=10**7)
    with pytest.raises(JsonRefused, match="nested more than"):
        read(b'{"a":' * 100_000, limit=10**7)  # unclosed, as deep as the parser goes


def test_duplicate_keys_are_refused_naming_the_key_and_the_object() -> None:
    with pytest.raises(JsonRefused) as caught:
        read(b'[{"id": "A"},\n {"id": "B", "source": "x", "id": "C"}]')
    assert (caught.value.where, caught.value.problem) == (
        "f:2:2", "duplicate key 'id' in the object starting here; each key may appear once in an object")


@pytest.mark.parametrize(("text", "where"), [(b"[NaN]", "f:1:2"), (b"[1,\n-Infinity]", "f:2:1"), (b"[1e999]", "f:1:2")])
def test_nan_and_infinity_are_refused(text: bytes, where: str) -> None:
    with pytest.raises(JsonRefused, match="is not a finite number") as caught:
        read(text)
    assert caught.value.where == where


def test_a_number_of_thousands_of_digits_is_refused() -> None:
    with pytest.raises(JsonRefused, match="a number of more than 4300 digits"):
        read(b"[" + b"7" * 5000 + b"]")


def test_a_bom_is_accepted_and_a_utf16_one_is_not() -> None:
    assert read(BOM + b'{"a": 1}') == {"a": 1}
    with pytest.raises(JsonRefused, match="not UTF-8"):
        read(b"\xff\xfe[\x00]\x00")


def test_a_line_of_a_stream_is_placed_in_its_file() -> None:
    with pytest.raises(JsonRefused) as caught:
        read_json_bytes(LineOf("events.jsonl", 7), b'{"a": \xff}', 100)
    assert caught.value.where == "events.jsonl:7:7"


def test_a_syntax_error_quotes_a_bounded_excerpt() -> None:
    with pytest.raises(JsonRefused) as caught:
        read(b'{"a": 1} ' + b"x" * 1_000_000, limit=2_000_000)
    assert caught.value.where == "f:1:10"
    bounded(str(caught.value))


@HOSTILE
@given(st.binary(max_size=40), st.binary(max_size=40))
def test_a_bad_byte_after_a_bom_is_placed_in_the_file_as_written(before: bytes, after: bytes) -> None:
    text = before.replace(b"\n", b" ").decode("utf-8", "ignore").encode()
    with pytest.raises(JsonRefused) as caught:
        read(BOM + text + b"\xff" + after)
    assert caught.value.where == f"f:1:{len(text.decode()) + 1}"
    assert f"byte(s) ff at offset {len(BOM) + len(text)} " in caught.value.problem
