"""What a command gives back when stdout alone cannot say it: a notice for stderr and an exit code.

Exit codes: 0, everything answered; 2, bad input (nothing printed); 3, a ledger answered in part:
some rows need a year without holiday data (their status is "unknown", their ``unknown`` finding
says which year and how to supply it), every other row is answered as without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from govrules.semantics.results import Evaluation

PARTIAL_EXIT = 3
SHOWN_IDS = 10  # the first few ids of the unanswered rows; the output lists them all
SHOWN_ID_CHARS = 40


@dataclass(frozen=True)
class Reply:
    stdout: str
    notice: str = ""  # for stderr, after stdout
    code: int = 0


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_ID_CHARS else text[: SHOWN_ID_CHARS - 1] + "…"


def answered_in_part(unknown: ArrayLike, complete: ArrayLike) -> int:
    """How many answers were given in part: not complete (a finding needs a year without holiday
    data), yet with a status; those whose status is "unknown" are unanswered, not answered in part.
    Over per-answer flags (lists, or a ledger's columns), so JSON and ledger input count alike."""
    return int(np.count_nonzero(~np.asarray(complete, dtype=bool) & ~np.asarray(unknown, dtype=bool)))


def evaluations_reply(stdout: str, results: Sequence[Evaluation], known: tuple[int, int]) -> Reply:
    """ledger_reply of evaluations (JSON input, or a ledger's ``--format json``)."""
    unknown = [r.status == "unknown" for r in results]
    return ledger_reply(stdout, [r.id for r, u in zip(results, unknown) if u],
                        answered_in_part(unknown, [r.complete for r in results]), len(results), known)


def ledger_reply(stdout: str, unanswered: Sequence[str], partial: int, total: int, known: tuple[int, int]) -> Reply:
    """The output, and on stderr how many rows (of ``total`` answers) could not be answered, and
    how many were answered in part (a finding of theirs needs an unknown year)."""
    lines = []
    if unanswered:
        more = len(unanswered) - SHOWN_IDS
        shown = ", ".join(_short(i) for i in unanswered[:SHOWN_IDS]) + (f" and {more} more" if more > 0 else "")
        lines.append(
            f"govrules: {len(unanswered)} of {total} answers could not be given: the matter's own deadline needs "
            f"a year without holiday data (known years {known[0]}-{known[1]}); status \"unknown\": {shown}. "
            "Install the year once with `govrules calendar add FILE` (docs/holiday-data.md), or use --provisional.")
    if partial:
        lines.append(f"govrules: {partial} of {total} answers are incomplete (\"complete\": false): a finding of "
                     "theirs needs a year without holiday data; its kind is \"unknown\".")
    return Reply(stdout, "\n".join(lines), PARTIAL_EXIT if unanswered else 0)
