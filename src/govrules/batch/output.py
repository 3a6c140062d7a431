"""The result frame: one row per evaluated case, in the frame's order and with its index.

Nested values are Arrow columns built from flat arrays (no Python object per finding):
``findings`` is a list of {rule, kind, due} per row and ``rules`` a list of rule ids; reading a
cell gives plain Python (``[{'rule': …, 'kind': 'deadline', 'due': datetime.date(…)}]``).
``deadline`` is a date32 column (a cell is a ``datetime.date``, or <NA>).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]

from govrules.batch.columns import Days, Index, Mask
from govrules.batch.run import PATHS, TableRun
from govrules.batch.schema import CASE_TYPES
from govrules.semantics.status import STATUSES
from govrules.batch.slots import KIND, KINDS, STATUS
from govrules.semantics.results import Evaluation

COLUMNS = ("id", "type", "pack", "deadline", "status", "provisional", "complete", "in_force", "rules",
           "violations", "findings", "path")


@dataclass
class Part:
    """One case type's evaluated rows: where they go in the output, and what they gave."""

    positions: Index  # in the output
    type_code: int
    run: TableRun
    in_force: Mask
    results: dict[int, Evaluation]  # row in the table -> the reference's evaluation


def _dates(days: Days) -> Any:
    absent = np.isnat(days)
    values = np.where(absent, 0, days.view(np.int64)).astype(np.int32)  # days since 1970, as date32
    return pa.array(values, type=pa.date32(), mask=absent)


def _offsets(counts: npt.NDArray[np.integer[Any]]) -> Index:
    return np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))


class _Flat:
    """Every row's findings in one set of flat arrays, and its distinct rules beside them.

    A part's slots side by side form a (rows x slots) matrix; reading the present entries row by
    row gives each row's findings in slot order. The reference rows' findings (absent from the
    slots) are then put in their places. ``first`` marks the entries whose rule is new in the row.
    """

    def __init__(self, size: int, parts: list[Part], code: dict[str, int]) -> None:
        laid = [self._lay_out(p) for p in parts]
        counts = np.zeros(size, dtype=np.int64)
        firsts = np.zeros(size, dtype=np.int64)
        for p, (part_counts, part_firsts, *_) in zip(parts, laid):
            counts[p.positions] += part_counts
            firsts[p.positions] += part_firsts
            for i, result in p.results.items():
                counts[p.positions[i]] += len(result.findings)
                firsts[p.positions[i]] += len({f.rule for f in result.findings})
        self.offsets, self.rule_offsets = _offsets(counts), _offsets(firsts)
        if len(parts) == 1 and not parts[0].results and len(parts[0].positions) == size:
            _, _, self.rule, self.kind, self.due, first = laid[0]  # one part, in order: nothing to interleave
        else:
            first = self._interleave(parts, laid, code)
        self.rules = self.rule[first]

    def _interleave(self, parts: list[Part], laid: list[Any], code: dict[str, int]) -> Mask:
        total = int(self.offsets[-1])
        self.rule = np.zeros(total, dtype=np.int16)
        self.kind = np.zeros(total, dtype=np.int8)
        self.due = np.full(total, np.datetime64("NaT"), dtype="datetime64[D]")
        first = np.zeros(total, dtype=bool)
        for p, (part_counts, _, rule, kind, due, part_first) in zip(parts, laid):
            starts = self.offsets[p.positions]
            part_offsets = _offsets(part_counts)
            rank = np.arange(int(part_offsets[-1]), dtype=np.int64) - np.repeat(part_offsets[:-1], part_counts)
            at = np.repeat(starts, part_counts) + rank
            self.rule[at], self.kind[at], self.due[at], first[at] = rule, kind, due, part_first
            for i, result in p.results.items():
                start, seen = int(starts[i]), set()
                for k, f in enumerate(result.findings):
                    self.rule[start + k], self.kind[start + k] = code[f.rule], KIND[f.kind]
                    self.due[start + k] = np.datetime64(f.due, "D") if f.due is not None else np.datetime64("NaT")
                    first[start + k] = f.rule not in seen
                    seen.add(f.rule)
        return first

    @staticmethod
    def _lay_out(part: Part) -> tuple[Index, Index, npt.NDArray[np.int16], npt.NDArray[np.int8], Days, Mask]:
        """The part's findings row by row in slot order. An entry's place is its row's start plus
        the number of earlier slots present in that row: work in proportion to the findings, so
        a slot that few rows have (a recurring report, an extension) costs little."""
        slots = [s for s in part.run.slots if s.present.any()]
        n = len(part.positions)
        # per-row tallies of at most len(slots): small integers, so each pass over the rows is cheap
        assert len(slots) < 1 << 15
        counts, firsts = np.zeros(n, dtype=np.int16), np.zeros(n, dtype=np.int16)
        for s in slots:
            counts += s.present
            firsts += s.present & s.new_rule
        offsets = _offsets(counts)
        total = int(offsets[-1])
        rule = np.zeros(total, dtype=np.int16)
        kind = np.zeros(total, dtype=np.int8)
        due = np.full(total, np.datetime64("NaT"), dtype="datetime64[D]")
        first = np.zeros(total, dtype=bool)
        earlier = np.zeros(n, dtype=np.int16)
        for k, s in enumerate(slots):
            rows = np.flatnonzero(s.present)
            at = offsets[rows] if k == 0 else offsets[rows] + earlier[rows]  # nothing precedes the first
            rule[at], kind[at], due[at] = s.rule[rows], s.kind[rows], s.due[rows]
            first[at] = s.new_rule if isinstance(s.new_rule, bool) else s.new_rule[rows]
            if k < len(slots) - 1:
                earlier += s.present
        return counts.astype(np.int64), firsts.astype(np.int64), rule, kind, due, first


