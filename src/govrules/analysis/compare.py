"""City against city: the same ledger under several packs, side by side, with where and why they
differ.

``compare(cases, packs, as_of)`` evaluates the ledger once per pack with ``evaluate_frame`` and
lays the answers out with two-level columns, (what, pack): ``result["deadline"]`` is then a
small frame of each pack's deadline side by side, ``result["status"]`` the same for statuses,
and ``result.loc[result["differs"]]`` the cases on which the packs disagree. Reading one field
across packs is what a comparison asks for, so the field is the outer level; ``id``, ``type``,
``differs`` and ``why`` stand alone (their second level is empty, so ``result["why"]`` is a
plain Series).

Per pack: ``deadline``, ``status``, ``violations``, ``rules`` (the rule ids that produced
findings, without the pack's prefix) and ``in_force`` (False where the case's date lies outside
the document's time in force, which needs ``Options(allow_not_in_force=True)``). A case
``differs`` when any pack's deadline, status or number of violations is not the first pack's;
``why`` then names, for each pack, the clauses (citation, rule id and the outcome in the pack's
words) that produced its answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from govrules.batch import evaluate_frame
from govrules.engine.options import DEFAULT, Options
from govrules.semantics.results import STATUS_ZH, Status
from govrules.errors import GovrulesError, InputError, add_context
from govrules.models import Document, Matter, Meeting
from govrules.packs import Pack, get_pack

PER_PACK = ("deadline", "status", "violations", "rules", "in_force")
STATUSES: tuple[str, ...] = get_args(Status)


def compare(cases: Any, packs: Sequence[Pack | str], as_of: date, options: Options = DEFAULT) -> Any:
    """Each case of ``cases`` under each pack, side by side, as of ``as_of``.

    ``cases`` is a ledger DataFrame as ``evaluate_frame`` takes it, or a list of Matter, Meeting
    and Document models. ``packs`` are Pack objects or bundled pack ids (or pack file paths),
    at least two, with distinct ids. Bad input raises one error (FrameError lists every bad
    row) and nothing is returned; so does a pack not in force on a case's date unless
    ``options.allow_not_in_force`` is set, and then ``in_force`` marks those cases.
    """
    resolved = resolve_packs(packs)
    if len(resolved) < 2:
        raise GovrulesError(f"compare needs at least two packs (got {len(resolved)}); for one pack use evaluate_frame")
    frame = as_frame(cases)
    sides = [Side(p.id, p, evaluate_pack(frame, p, as_of, options)) for p in resolved]
    return side_by_side(sides, "differs")


def compare_summary(result: Any) -> Any:
    """Per pack (rows): how many cases, with a deadline, done on time, open, replied (a progress
    reply met the limit, awaiting completion: counted apart from open), unknown (the deadline needs
    a year without holiday data), overdue, done late,
    late in all (overdue or done late), the violations found, the cases outside the pack's time
    in force, and ``differs_from_first``: the cases whose deadline, status or violations differ
    from the first pack's. ``result`` is what ``compare`` (or ``what_if(...).cases``) returned."""
    labels = list(result["deadline"].columns)
    base = labels[0]
    rows = {}
    for label in labels:
        status = status_array(result[("status", label)])
        counts = {s: int((status == s).sum()) for s in STATUSES}
        rows[label] = {
            "cases": len(result),
            "with_deadline": int(result[("deadline", label)].notna().sum()),
            "on_time": counts["done"],
            "open": counts["on_track"] + counts["due_soon"],
            "replied": counts["replied"],
            "unknown": counts["unknown"],  # the case's own deadline needs a year without holiday data
            "overdue": counts["overdue"],
            "done_late": counts["done_late"],
            "late": counts["overdue"] + counts["done_late"],
            "violations": int(result[("violations", label)].sum()),
            "not_in_force": int((~result[("in_force", label)].astype(bool)).sum()),
            "differs_from_first": int(_differs(result, base, label).sum()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "pack"
    return out


# -- shared with what_if -----------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """One pack's evaluation of the ledger, under the label its columns get."""

    label: str
    pack: Pack
    result: Any  # evaluate_frame's DataFrame

    def deadlines(self) -> npt.NDArray[np.datetime64]:
        return day_array(self.result["deadline"])

    def rules(self) -> Any:
        """The rule ids without the pack's prefix (the column already names the pack), still an
        Arrow list column: the prefix is cut from the dictionary of distinct ids, not per row."""
        lists = arrow(self.result["rules"])
        values = lists.values
        cut = len(self.pack.id) + 1
        local = pa.DictionaryArray.from_arrays(values.indices, pc.utf8_slice_codeunits(values.dictionary, cut))
        stripped = pa.ListArray.from_arrays(lists.offsets, local)
        return pd.Series(pd.arrays.ArrowExtensionArray(stripped), index=self.result.index)


def arrow(series: Any) -> Any:
    """An Arrow-backed column as one pyarrow Array."""
    data = series.array.__arrow_array__()
    return data.combine_chunks() if isinstance(data, pa.ChunkedArray) else data


def day_array(series: Any) -> npt.NDArray[np.datetime64]:
    """A date32 column as datetime64[D], NaT where empty."""
    days: npt.NDArray[np.datetime64] = arrow(series).to_numpy(zero_copy_only=False)
    return days


def status_array(series: Any) -> npt.NDArray[np.str_]:
    """A status column as strings, "" where the case has no status."""
    codes = series.cat.codes.to_numpy()
    names = np.array([*map(str, series.cat.categories), ""])
    out: npt.NDArray[np.str_] = names[np.where(codes < 0, len(names) - 1, codes)]
    return out


def resolve_packs(packs: Sequence[Pack | str]) -> list[Pack]:
    if isinstance(packs, (str, Pack)):
        raise GovrulesError("packs must be a list of packs or pack ids, e.g. ['jinan-2016-30', 'shaoxing-2008-185']")
    resolved = [get_pack(p) if isinstance(p, str) else p for p in packs]
    for i, p in enumerate(resolved):
        if not isinstance(p, Pack):
            raise GovrulesError(f"packs[{i}]: expected a Pack or a pack id, got {type(p).__name__}")
    ids = [p.id for p in resolved]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise GovrulesError(f"packs: {', '.join(doubled)} given more than once; each pack is one set of columns")
    return resolved


def as_frame(cases: Any) -> Any:
    """A ledger DataFrame as given, or one made from Matter/Meeting/Document models."""
    if isinstance(cases, pd.DataFrame):
        return cases
    if isinstance(cases, (str, bytes)) or not isinstance(cases, Sequence):
        raise InputError("cases", f"expected a ledger DataFrame or a list of Matter, Meeting and Document, got {type(cases).__name__}")
    for i, case in enumerate(cases):
        if not isinstance(case, (Matter, Meeting, Document)):
            raise InputError(f"cases[{i}]", f"expected a Matter, Meeting or Document, got {type(case).__name__}")
    return pd.DataFrame([c.model_dump(mode="json") for c in cases])


def evaluate_pack(frame: Any, pack: Pack, as_of: date, options: Options) -> Any:
    """evaluate_frame, its error prefixed with the pack it concerns."""
    try:
        return evaluate_frame(frame, pack, as_of, options)
    except GovrulesError as exc:
        raise add_context(exc, f"pack {pack.id}") from None


def side_by_side(sides: list[Side], flag: str, extra: dict[str, Any] | None = None) -> Any:
    """The (what, label) columns of the sides, ``flag`` (bool: differs from the first side), and
    ``why``; ``extra`` columns (single level) follow the deadlines."""
    first = sides[0].result
    columns: dict[tuple[str, str], Any] = {("id", ""): first["id"], ("type", ""): first["type"]}
    rules = [s.rules() for s in sides]
    for what in PER_PACK:
        for side, side_rules in zip(sides, rules):
            columns[(what, side.label)] = side_rules if what == "rules" else side.result[what]
        if what == "deadline":
            for name, values in (extra or {}).items():
                columns[(name, "")] = values
    table = pd.DataFrame(columns)
    differs = np.zeros(len(table), dtype=bool)
    for side in sides[1:]:
        differs |= _differs(table, sides[0].label, side.label)
    table[(flag, "")] = differs
    table[("why", "")] = pd.Series(_why(sides, differs), index=table.index, dtype=object)
    return table


def _differs(table: Any, a: str, b: str) -> npt.NDArray[np.bool_]:
    """Cases whose deadline, status or number of violations is not the same under a and b."""
    da, db = (day_array(table[("deadline", x)]) for x in (a, b))
    deadline = ~((da == db) | (np.isnat(da) & np.isnat(db)))
    sa, sb = (status_array(table[("status", x)]) for x in (a, b))
    va, vb = (table[("violations", x)].to_numpy() for x in (a, b))
    out: npt.NDArray[np.bool_] = deadline | (sa != sb) | (va != vb)
    return out


def _why(sides: list[Side], differs: npt.NDArray[np.bool_]) -> list[str | None]:
    """For each differing case: per pack, the clauses behind its answer and the answer itself.
    Built column-wise (a ledger may differ on tens of thousands of rows)."""
    rows = np.flatnonzero(differs)
    out = np.full(len(differs), None, dtype=object)
    if not len(rows):
        return list(out)
    text: npt.NDArray[np.object_] | None = None
    for side in sides:
        part = _join(side.pack.id + ": ", _because(side, rows), " → ", _answer(side, rows))
        text = part if text is None else _join(text, " vs ", part)
    out[rows] = text
    return list(out)


def _join(*parts: Any) -> npt.NDArray[np.object_]:
    """Element-wise concatenation of strings and arrays of strings (object arrays: numpy adds
    them in C without padding every string to the longest)."""
    joined: npt.NDArray[np.object_] = np.asarray(parts[0], dtype=object)
    for part in parts[1:]:
        joined = joined + np.asarray(part, dtype=object)
    return joined


def _answer(side: Side, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    """The deadline (or 无期限), the status in Chinese, the violations, and whether in force."""
    days, where = np.unique(side.deadlines()[rows], return_inverse=True)  # few distinct dates
    due = np.array(["无期限" if np.isnat(d) else str(d) for d in days], dtype=object)[where]
    zh = {s: " " + STATUS_ZH[s] for s in STATUSES}
    status = np.array([zh.get(s, "") for s in status_array(side.result["status"])[rows].tolist()], dtype=object)
    violations = side.result["violations"].to_numpy()[rows]
    counted = np.array([f",违规{v}项" if v else "" for v in violations.tolist()], dtype=object)
    in_force = side.result["in_force"].to_numpy()[rows]
    return _join(due, status, counted, np.where(in_force, "", "〔该日不在文件施行期内〕").astype(object))


def _because(side: Side, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    """Per row, the clauses of the rules behind the answer: those of its findings other than
    reminders of a recurring report (e.g. the 督查室's own monthly supervision), unless such a
    report is all that gave the case its deadline."""
    lists = arrow(side.result["findings"]).take(pa.array(rows))
    flat = lists.flatten()
    parent = pc.list_parent_indices(lists).to_numpy()
    rule, kind = (_encoded(flat.field(name)) for name in ("rule", "kind"))
    kinds = kind.dictionary.to_pylist()
    reminder = np.isin(kind.indices.to_numpy(zero_copy_only=False), [kinds.index("obligation")] if "obligation" in kinds else [])
    answered = np.bincount(parent[~reminder], minlength=len(rows)) > 0
    keep = ~reminder | ~answered[parent]
    used: list[list[int]] = [[] for _ in range(len(rows))]
    for row, code in zip(parent[keep].tolist(), rule.indices.to_numpy(zero_copy_only=False)[keep].tolist()):
        if code not in used[row]:
            used[row].append(code)
    cut = len(side.pack.id) + 1
    basis = _bases(side.pack)
    names = [basis.get(r[cut:], r[cut:]) for r in rule.dictionary.to_pylist()]
    texts: dict[tuple[int, ...], str] = {}
    for codes in map(tuple, used):
        if codes not in texts:
            texts[codes] = " + ".join(names[c] for c in codes) or "无适用规则"
    return np.array([texts[tuple(codes)] for codes in used], dtype=object)


def _encoded(column: Any) -> Any:
    return column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)


def _bases(pack: Pack) -> dict[str, str]:
    """Rule id -> its clause's citation, the rule id and what the rule requires, in the pack's words."""
    citations = {c.id: c.citation for c in pack.clauses}
    return {r.id: f"{citations[r.clause]}〔{r.id}〕「{r.outcome}」" for r in pack.rules}
