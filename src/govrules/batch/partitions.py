"""``evaluate_frame`` over a ledger split into partitions (Dask ``map_partitions``, Spark ``mapInPandas``).

``evaluate_frame`` itself runs unchanged on each partition; what a partition cannot see is
supplied here:

- ``frame_meta``: the output's exact columns and dtypes for zero rows, which Dask needs as
  ``meta=`` (without it Dask calls the function on made-up rows, which the checks refuse);
- ``quota_groups`` / ``by_quota_group``: quota rules count across the ledger per group and year
  (and ``reduce_by`` compares with the year before), so a partition's answer equals the whole
  frame's only when every quota group lies in one partition;
- ``duplicate_ids``: a partition finds the duplicate ids within it, not those across partitions.

Nothing here imports Dask: the Dask frame is used through its own methods.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from govrules.batch.frame import evaluate_frame
from govrules.batch.ledger import read_ledger
from govrules.batch.run import quota_rows
from govrules.batch.schema import CASE_TYPES, TYPE_COLUMN, column_names
from govrules.semantics.compiled import CompiledPack, compile_pack
from govrules.engine.options import DEFAULT, Options
from govrules.models.cases import TYPE_ALIASES
from govrules.packs.schema import Pack, QuotaRule

# The temporary column by_quota_group shuffles on; a ledger column of this name is refused.
GROUP_COLUMN = "_govrules_quota_group"
# Buckets for the rows no quota counts: enough to spread them, few enough for Spark's groupBy.
ROW_BUCKETS = 1024
_BUCKET_KEYS = np.array([f"rows:{b}" for b in range(ROW_BUCKETS)], dtype=object)


def frame_meta(like: Any, pack: Pack | CompiledPack, as_of: date, options: Options = DEFAULT) -> Any:
    """What ``evaluate_frame(like, pack, as_of, options)`` returns for zero rows: the Dask ``meta``.

    ``like`` is the ledger (a pandas frame, or a Dask frame whose ``_meta`` is used): the output's
    ``id`` column and index keep its dtypes. A problem of the frame itself (an unknown or doubled
    column) raises FrameError here, before any partition is computed.
    """
    empty = getattr(like, "_meta", like).iloc[:0]
    return evaluate_frame(empty, pack, as_of, options)


def _group_field(cp: CompiledPack, case_type: str) -> str | None:
    """The one field the pack's quotas on this case type group by (None: no quota counts it)."""
    fields = sorted({a.rule.group_by for a in cp.quotas
                     if isinstance(a.rule, QuotaRule) and a.rule.applies_to == case_type})
    if len(fields) > 1:
        # rows sharing either field must meet: no key of one row alone can say where it goes
        raise ValueError(f"pack {cp.id}: the quotas on {case_type} rows group by {' and '.join(fields)}; "
                         "no one partition key keeps every group whole: evaluate those rows in one frame")
    return fields[0] if fields else None


def quota_groups(df: Any, pack: Pack | CompiledPack, options: Options = DEFAULT) -> Any:
    """Per row, a partition key that keeps every quota group of the pack whole (a string Series
    with the frame's index): rows that share a key must share a partition (or a Spark group);
    rows with different keys may go anywhere.

    A row some quota may count gets ``quota:<type>:<field>:<value>`` (e.g.
    ``quota:meeting:organizer:市政府办公室``), all its years together since ``reduce_by`` compares
    a year with the one before. Any other row gets ``rows:<n>``, one of ``ROW_BUCKETS`` buckets
    by a hash of its id that is the same in every process, so rows with one id meet. Pass the
    options given to ``evaluate_frame``: the interpretations choose the quotas. The key depends
    on the row alone, so this runs on each partition as well as on a whole frame.
    """
    cp = pack if isinstance(pack, CompiledPack) else compile_pack(pack, options.interpretations)
    ledger = read_ledger(df)  # its problems are evaluate_frame's to report; a bad row counts in no quota
    ids = pd.Series(ledger.ids.source).astype("string")
    buckets = pd.util.hash_pandas_object(ids, index=False).to_numpy() % np.uint64(ROW_BUCKETS)
    keys = _BUCKET_KEYS[buckets.astype(np.int64)]  # a copy: one object array, no string per row built
    for case_type, table in ledger.tables.items():
        field = _group_field(cp, case_type)
        if field is None:
            continue
        column = table.columns[field]
        counted = np.flatnonzero(quota_rows(cp, table) & ~column.null())
        for i in counted.tolist():
            keys[table.rows[i]] = f"quota:{case_type}:{field}:{column.value(i)}"
    return pd.Series(keys, index=df.index, name=GROUP_COLUMN, dtype="string")


def _in_index_order(part: Any) -> Any:
    return part.sort_index(kind="stable")


def by_quota_group(ddf: Any, pack: Pack | CompiledPack, options: Options = DEFAULT,
                   npartitions: int | None = None) -> Any:
    """The Dask frame reshuffled so that every quota group of the pack lies in one partition.

    Each partition is then sorted by the index: a shuffle does not keep the rows' order, and
    where two cases of a group fall on one day the quota counts them in frame order. So the
    index must follow the ledger's order (as ``dd.from_pandas`` of a RangeIndex frame does) for
    ties to be broken as one ``evaluate_frame`` over the whole ledger breaks them.
    """
    if GROUP_COLUMN in ddf.columns:
        raise ValueError(f"the ledger has a column {GROUP_COLUMN!r}, which by_quota_group needs for itself")
    keys = ddf.map_partitions(quota_groups, pack, options,
                              meta=pd.Series([], name=GROUP_COLUMN, dtype="string"))
    shuffled = ddf.assign(**{GROUP_COLUMN: keys}).shuffle(GROUP_COLUMN, npartitions=npartitions)
    return shuffled.drop(columns=GROUP_COLUMN).map_partitions(_in_index_order, meta=ddf._meta)


def duplicate_ids(frame: Any) -> Any:
    """Ids that more than one case row carries (a pandas Series: id -> how many rows), across a
    whole pandas or Dask frame; empty when every id is unique.

    ``evaluate_frame`` refuses duplicate ids only among the rows it is given: run this once over
    a partitioned ledger to find those that lie in different partitions.
    """
    columns = list(frame.columns)
    id_label = next((n for t in CASE_TYPES for n in column_names(t)["id"] if n in columns), None)
    type_label = next((n for n in TYPE_COLUMN if n in columns), None)
    if id_label is None or type_label is None:
        return pd.Series([], dtype="int64", name="count")
    case_names = [n for n, t in TYPE_ALIASES.items() if t in CASE_TYPES] + list(CASE_TYPES)
    ids = frame[id_label][frame[type_label].isin(case_names)]  # an event row is not a case
    counts = ids.value_counts()
    found = counts[counts > 1]
    found = found.compute() if hasattr(found, "compute") else found
    return found.sort_index()
