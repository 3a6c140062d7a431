"""One count of the answers given in part serves JSON input (lists) and ledgers (columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from govrules.cli.reply import PARTIAL_EXIT, answered_in_part, evaluations_reply, ledger_reply

STATUSES = [None, "on_track", "due_soon", "overdue", "done", "done_late", "replied", "unknown"]
ANSWERS = st.lists(st.tuples(st.sampled_from(STATUSES), st.booleans()), max_size=40)


@given(ANSWERS)
def test_lists_and_ledger_columns_count_the_same_answers_in_part(answers: list[tuple[str | None, bool]]) -> None:
    statuses = [s for s, _ in answers]
    complete = [c for _, c in answers]
    expected = sum(1 for s, c in answers if not c and s != "unknown")  # incomplete, yet answered
    assert answered_in_part([s == "unknown" for s in statuses], complete) == expected
    column = pd.Series(pd.Categorical(statuses, categories=[s for s in STATUSES if s]))
    assert answered_in_part(column == "unknown", pd.Series(complete, dtype=bool)) == expected
    assert answered_in_part(np.array([s == "unknown" for s in statuses], dtype=bool), np.array(complete)) == expected


class _Answer:
    def __init__(self, ident: str, status: str | None, complete: bool) -> None:
        self.id, self.status, self.complete = ident, status, complete


def test_evaluations_reply_names_the_unanswered_and_counts_the_partial() -> None:
    results = [_Answer("A", "unknown", False), _Answer("B", "overdue", False), _Answer("C", None, True)]
    reply = evaluations_reply("out", results, (2004, 2026))  # type: ignore[arg-type]
    assert reply == ledger_reply("out", ["A"], 1, 3, (2004, 2026))
    assert reply.code == PARTIAL_EXIT and "1 of 3 answers could not be given" in reply.notice
    assert "1 of 3 answers are incomplete" in reply.notice
