"""Vectorized evaluation of whole ledgers: ``evaluate_frame(df, pack, as_of, options)``.

A ledger is a pandas DataFrame, one case (事项, 会议 or 公文) per row, with the columns of the
interchange contract (``govrules.batch.schema``; Chinese column names are accepted too). The
nested ``extension`` is three columns ``extension_requested_on``, ``extension_new_deadline``,
``extension_approved`` (or one column of dicts); a list field (``reports``, ``co_units``,
``approvals`` …) is one cell per row holding a list, an Arrow list, or a string of items
separated by 、 or ;. Dates may be ISO strings, ``datetime.date`` objects, midnight datetime64
values or Arrow dates. An empty cell means the field was not given (the model's default); a
row's cells in another type's columns must be empty.

The result has one row per case, in the frame's order and with its index: ``id``, ``type``,
``pack``, ``deadline``, ``status``, ``provisional``, ``in_force``, ``rules`` (the distinct rule
ids that produced findings, in order), ``violations`` (how many findings are violations),
``findings`` (each a ``{rule, kind, due}``, equal to the reference's ``(f.rule, f.kind, f.due)``
in the same order) and ``path`` (``vector``, or why the row went to the reference evaluator).
It agrees with ``evaluate_all`` over the same cases: ``evaluate`` row by row, plus the quotas.
Messages are not made for the whole frame; ``explain_rows`` makes them for the rows asked,
with the reference evaluator.

What is computed over columns: validation; the condition algebra as masks; deadline rules,
every period kind, explicit deadlines, extensions (with allowed_when and caps), progress reports
and status; recurring reports (days, weeks, months, quarters); limits, requirements,
prohibitions and deemed outcomes; ``provisional``. What goes to the reference evaluator, row by
row: rows a quota may count, 字数 limits of documents that give their text, conditions the masks
do not compile, and rows whose calendar steps need a year without holiday data (the reference
then raises for them, as ``evaluate`` would).

Bad input: by default every problem of every row is reported at once (``FrameError.problems``:
row, index, id, column, value, expected) and nothing is evaluated; ``bad_rows="separate"``
evaluates the good rows and returns the others beside them (``FrameResult``). Problems of the
frame itself (an unknown or doubled column) always raise.

``import govrules`` does not import this package (nor pandas).
"""

from govrules.batch.frame import FrameResult, evaluate_frame, explain_rows
from govrules.batch.problems import FrameError

__all__ = ["FrameError", "FrameResult", "evaluate_frame", "explain_rows"]
