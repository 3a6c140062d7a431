"""Seeded Jinan ledgers as DataFrames, for bench.batch and bench.age.

A ledger is built with numpy in the forms a ledger read from Parquet has in pandas 3: Arrow
strings, datetime64 dates with NaT, bools, and an Arrow list<date32> of progress reports. Its mix:
sources in the shares of a 督查 ledger, 35% with an explicit deadline, 45% completed, 4% with an
extension request, 30% with progress reports, 6% complex (周报制, weekly reports) and 3%
政府工作报告 matters (季报, quarterly reports).

``first``/``last`` bound the assignment dates. Every other date is drawn as an offset from the
matter's own assignment, from the same seeded stream: two ledgers with the same seed and size
but different spans are the same matters, only older (the comparison bench.age makes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]

PACK_ID = "jinan-2016-30"
AS_OF = date(2026, 6, 30)
SEED = 20161223
NEW = ("2026-01-05", "2026-06-26")  # matters of this half-year
TEN_YEARS = ("2016-12-23", "2026-06-26")  # over the (almost) ten years since the Jinan rules came into force
UNITS = np.array(["市住房城乡建设局", "市交通运输局", "市生态环境局", "市教育局", "市卫生健康委", "历下区政府"])
# sources and their share of a 督查 ledger (all have a deadline rule in the Jinan pack)
SOURCES = {"市领导批示": 0.30, "上级批示": 0.12, "上级督查": 0.06, "常务会议": 0.14, "专题会议": 0.08,
           "人大代表建议": 0.10, "政协提案": 0.08, "重要文件": 0.04, "重点项目": 0.04, "交办": 0.04}


def _days(rng: np.random.Generator, first: str, last: str, size: int) -> np.ndarray[Any, Any]:
    """Uniform days in [first, last]; from floats, so that the stream moves on by the same draws
    whatever the span (rng.integers may draw more for some bounds than for others)."""
    lo, hi = np.datetime64(first, "D"), np.datetime64(last, "D")
    return lo + (rng.random(size) * (int((hi - lo).astype(int)) + 1)).astype(np.int64)


def ledger(size: int, seed: int = SEED, span: tuple[str, str] = NEW) -> pd.DataFrame:
    """``size`` matters as a DataFrame, in the mix described above, assigned within ``span``."""
    rng = np.random.default_rng(seed)
    names = list(SOURCES)
    source = np.array(names)[rng.choice(len(names), size, p=np.array(list(SOURCES.values())))]
    source[rng.random(size) < 0.03] = "政府工作报告"
    complex_ = rng.random(size) < 0.06
    assigned = _days(rng, *span, size)
    explicit = np.where(rng.random(size) < 0.35, assigned + rng.integers(5, 60, size), np.datetime64("NaT"))
    done = rng.random(size) < 0.45
    completed = np.where(done, np.minimum(assigned + rng.integers(1, 40, size), np.datetime64(AS_OF)), np.datetime64("NaT"))
    urgency = np.where(rng.random(size) < 0.05, "紧急", "一般")
    asked = rng.random(size) < 0.04
    requested = np.where(asked, assigned + rng.integers(1, 20, size), np.datetime64("NaT"))
    new_deadline = np.where(asked, requested + rng.integers(10, 120, size), np.datetime64("NaT"))
    approved = asked & (rng.random(size) < 0.8)
    # progress reports: none for most rows, one or two for some
    count = np.where(rng.random(size) < 0.3, rng.integers(1, 3, size), 0)
    offsets = np.concatenate(([0], np.cumsum(count))).astype(np.int32)
    report_days = np.repeat(assigned, count) + rng.integers(1, 10, int(offsets[-1]))
    report_days = np.minimum(report_days, np.datetime64(AS_OF))
    days_since_1970 = report_days.astype("datetime64[D]").astype(np.int32)
    reports = pa.ListArray.from_arrays(pa.array(offsets), pa.array(days_since_1970, pa.date32()))
    ids = pd.Series(np.char.add("DC-", np.char.zfill(np.arange(size).astype(str), 7)), dtype="str")
    return pd.DataFrame({
        "type": pd.Series(np.full(size, "matter"), dtype="str"),
        "id": ids,
        "source": pd.Series(source, dtype="str"),
        "assigned_on": assigned.astype("datetime64[s]"),
        "explicit_deadline": explicit.astype("datetime64[s]"),
        "urgency": pd.Series(urgency, dtype="str"),
        "complex": complex_,
        "lead_unit": pd.Series(UNITS[rng.integers(0, len(UNITS), size)], dtype="str"),
        "completed_on": completed.astype("datetime64[s]"),
        "extension_requested_on": requested.astype("datetime64[s]"),
        "extension_new_deadline": new_deadline.astype("datetime64[s]"),
        "extension_approved": approved,
        "reports": pd.Series(pd.arrays.ArrowExtensionArray(reports)),
    })


def records(df: pd.DataFrame, rows: np.ndarray[Any, Any]) -> list[dict[str, Any]]:
    """The rows as the JSON objects of the interchange contract."""
    out = []
    for rec in df.iloc[rows].to_dict("records"):
        raw = {k: v for k, v in rec.items() if not k.startswith("extension_") and not _empty(v)}
        for key in ("assigned_on", "explicit_deadline", "completed_on"):
            if key in raw:
                raw[key] = raw[key].date().isoformat()
        raw["reports"] = [d.isoformat() for d in rec["reports"]]
        if not _empty(rec["extension_requested_on"]):
            raw["extension"] = {"requested_on": rec["extension_requested_on"].date().isoformat(),
                                "new_deadline": rec["extension_new_deadline"].date().isoformat(),
                                "approved": bool(rec["extension_approved"])}
        out.append(raw)
    return out


def _empty(v: Any) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v))
