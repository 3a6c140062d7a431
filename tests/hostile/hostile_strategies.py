"""Hypothesis strategies of hostile input: JSON-ish texts and the ways to spoil them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

_SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=20) \
    | st.floats(allow_nan=False, allow_infinity=False)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)

BOM = b"\xef\xbb\xbf"


@st.composite
def spoiled_json(draw: st.DrawFn) -> bytes:
    """Valid JSON, then one hostile change: cut, a byte flipped to invalid UTF-8, a duplicate key,
    deep nesting, a huge string, NaN, a BOM, or garbage."""
    text = json.dumps(draw(JSON_VALUES), ensure_ascii=draw(st.booleans())).encode()
    how = draw(st.sampled_from(["as is", "cut", "bad byte", "duplicate", "deep", "huge", "nan", "bom", "garbage"]))
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "bad byte":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe4\xb8"])) + text[at:]
    if how == "duplicate":
        key = json.dumps(draw(st.text(max_size=5)))
        return f'{{{key}: {text.decode()}, {key}: 1}}'.encode()
    if how == "deep":
        n = draw(st.integers(60, 3000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        return (opener * n + text.decode() + closer * draw(st.integers(0, n))).encode()
    if how == "huge":
        return b'{"id": "' + b"x" * draw(st.integers(1, 300_000)) + b'", "v": ' + text + b"}"
    if how == "nan":
        return b"[" + draw(st.sampled_from([b"NaN", b"Infinity", b"-Infinity", b"1e999", b"9" * 5000])) + b"]"
    if how == "bom":
        return BOM + text
    if how == "garbage":
        return draw(st.binary(max_size=200))
    return text
