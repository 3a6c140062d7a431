"""The two faces a decision is written over, so that it is written once.

A decision (a matter's status, an extension's outcome, which rule applies) is a function of an
``Ops`` and the case's values. The reference evaluator passes ``SCALAR`` and one case's values
(Python bools and dates); the ledger path passes ``VECTOR`` and whole columns (numpy bool masks
and ``datetime64[D]``). Comparisons (``<=``, ``<``) are written directly: both faces have them.

An absent date is ``ABSENT`` (``date.max``) on the scalar face and NaT on the vector face. The two
agree where an absent date stands on the smaller side of a comparison (``absent <= d`` is false on
both faces), so a decision compares an absent date only that way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final, Protocol

import numpy as np

# A truth value or date: one case's (bool, date) on the scalar face, a column on the vector face.
Value = Any
ABSENT: Final = date.max  # an absent date on the scalar face: no comparison from its side holds


class Ops(Protocol):
    def and_(self, a: Value, b: Value) -> Value: ...
    def or_(self, a: Value, b: Value) -> Value: ...
    def not_(self, a: Value) -> Value: ...
    def minimum(self, a: Value, b: Value) -> Value: ...
    def where(self, cond: Value, a: Value, b: Value) -> Value: ...

    def first(self, choices: Iterable[tuple[Value, str]], default: str, vocabulary: Sequence[str]) -> Value:
        """The name of the first choice whose condition holds, else ``default`` (a first-hit
        table); the vector face gives, per row, the name's index in ``vocabulary``."""
        ...


class _Scalar:
    """One case. Conditions are plain bools, so each choice costs one test."""

    @staticmethod
    def and_(a: Value, b: Value) -> Value:
        return a and b

    @staticmethod
    def or_(a: Value, b: Value) -> Value:
        return a or b

    @staticmethod
    def not_(a: Value) -> Value:
        return not a

    @staticmethod
    def minimum(a: Value, b: Value) -> Value:
        return a if a <= b else b

    @staticmethod
    def where(cond: Value, a: Value, b: Value) -> Value:
        return a if cond else b

    @staticmethod
    def first(choices: Iterable[tuple[Value, str]], default: str, vocabulary: Sequence[str]) -> Value:
        for cond, name in choices:
            if cond:
                return name
        return default


class _Vector:
    """Columns. ``first`` is numpy's select over the choices' masks, giving codes."""

    @staticmethod
    def and_(a: Value, b: Value) -> Value:
        return np.logical_and(a, b)

    @staticmethod
    def or_(a: Value, b: Value) -> Value:
        return np.logical_or(a, b)

    @staticmethod
    def not_(a: Value) -> Value:
        return np.logical_not(a)

    @staticmethod
    def minimum(a: Value, b: Value) -> Value:
        return np.minimum(a, b)

    @staticmethod
    def where(cond: Value, a: Value, b: Value) -> Value:
        return np.where(cond, a, b)

    @staticmethod
    def first(choices: Iterable[tuple[Value, str]], default: str, vocabulary: Sequence[str]) -> Value:
        pairs = list(choices)
        code = {name: i for i, name in enumerate(vocabulary)}
        return np.select([np.asarray(c, dtype=bool) for c, _ in pairs], [np.int8(code[n]) for _, n in pairs],
                         np.int8(code[default])).astype(np.int8, copy=False)


SCALAR: Final[Ops] = _Scalar()
VECTOR: Final[Ops] = _Vector()