def _violations(size: int, parts: list[Part]) -> npt.NDArray[np.int64]:
    out = np.zeros(size, dtype=np.int64)
    for p in parts:
        mine = np.zeros(len(p.positions), dtype=np.int64)
        for s in p.run.slots:
            mine += s.present & (s.kind == KIND["violation"])
        for i, result in p.results.items():
            mine[i] = sum(f.kind == "violation" for f in result.findings)
        out[p.positions] = mine
    return out


def build_output(size: int, index: Any, ids: Any, parts: list[Part], pack_id: str, rule_ids: list[str]) -> Any:
    code = {r: i for i, r in enumerate(rule_ids)}
    type_code = np.zeros(size, dtype=np.int8)
    deadline = np.full(size, np.datetime64("NaT"), dtype="datetime64[D]")
    status = np.full(size, -1, dtype=np.int8)
    provisional = np.zeros(size, dtype=bool)
    complete = np.ones(size, dtype=bool)  # the vector path leaves every unknown year to the reference
    in_force = np.zeros(size, dtype=bool)
    path = np.zeros(size, dtype=np.int8)
    for p in parts:
        run, at = p.run, p.positions
        type_code[at], deadline[at], status[at] = p.type_code, run.deadline, run.status
        provisional[at], in_force[at], path[at] = run.provisional, p.in_force, run.path
        for i, r in p.results.items():
            deadline[at[i]] = np.datetime64(r.deadline, "D") if r.deadline is not None else np.datetime64("NaT")
            status[at[i]] = STATUS[r.status] if r.status is not None else -1
            provisional[at[i]], complete[at[i]] = r.provisional, r.complete
    findings = _Flat(size, parts, code)
    rule_names = pa.array(rule_ids, type=pa.string())
    struct = pa.StructArray.from_arrays(
        [pa.DictionaryArray.from_arrays(pa.array(findings.rule), rule_names),
         pa.DictionaryArray.from_arrays(pa.array(findings.kind), pa.array(list(KINDS), type=pa.string())),
         _dates(findings.due)],
        names=["rule", "kind", "due"],
    )
    violations = _violations(size, parts)

    def arrow(arr: Any) -> Any:
        return pd.arrays.ArrowExtensionArray(arr)

    return pd.DataFrame({
        "id": ids,
        "type": pd.Categorical.from_codes(type_code, categories=list(CASE_TYPES)),
        "pack": pd.Categorical.from_codes(np.zeros(size, dtype=np.int8), categories=[pack_id]),
        "deadline": arrow(_dates(deadline)),
        "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
        "provisional": provisional,
        "complete": complete,
        "in_force": in_force,
        "rules": arrow(pa.ListArray.from_arrays(pa.array(findings.rule_offsets.astype(np.int32)),
                                                pa.DictionaryArray.from_arrays(pa.array(findings.rules), rule_names))),
        "violations": violations.astype(np.int32),
        "findings": arrow(pa.ListArray.from_arrays(pa.array(findings.offsets.astype(np.int32)), struct)),
        "path": pd.Categorical.from_codes(path, categories=list(PATHS)),
    }, index=index)
