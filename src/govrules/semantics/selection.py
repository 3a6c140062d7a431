"""Which rule applies to a case: the first in pack order whose ``when`` holds (semantics.md,
"Rules and their order"; a pack lists the special case before the general one).

The ledger path asks the same of a column at once (batch.masks.Masks.first_match, which
compiles the ``when`` conditions over the values a column can take); its differential test
holds it to this one.
"""

from __future__ import annotations

from collections.abc import Iterable

from govrules.semantics.compiled import Active
from govrules.semantics.findings import Case


def first_applicable(actives: Iterable[Active], case: Case) -> Active | None:
    """The first rule of ``actives`` (in pack order) that applies to ``case``, if any."""
    return next((a for a in actives if a.applies(case)), None)


def applicable(actives: Iterable[Active], case: Case) -> list[Active]:
    """Every rule of ``actives`` that applies to ``case``, in pack order (rules that all speak:
    recurring reports, checks)."""
    return [a for a in actives if a.applies(case)]
