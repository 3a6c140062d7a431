"""The nested ``extension`` given as one column of dicts (what ``pd.DataFrame(records)`` makes of
the JSON objects) or of JSON object text (a CSV): each cell is checked by the Extension model
itself and split into the flat columns ``extension_requested_on``, ``extension_new_deadline``
and ``extension_approved``."""

from __future__ import annotations

import numpy as np
from pydantic import ValidationError

from govrules.batch.cells import Cells
from govrules.batch.columns import Column, Dates, Flags
from govrules.errors import InputError
from govrules.json_reader import parse_json_text
from govrules.models import Extension
from govrules.models.parse import explain_validation


def read_extension_dicts(cells: Cells) -> dict[str, Column]:
    n = len(cells.series)
    requested = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    new = requested.copy()
    approved = np.zeros(n, dtype=bool)
    given = np.flatnonzero(~cells.empty).tolist()
    cells_given = [cells.series.iat[i] for i in given]
    texts = [c for c in cells_given if isinstance(c, str)]
    if texts and len(texts) == len(given):  # JSON objects: parsed as one document by the one JSON reader
        try:
            parsed = parse_json_text("extension", "[" + ",".join(texts) + "]")
            if isinstance(parsed, list) and len(parsed) == len(given):
                cells_given = parsed
        except InputError:
            pass  # some cell is not JSON (or has a duplicate key …): each is read alone below, to name it
    for i, raw in zip(given, cells_given):
        try:
            if isinstance(raw, str):  # a JSON object, as the CSV form of examples/generate_ledger.py has it
                raw = parse_json_text("extension", raw)
            if not isinstance(raw, dict):
                raise TypeError
            ext = Extension.model_validate(raw)
        except (TypeError, ValueError, InputError) as exc:  # ValidationError is a ValueError
            why = explain_validation(exc, Extension) if isinstance(exc, ValidationError) else \
                f"an object ({exc.problem})" if isinstance(exc, InputError) else "an object"
            cells.bad(np.array([i]), f"an extension {{requested_on, new_deadline, approved}}: {why}")
            continue
        requested[i], new[i], approved[i] = ext.requested_on, ext.new_deadline, ext.approved
    return {"extension_requested_on": Dates(requested), "extension_new_deadline": Dates(new),
            "extension_approved": Flags(approved)}
