"""The pictures: drawn from a realistic generated ledger, rendered to PNG, and checked against the
calendar and against pandas computations made here independently of the plotting code."""

from __future__ import annotations

import io
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from ledger_generator import generator

from govrules import bundled_pack
from govrules.analysis.fonts import CJKFontMissing, find_cjk_font
from govrules.analysis.plots import (
    _runs,
    city_comparison,
    deadline_calendar,
    overdue_by_unit_month,
    overdue_table,
    status_shares,
)
from govrules.batch import evaluate_frame
from govrules.calendar import WorkCalendar
from govrules.errors import InputError

try:
    find_cjk_font()
except CJKFontMissing as exc:  # the pictures refuse to draw without one; nothing to test
    pytest.skip(f"no CJK font on this machine: {exc}", allow_module_level=True)

AS_OF = date(2026, 12, 31)
CAL = WorkCalendar.default()




GEN = generator()
LEDGER = pd.DataFrame(GEN.generate(7, matters=800, meetings=20, documents=20, events=0, year=2026))
JINAN, SHAOXING = bundled_pack("jinan-2016-30"), bundled_pack("shaoxing-2008-185")
R_JINAN = evaluate_frame(LEDGER, JINAN, AS_OF)
R_SHAOXING = evaluate_frame(LEDGER, SHAOXING, AS_OF)
DEADLINE = pd.to_datetime(R_JINAN["deadline"])
ASSIGNED = pd.to_datetime(LEDGER["assigned_on"])


def _short_matters(first: str, last: str, n: int = 16) -> Any:
    """Matters of under 40 days whose deadline falls in [first, last], a few of each status."""
    keep = (DEADLINE >= first) & (DEADLINE <= last) & ((DEADLINE - ASSIGNED).dt.days < 40)
    return R_JINAN[keep].groupby("status", observed=True).head(4).head(n)


