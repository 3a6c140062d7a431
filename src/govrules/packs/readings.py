"""Readings chosen as ``[PACK:]ID=OPTION``: one parser for the CLI, ``govrules watch`` and the HTTP
service, so the three accept the same choices and refuse the same mistakes in the same words.

An unprefixed ID applies to every pack that declares it; ``PACK:ID`` to that pack only. An ID no
pack (or not the named pack) declares, or an option the reading does not offer, is an error: a
choice that changes nothing is a mistake the caller should hear about. The same choice given twice
counts once; two different options for one pack's reading (``r=a`` and ``p:r=b``) are refused,
since neither can be said to win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from govrules.errors import GovrulesError, excerpt
from govrules.packs.schema import Pack

_LOCAL = "[a-z0-9][a-z0-9./-]*"
READING_CHOICE = re.compile(rf"^(?:({_LOCAL}):)?({_LOCAL})=({_LOCAL})$")


class ReadingChoiceError(GovrulesError):
    """One ``[PACK:]ID=OPTION`` that cannot be applied; ``item`` as given, ``problem`` why."""

    def __init__(self, item: str, problem: str) -> None:
        super().__init__(f"{excerpt(item)}: {problem}")
        self.item = item
        self.problem = problem


def choose_readings(packs: Sequence[Pack], items: Iterable[str]) -> dict[str, dict[str, str]]:
    """pack id -> {reading id: option} for every pack given (empty where nothing is chosen)."""
    out: dict[str, dict[str, str]] = {p.id: {} for p in packs}
    for item in items:
        match = READING_CHOICE.match(item)
        if match is None:
            raise ReadingChoiceError(item, "expected [PACK:]ID=OPTION")
        target, key, value = match.groups()
        chosen = [p for p in packs if not target or p.id == target]
        if target and not chosen:
            raise ReadingChoiceError(item, f"pack {excerpt(target)} is not among the packs evaluated")
        declaring = [(p, i) for p in chosen for i in p.interpretations if i.id == key]
        if not declaring:
            known = sorted({f"{p.id}:{i.id}" for p in chosen for i in p.interpretations})
            raise ReadingChoiceError(item, f"no pack evaluated declares {excerpt(key)}; declared: {', '.join(known) or 'none'}")
        for pack, reading in declaring:
            if value not in reading.options:
                raise ReadingChoiceError(item, f"{pack.id}:{key} has no option {excerpt(value)}; "
                                               f"options: {', '.join(reading.options)}")
            earlier = out[pack.id].setdefault(key, value)
            if earlier != value:
                raise ReadingChoiceError(item, f"{pack.id}:{key} is already chosen as {excerpt(earlier)}; "
                                               "give one option per reading")
    return out
