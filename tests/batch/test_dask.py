"""evaluate_frame beyond one process: unchanged as a Dask ``map_partitions`` function on a local
cluster of two worker processes it gives, over a partitioned ledger, exactly what one
``evaluate_frame`` over the whole ledger gives (index, dtypes and nested Arrow columns included);
a pack with quotas does so once partitioned by ``by_quota_group``, and not when its groups are
split. Bad rows raise FrameError on the client; duplicate ids across partitions are found by
``duplicate_ids``. The partition laws themselves are checked on random ledgers without Dask."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from batch_ledgers import SPAN, ledger
from distributed import Client, LocalCluster, default_client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_generator import generator

from govrules.batch import FrameError, evaluate_frame
from govrules.batch.partitions import (
    GROUP_COLUMN,
    by_quota_group,
    duplicate_ids,
    frame_meta,
    quota_groups,
)
from govrules.engine import Options, compile_pack
from govrules.packs import bundled_pack

JINAN = bundled_pack("jinan-2016-30")
TIGAO = bundled_pack("tigao-xiaolv-yijian")  # the only bundled pack with quotas
ANY_TIME = Options(allow_not_in_force=True)  # tigao's document gives no date of force




def _two_years() -> pd.DataFrame:
    """2025 and 2026 of one city, in the generator's CSV form read with typed columns: Arrow
    strings (what Dask turns text into anyway), nullable booleans and counts. Two years so that
    the document-reduction quota (this year against the last) has something to compare."""
    gen = generator()
    objects = [o for year in (2025, 2026)
               for o in gen.generate(5, matters=500, meetings=250, documents=450, events=0, year=year)]
    text = gen.to_csv(objects)
    header = pd.read_csv(io.StringIO(text), nrows=0).columns
    typed = {c: "boolean" for c in gen.BOOL_FIELDS if c in header} | {c: "Int64" for c in gen.INT_FIELDS}
    df = pd.read_csv(io.StringIO(text), dtype=typed, keep_default_na=False, na_values=[""])
    return df.astype({c: "string" for c in df.columns if c not in typed})


LEDGER = _two_years()


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      host="127.0.0.1", silence_logs=logging.CRITICAL) as cluster, Client(cluster) as c:
        yield c


def _partitioned(df: pd.DataFrame, n: int) -> Any:
    ddf = dd.from_pandas(df, npartitions=n)
    assert ddf.npartitions == n
    assert ddf.dtypes.equals(df.dtypes)  # the partitions hold the frame evaluated in one process
    return ddf


def test_partitions_on_worker_processes_give_the_one_process_result(client: Client) -> None:
    assert default_client() is client and len(client.scheduler_info()["workers"]) == 2
    as_of = date(2026, 9, 30)
    ddf = _partitioned(LEDGER, 5)
    meta = frame_meta(ddf, JINAN, as_of)
    got = ddf.map_partitions(evaluate_frame, JINAN, as_of, meta=meta).compute()
    whole = evaluate_frame(LEDGER, JINAN, as_of)
    pd.testing.assert_frame_equal(got, whole)
    pd.testing.assert_frame_equal(meta, whole.iloc[:0])
    assert whole["violations"].sum() > 0 and whole["status"].nunique() == 6  # a result worth comparing: every status


def test_a_quota_pack_partitioned_by_quota_group_gives_the_one_process_result(client: Client) -> None:
    as_of = date(2026, 12, 31)
    ddf = _partitioned(LEDGER, 6)
    meta = frame_meta(ddf, TIGAO, as_of, ANY_TIME)
    whole = evaluate_frame(LEDGER, TIGAO, as_of, ANY_TIME)
    fired = set(whole["rules"].explode().dropna())
    assert {"tigao-xiaolv-yijian/quota/comprehensive-meeting-once-a-year",
            "tigao-xiaolv-yijian/quota/document-reduction"} <= fired
    grouped = by_quota_group(ddf, TIGAO, ANY_TIME)
    got = grouped.map_partitions(evaluate_frame, TIGAO, as_of, ANY_TIME, meta=meta).compute()
    pd.testing.assert_frame_equal(got.sort_index(), whole)
    # the caveat: partitions of consecutive rows split the groups (2025 apart from 2026)
    split = ddf.map_partitions(evaluate_frame, TIGAO, as_of, ANY_TIME, meta=meta).compute()
    assert _quota_findings(split) < _quota_findings(whole)


def _quota_findings(result: pd.DataFrame) -> int:
    return sum("/quota/" in f["rule"] for cell in result["findings"] for f in cell)


def test_a_bad_row_raises_frame_error_on_the_client(client: Client) -> None:
    bad = LEDGER.copy()
    label = 1234
    bad.loc[label, "assigned_on"] = "2026-02-30"
    ddf = _partitioned(bad, 4)
    as_of = date(2026, 9, 30)
    with pytest.raises(FrameError) as caught:
        ddf.map_partitions(evaluate_frame, JINAN, as_of, meta=frame_meta(ddf, JINAN, as_of)).compute()
    problems = caught.value.problems
    # row counts within the partition; the index label is the ledger's own
    assert list(problems["index"]) == [label] and list(problems["column"]) == ["assigned_on"]
    start = max(d for d in ddf.divisions[:-1] if d <= label)
    assert start > 0 and list(problems["row"]) == [label - start]


def test_duplicate_ids_across_partitions_are_found_by_duplicate_ids(client: Client) -> None:
    doubled = LEDGER.copy()
    last = len(doubled) - 1
    doubled.loc[last, "id"] = doubled.loc[0, "id"]
    ddf = _partitioned(doubled, 4)
    as_of = date(2026, 12, 31)
    with pytest.raises(FrameError, match="a unique id"):
        evaluate_frame(doubled, JINAN, as_of)  # one frame sees both rows
    per_partition = ddf.map_partitions(evaluate_frame, JINAN, as_of, meta=frame_meta(ddf, JINAN, as_of)).compute()
    assert (per_partition["id"] == doubled.loc[0, "id"]).sum() == 2  # no partition sees both
    found = duplicate_ids(ddf)
    assert found.to_dict() == {doubled.loc[0, "id"]: 2}
    assert duplicate_ids(LEDGER).empty and duplicate_ids(_partitioned(LEDGER, 3)).empty


# -- the partition laws, on random ledgers, in one process ------------------------------------


@st.composite
def quota_rows(draw: st.DrawFn, as_of: date) -> list[dict[str, Any]]:
    """Meetings and documents of the year of ``as_of`` and the one before, by few organizers and
    issuers, so that the quotas (once a year; fewer than last year) find something."""
    days = st.dates(date(as_of.year - 1, 1, 1), as_of).map(date.isoformat)
    meeting = st.fixed_dictionaries(
        {"type": st.just("meeting"), "kind": st.sampled_from(["全市综合性会议", "全市性工作会议", "专题会议"]),
         "held_on": days}, optional={"organizer": st.sampled_from(["市政府办公室", "市交通局"])})
    document = st.fixed_dictionaries(
        {"type": st.just("document"), "kind": st.just("通知"),
         "issuer": st.sampled_from(["市政府", "市政府办公室", "部门"]), "issued_on": days})
    rows = draw(st.lists(meeting | document, max_size=20))
    return [{**r, "id": f"Q{i}"} for i, r in enumerate(rows)]


@pytest.mark.slow  # ~0.1 s per evaluate_frame call on a small frame, five calls an example
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), case=ledger(*SPAN))
def test_partitions_that_keep_quota_groups_whole_give_the_whole_frame_result(
        data: st.DataObject, case: tuple[list[dict[str, Any]], date]) -> None:
    rows, as_of = case
    df = pd.DataFrame(data.draw(st.permutations(rows + data.draw(quota_rows(as_of)))))
    chosen = {i.id: data.draw(st.sampled_from(sorted(i.options))) for i in TIGAO.interpretations}
    options = Options(interpretations=chosen, allow_not_in_force=True)
    keys = quota_groups(df, TIGAO, options)
    # the key is the row's own: any split of the frame gives the same keys
    cut = data.draw(st.integers(0, len(df)))
    pd.testing.assert_series_equal(pd.concat([quota_groups(df.iloc[:cut], TIGAO, options),
                                              quota_groups(df.iloc[cut:], TIGAO, options)]), keys)
    # any assignment of keys to partitions; each partition keeps the frame's order
    parts = data.draw(st.integers(2, 3))
    where = {k: data.draw(st.integers(0, parts - 1)) for k in sorted(set(keys))}
    part_of = keys.map(where).to_numpy()
    results = [evaluate_frame(df[part_of == p], TIGAO, as_of, options, bad_rows="separate") for p in range(parts)]
    whole = evaluate_frame(df, TIGAO, as_of, options, bad_rows="separate")
    joined = pd.concat([r.evaluated for r in results]).sort_index()
    pd.testing.assert_frame_equal(joined, whole.evaluated)
    assert sorted(i for r in results for i in r.bad_rows.index) == sorted(whole.bad_rows.index)


def test_quota_groups_name_the_group_and_bucket_the_rest() -> None:
    df = pd.DataFrame([
        {"type": "meeting", "id": "M1", "kind": "全市综合性会议", "held_on": "2026-03-02", "organizer": "市政府办公室"},
        {"type": "meeting", "id": "M2", "kind": "专题会议", "held_on": "2026-03-02", "organizer": "市政府办公室"},
        {"type": "document", "id": "D1", "kind": "通知", "issuer": "市政府", "issued_on": "2025-05-06"},
        {"type": "document", "id": "D2", "kind": "通知", "issuer": "部门", "issued_on": "2025-05-06"},
    ], index=[10, 11, 12, 13])
    keys = quota_groups(df, TIGAO, ANY_TIME)
    assert keys.name == GROUP_COLUMN and list(keys.index) == [10, 11, 12, 13]
    assert keys[10] == "quota:meeting:organizer:市政府办公室"
    assert keys[12] == "quota:document:issuer:市政府"
    assert keys[11].startswith("rows:") and keys[13].startswith("rows:")  # no quota counts them
    assert quota_groups(df, JINAN)[10].startswith("rows:")  # Jinan has no quotas
    # the bucket is a function of the id alone, the same in any frame and process
    assert quota_groups(df.iloc[[1]].set_index(pd.Index([0])), TIGAO, ANY_TIME)[0] == keys[11]


def test_quotas_grouping_one_type_by_two_fields_have_no_partition_key() -> None:
    cp = compile_pack(TIGAO, ANY_TIME.interpretations)
    meeting_quota = next(a for a in cp.quotas if a.rule.applies_to == "meeting")
    other = replace(meeting_quota, rule=meeting_quota.rule.model_copy(update={"group_by": "convened_by"}))
    two_fields = replace(cp, quotas=(*cp.quotas, other))
    df = pd.DataFrame([{"type": "meeting", "id": "M1", "kind": "全市综合性会议", "held_on": "2026-03-02"}])
    with pytest.raises(ValueError, match="group by convened_by and organizer"):
        quota_groups(df, two_fields)


def test_frame_meta_refuses_a_bad_frame_before_any_partition_runs() -> None:
    ddf = dd.from_pandas(LEDGER.assign(remarks="备注"), npartitions=2)
    with pytest.raises(FrameError, match="remarks"):
        frame_meta(ddf, JINAN, date(2026, 9, 30))


def test_by_quota_group_keeps_its_own_column_name_free() -> None:
    ddf = dd.from_pandas(LEDGER.assign(**{GROUP_COLUMN: "x"}), npartitions=2)
    with pytest.raises(ValueError, match=GROUP_COLUMN):
        by_quota_group(ddf, TIGAO, ANY_TIME)


def test_by_quota_group_puts_each_group_in_one_partition_in_index_order(client: Client) -> None:
    ddf = dd.from_pandas(LEDGER, npartitions=5)
    grouped = by_quota_group(ddf, TIGAO, ANY_TIME, npartitions=3)
    parts: tuple[pd.DataFrame, ...] = dask.compute(*grouped.to_delayed())
    assert len(parts) == 3
    assert sum(len(p) for p in parts) == len(LEDGER) and all(p.index.is_monotonic_increasing for p in parts)
    homes: dict[str, set[int]] = {}
    for i, p in enumerate(parts):
        for key in quota_groups(p, TIGAO, ANY_TIME):
            homes.setdefault(key, set()).add(i)
    assert all(len(h) == 1 for h in homes.values())
    assert sum(k.startswith("quota:") for k in homes) >= 3
    assert np.array_equal(np.sort(np.concatenate([p.index for p in parts])), LEDGER.index.to_numpy())