def render(fig: Figure, path: Path | None = None) -> bytes:
    """PNG bytes; a glyph missing from the fonts (tofu) makes matplotlib warn, and fails here."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buffer, format="png", dpi=40)
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    if path is not None:
        path.write_bytes(data)
    return data


def uncovered_texts(fig: Figure) -> list[tuple[str, str]]:
    """(text, characters its font lacks) for every non-empty text of the figure."""
    out = []
    for text in fig.findobj(Text):
        content = text.get_text()
        if not content.strip():
            continue
        font = font_manager.get_font(font_manager.findfont(text.get_fontproperties()))
        charmap = font.get_charmap()
        lacking = "".join(c for c in content if not c.isspace() and ord(c) not in charmap)
        if lacking:
            out.append((content, lacking))
    return out


def chinese_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]


def test_the_glyph_check_fails_on_a_figure_drawn_without_the_cjk_font() -> None:
    fig = Figure()
    fig.add_subplot().set_title("逾期办结")  # default font: DejaVu Sans
    assert uncovered_texts(fig) == [("逾期办结", "逾期办结")]
    with pytest.raises(UserWarning, match="missing from font"):
        render(fig)


# -- the deadline calendar ---------------------------------------------------------------------


def _spans(fig: Figure, gid: str) -> set[date]:
    ax = fig.axes[0]
    days: set[date] = set()
    for patch in ax.patches:
        if patch.get_gid() == gid:
            x0, _ = patch.get_bbox().x0, patch.get_bbox().x1
            first = mdates.num2date(x0).date()
            width = round(patch.get_bbox().x1 - x0)
            days |= {first + timedelta(days=i) for i in range(width)}
    return days


def _shown_days(fig: Figure) -> list[date]:
    lo, hi = fig.axes[0].get_xlim()
    first = mdates.num2date(lo).date()
    return [first + timedelta(days=i) for i in range(round(hi - lo))]


@pytest.mark.parametrize(("first", "last", "breaks"), [
    ("2026-09-24", "2026-10-20", ("国庆节",)),
    ("2026-02-05", "2026-03-10", ("春节",)),
])
def test_calendar_shades_exactly_the_calendars_days_off(tmp_path: Path, first: str, last: str,
                                                        breaks: tuple[str, ...]) -> None:
    selection = _short_matters(first, last)
    assert len(selection) >= 8
    fig = deadline_calendar(LEDGER, selection)
    render(fig, tmp_path / "calendar.png")
    days = _shown_days(fig)
    off = {d for d in days if not CAL.is_workday(d)}
    named = dict(CAL.holidays_in(days[0] - timedelta(days=1), days[-1]))
    working = {d for d, _ in CAL.working_weekends_in(days[0] - timedelta(days=1), days[-1])}
    holiday, weekend = _spans(fig, "holiday"), _spans(fig, "weekend")
    assert holiday | weekend == off and not holiday & weekend
    assert holiday == {d for d in off if d in named or d.weekday() < 5}
    assert _spans(fig, "working-weekend") == working and working
    for name in breaks:  # each break of the calendar is shaded whole and labelled in Chinese
        break_days = {d for d, n in named.items() if n == name}
        assert break_days and break_days <= holiday
        assert any(name in t for t in chinese_texts(fig))
    assert "班" in chinese_texts(fig)
    assert uncovered_texts(fig) == []


def test_national_day_2026_as_the_calendar_has_it() -> None:
    fig = deadline_calendar(LEDGER, _short_matters("2026-09-24", "2026-10-20"))
    national = {d for d, n in CAL.holidays_in(date(2026, 9, 30), date(2026, 10, 31)) if n == "国庆节"}
    assert national == {date(2026, 10, d) for d in range(1, 8)}  # 1–7 October, per chinese-calendar
    assert national <= _spans(fig, "holiday")
    assert date(2026, 10, 10) in _spans(fig, "working-weekend")  # a Saturday worked for it


def test_calendar_bars_run_from_assignment_to_deadline_in_the_status_colour() -> None:
    selection = _short_matters("2026-04-20", "2026-06-10")
    fig = deadline_calendar(LEDGER, selection)
    bars = {p.get_gid(): p for p in fig.axes[0].patches if str(p.get_gid()).startswith("matter:")}
    assert len(bars) == len(selection)
    colours = {"done": "#2e7d32", "done_late": "#ef6c00", "overdue": "#c62828", "due_soon": "#f9a825",
               "on_track": "#1565c0"}
    for label, row in selection.iterrows():
        bar = bars[f"matter:{row['id']}"]
        box = bar.get_bbox()
        assert mdates.num2date(box.x1).date() == pd.Timestamp(row["deadline"]).date() + timedelta(days=1)
        assert mdates.num2date(box.x0 - 0.5).date() == pd.Timestamp(LEDGER.at[label, "assigned_on"]).date()
        assert matplotlib.colors.to_hex(bar.get_facecolor()) == colours[row["status"]]


def test_calendar_takes_chinese_column_names() -> None:
    matters = LEDGER[LEDGER["type"] == "matter"].dropna(axis=1, how="all")  # 主办单位 is a meeting's organizer too
    chinese = matters.rename(columns={"assigned_on": "交办日期", "lead_unit": "主办单位", "completed_on": "办结日期",
                                      "type": "类型", "id": "编号"})
    selection = _short_matters("2026-04-20", "2026-05-20")
    fig = deadline_calendar(chinese, evaluate_frame(chinese, JINAN, AS_OF).loc[selection.index])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [f"{r['id']}  {LEDGER.at[i, 'lead_unit']}" for i, r in selection.iterrows()]


def test_calendar_refuses_what_it_cannot_draw_whole() -> None:
    with pytest.raises(InputError, match="800 rows; draws at most 60"):
        deadline_calendar(LEDGER, R_JINAN[R_JINAN["type"] == "matter"])
    with pytest.raises(InputError, match=r"is a meeting; expected matters"):
        deadline_calendar(LEDGER, R_JINAN[R_JINAN["type"] != "document"].tail(3))
    with pytest.raises(InputError, match="no rows"):
        deadline_calendar(LEDGER, R_JINAN.head(0))
    other = LEDGER.iloc[::-1].reset_index(drop=True)  # the same rows, another order: ids no longer match
    with pytest.raises(InputError, match=r"results row 0 \(id DC-2026-0001\).*has id"):
        deadline_calendar(other, R_JINAN.head(3))
    with pytest.raises(InputError, match="no row with that index label"):
        deadline_calendar(LEDGER.head(2), R_JINAN.head(3))


def test_matters_without_a_deadline_are_drawn_as_such() -> None:
    open_ended = R_SHAOXING[(R_SHAOXING["type"] == "matter") & R_SHAOXING["status"].isna()].head(3)
    fig = deadline_calendar(LEDGER, open_ended)
    assert [t.get_text() for t in fig.axes[0].texts].count("无时限") == 3
    assert len([p for p in fig.axes[0].lines if str(p.get_gid()).startswith("matter:")]) == 3
    assert "无时限" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_the_same_inputs_give_the_same_png_bytes() -> None:
    selection = _short_matters("2026-09-24", "2026-10-20", 6)
    assert render(deadline_calendar(LEDGER, selection)) == render(deadline_calendar(LEDGER, selection))


@given(st.sets(st.integers(0, 60)))
def test_runs_partition_the_days_into_maximal_consecutive_spans(offsets: set[int]) -> None:
    start = date(2026, 1, 1)
    days = {start + timedelta(days=o) for o in offsets}
    runs = _runs(days)
    covered = [a + timedelta(days=i) for a, b in runs for i in range((b - a).days + 1)]
    assert sorted(covered) == sorted(days)  # every day once
    assert all((b2 - a1).days > 1 for (_, a1), (b2, _) in zip(runs, runs[1:]))  # no two runs touch


# -- overdue rate by unit and month ------------------------------------------------------------


SIX_UNITS = sorted(LEDGER["lead_unit"].dropna().unique())[:6]  # a smaller grid renders faster
R_SIX = R_JINAN[LEDGER["lead_unit"].isin(SIX_UNITS)]


def _expected_rates() -> Any:
    joined = R_SIX.join(LEDGER[["lead_unit"]])
    done = joined[joined["status"].isin(["done", "done_late", "overdue"])].copy()
    done["month"] = pd.to_datetime(done["deadline"]).dt.strftime("%Y-%m")
    done["late"] = done["status"].isin(["overdue", "done_late"])
    return done.groupby(["lead_unit", "month"])["late"].mean().unstack()


def test_heatmap_cells_equal_a_pandas_groupby(tmp_path: Path) -> None:
    fig = overdue_by_unit_month(LEDGER, R_SIX)
    render(fig, tmp_path / "heatmap.png")
    ax = fig.axes[0]
    image = next(i for i in ax.get_images() if i.get_gid() == "overdue-rate")
    units = [t.get_text().split("（")[0] for t in ax.get_yticklabels()]
    months = [t.get_text() for t in ax.get_xticklabels()]
    expected = _expected_rates()
    assert sorted(units) == sorted(expected.index) == SIX_UNITS
    assert months == [f"{int(m[:4])}年{int(m[5:])}月" for m in expected.columns]
    want = expected.loc[units].to_numpy(dtype=float)
    got = np.ma.filled(image.get_array().astype(float), np.nan)
    np.testing.assert_allclose(got, want, equal_nan=True)
    # worst unit first, by its rate over the whole year
    overall = [float(t.get_text().split("（")[1].rstrip("%）")) for t in ax.get_yticklabels()]
    assert overall == sorted(overall, reverse=True)
    assert uncovered_texts(fig) == []


def test_overdue_table_counts_every_settled_matter_once() -> None:
    table = overdue_table(LEDGER, R_JINAN)
    settled = R_JINAN["status"].isin(["done", "done_late", "overdue"])
    assert table["due"].sum() == settled.sum()
    assert table["late"].sum() == R_JINAN["status"].isin(["overdue", "done_late"]).sum()
    assert ((table["rate"] >= 0) & (table["rate"] <= 1)).all()


def test_heatmap_with_nothing_due_is_refused() -> None:
    with pytest.raises(InputError, match="no matter is finished or past due"):
        overdue_by_unit_month(LEDGER, R_JINAN[R_JINAN["type"] == "meeting"])


# -- cities side by side -----------------------------------------------------------------------


def test_city_bars_are_the_status_shares(tmp_path: Path) -> None:
    results = {"jinan-2016-30": R_JINAN, "shaoxing-2008-185": R_SHAOXING}
    fig = city_comparison(results, packs=[JINAN, SHAOXING])
    render(fig, tmp_path / "cities.png")
    ax = fig.axes[0]
    names = {"done": "按期办结", "done_late": "逾期办结", "overdue": "逾期", "due_soon": "临期", "on_track": "办理中",
             "replied": "已回复进展,待办结"}
    for y, frame in enumerate(results.values()):
        matters = frame[frame["type"] == "matter"]
        shares = matters["status"].astype(object).fillna("none").value_counts(normalize=True)
        for status, share in shares.items():
            gid = f"share:{names.get(str(status), '无时限')}"
            bar = next(p for p in ax.patches if p.get_gid() == gid and abs(p.get_y() + p.get_height() / 2 - y) < 1e-9)
            assert bar.get_width() == pytest.approx(share)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith(JINAN.title) and "济政办发〔2016〕30号" in labels[0]
    assert labels[1].startswith(SHAOXING.title)
    assert uncovered_texts(fig) == []


def test_status_shares_count_matters_per_status_for_what_ifs_too() -> None:
    table = status_shares({"jinan": R_JINAN, "jinan again": R_JINAN})
    assert list(table.index) == ["jinan", "jinan again"]
    assert table.loc["jinan", "逾期"] == (R_JINAN["status"] == "overdue").sum()
    assert table.loc["jinan"].sum() == (R_JINAN["type"] == "matter").sum()


def test_city_comparison_refuses_different_ledgers() -> None:
    with pytest.raises(InputError, match=r"city_comparison: shaoxing: 10 matters"):
        city_comparison({"jinan": R_JINAN, "shaoxing": R_SHAOXING.head(10)})
    with pytest.raises(InputError, match="no results"):
        city_comparison({})


def test_results_dates_may_be_text_and_bad_ones_are_named() -> None:
    as_text = R_JINAN.assign(deadline=pd.to_datetime(R_JINAN["deadline"]).dt.strftime("%Y-%m-%d"))
    pd.testing.assert_frame_equal(overdue_table(LEDGER, as_text), overdue_table(LEDGER, R_JINAN))
    broken = as_text.assign(deadline=as_text["deadline"].where(as_text.index != 5, "2026-13-01"))
    with pytest.raises(InputError, match=r"overdue_table: results column deadline, row 5: got '2026-13-01'"):
        overdue_table(LEDGER, broken)


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_a_missing_status_reads_as_no_deadline(missing: object) -> None:
    from govrules.analysis.plots import status_zh

    assert status_zh(missing) == "无时限" and status_zh("overdue") == "逾期"
    with pytest.raises(KeyError):
        status_zh("late")
