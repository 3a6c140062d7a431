"""ISO ``YYYY-MM-DD`` strings to datetime64[D] over whole Arrow string arrays.

Only the plainly good strings are accepted here (ten ASCII characters, a real day in
1900-2200); anything else goes to ``parse_iso_date``, the models' own parser, one at a time,
so that acceptance and the messages are exactly the models'.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from govrules.models.dates import EARLIEST, LATEST

EARLIEST_DAY = np.datetime64(EARLIEST, "D")
LATEST_DAY = np.datetime64(LATEST, "D")


def iso_days(arr: Any) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """(days, accepted) for a pyarrow (large_)string Array; days is NaT where not accepted."""
    n = len(arr)
    days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    validity, offsets_buf, data_buf = arr.buffers()
    if n == 0 or data_buf is None:
        return days, np.zeros(n, dtype=bool)
    wide = str(arr.type).startswith("large")
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    starts = offsets[:-1].astype(np.int64)
    candidate = np.diff(offsets) == 10
    if validity is not None:
        candidate &= np.asarray(arr.is_valid())
    where = np.flatnonzero(candidate)
    chars = data[starts[where, None] + np.arange(10)]  # (k, 10) bytes
    digit = (chars >= 48) & (chars <= 57)
    shape_ok = digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & (chars[:, 4] == 45) & (chars[:, 7] == 45)
    num = chars.astype(np.int64) - 48
    year = num[:, 0] * 1000 + num[:, 1] * 100 + num[:, 2] * 10 + num[:, 3]
    month = num[:, 5] * 10 + num[:, 6]
    day = num[:, 8] * 10 + num[:, 9]
    shape_ok &= (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1900) & (year <= 2200)
    first = ((np.where(shape_ok, year, 1970) - 1970) * 12 + np.where(shape_ok, month, 1) - 1).astype("datetime64[M]")
    month_len = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok = shape_ok & (day <= month_len)
    value = first.astype("datetime64[D]") + (day - 1)
    ok &= (value >= EARLIEST_DAY) & (value <= LATEST_DAY)
    days[where[ok]] = value[ok]
    accepted = np.zeros(n, dtype=bool)
    accepted[where[ok]] = True
    return days, accepted
