"""Pictures of evaluated ledgers, with Chinese labels: a deadline calendar, overdue rates by unit
and month, and cities (or what-ifs) side by side.

Each function takes the ledger frame and what ``govrules.batch.evaluate_frame`` returned for it
(rows matched by index, as evaluate_frame keeps it) and returns a matplotlib ``Figure`` built
with the object API, never pyplot's global state: it works headless and shows in a notebook.
The Chinese font is found first (``fonts.find_cjk_font``); without one nothing is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, Locator
from matplotlib.typing import RcKeyType

from govrules.analysis.fonts import CJKFont, cjk_rc, find_cjk_font
from govrules.analysis.ledger_frames import STATUS_ORDER, join_results, month_zh, overdue_table, status_shares, status_zh
from govrules.batch.columns import day_value
from govrules.calendar import WorkCalendar
from govrules.display import NO_DEADLINE_ZH, STATUS_COLOURS
from govrules.semantics.compiled import CompiledPack
from govrules.errors import HolidayDataMissing, InputError
from govrules.packs.schema import Pack

FontChoice = CJKFont | str | os.PathLike[str] | None
DAY_OFF_COLOURS = {"weekend": "#ececec", "holiday": "#fbd5d0", "working-weekend": "#d7ecd9"}
DAY_OFF_ZH = {"weekend": "周末", "holiday": "法定节假日", "working-weekend": "调休上班"}


def _in_font(font: FontChoice) -> tuple[CJKFont, dict[RcKeyType, Any]]:
    chosen = find_cjk_font(font)
    return chosen, cjk_rc(chosen)


# -- overdue rate by unit and month ---------------------------------------------------------------


def overdue_by_unit_month(ledger: Any, results: Any, *, font: FontChoice = None, title: str | None = None) -> Figure:
    """A heatmap of the overdue rate (``overdue_table``): units down the side, worst first, with
    their rate over the whole period; months across as 2026年3月; empty where nothing was due."""
    table = overdue_table(ledger, results)
    if table.empty:
        raise InputError("overdue_by_unit_month: results", "no matter is finished or past due; nothing to draw")
    totals = table.groupby("unit").agg(due=("due", "sum"), late=("late", "sum"))
    totals["rate"] = totals["late"] / totals["due"]
    units = totals.sort_values(["rate", "due"], ascending=[False, False], kind="stable").index.tolist()
    months = pd.period_range(table["month"].min(), table["month"].max(), freq="M")
    grid = table.pivot(index="unit", columns="month", values="rate").reindex(index=units, columns=months)
    values = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    _, rc = _in_font(font)
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(1.6 + 0.62 * len(months), 1.4 + 0.34 * len(units)), layout="constrained")
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["Reds"].with_extremes(bad="#f5f5f5")
        image = ax.imshow(values, cmap=cmap, vmin=0.0, vmax=max(0.5, float(values.max() or 0)), aspect="auto")
        image.set_gid("overdue-rate")
        ax.set_xticks(range(len(months)), [month_zh(p) for p in months], rotation=45, ha="right")
        ax.set_yticks(range(len(units)), [f"{u}（{totals.at[u, 'rate']:.0%}）" for u in units])
        for (i, j), rate in np.ndenumerate(grid.to_numpy(dtype=float)):
            if not np.isnan(rate):
                ax.text(j, i, f"{rate:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if rate > 0.35 else "#333")
        bar = fig.colorbar(image, ax=ax, format=FuncFormatter(lambda x, _: f"{x:.0%}"), shrink=0.8)
        bar.set_label("逾期率（逾期及逾期办结 / 已到期或已办结）")
        ax.set_xlabel("办理期限所在月份")
        ax.set_ylabel("责任单位（全期逾期率）")
        ax.set_title(title or f"各责任单位逾期率（{_packs_of(results)}）")
    return fig


def _packs_of(results: Any) -> str:
    packs = sorted({str(p) for p in results["pack"].dropna().unique()}) if "pack" in results.columns else []
    return "、".join(packs) or "—"


# -- the deadline calendar --------------------------------------------------------------------------


def _covered(calendar: WorkCalendar, day: date) -> bool:
    try:
        calendar.is_workday(day)
    except HolidayDataMissing:
        return False
    return True


def _named_days(calendar: WorkCalendar, first: date, last: date) -> tuple[dict[date, str], dict[date, str]]:
    """The statutory holidays and the 调休 working weekends in [first, last], with their names."""
    before = first - timedelta(days=1)
    # Both count (a, b]; on the calendar's very first day the day before is unknown, and that
    # day's name is then missing (its shading is not: is_workday knows it).
    start = before if _covered(calendar, before) else first
    return dict(calendar.holidays_in(start, last)), dict(calendar.working_weekends_in(start, last))


def _day_kinds(calendar: WorkCalendar, first: date, last: date, holidays: Mapping[date, str],
               working: Mapping[date, str]) -> dict[date, str]:
    """Each day off in [first, last] -> weekend or holiday; each 调休 working weekend -> working-weekend."""
    kinds: dict[date, str] = {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day in working:
            kinds[day] = "working-weekend"
        elif not calendar.is_workday(day):
            # a weekday off can only be a holiday, named or not
            kinds[day] = "holiday" if day in holidays or day.weekday() < 5 else "weekend"
    return kinds


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _shade(ax: Axes, calendar: WorkCalendar, first: date, last: date) -> None:
    """Shade the days off; name each holiday break above the plot (two staggered rows, so that
    breaks a few days apart, like 中秋 and 国庆, stay legible) and mark each 调休 day 班 below them."""
    holidays, working = _named_days(calendar, first, last)
    kinds = _day_kinds(calendar, first, last, holidays, working)
    label_at = ax.get_xaxis_transform()  # x in data, y in axes fraction: labels sit above the plot
    close = max(3.0, ((last - first).days + 1) / 18)  # days: nearer than this, names would overlap
    previous, row = -1e9, 0
    for kind in ("weekend", "holiday", "working-weekend"):
        for a, b in _runs(d for d, k in kinds.items() if k == kind):
            length = (b - a).days + 1
            span = ax.axvspan(_x(a), _x(b) + 1, color=DAY_OFF_COLOURS[kind], zorder=0, lw=0)
            span.set_gid(kind)
            middle = _x(a) + length / 2
            if kind == "holiday":
                names = "、".join(n for n in dict.fromkeys(holidays.get(a + timedelta(days=i), "") for i in range(length)) if n)
                row = 1 - row if middle - previous < close else 0
                previous = middle
                ax.annotate(names or "假", (middle, 1.0), xycoords=label_at, xytext=(0, 12 + 11 * row),
                            textcoords="offset points", ha="center", va="bottom", fontsize=8, color="#b23b2e")
            elif kind == "working-weekend":
                ax.annotate("班", (middle, 1.0), xycoords=label_at, xytext=(0, 1), textcoords="offset points",
                            ha="center", va="bottom", fontsize=7, color="#2e7d32")


def deadline_calendar(ledger: Any, results: Any, *, calendar: WorkCalendar | None = None, font: FontChoice = None,
                      title: str | None = None, max_matters: int = 60) -> Figure:
    """Each matter of ``results`` (a selection of evaluate_frame's rows, e.g. one unit's overdue
    ones) as a bar from its assignment to its deadline, coloured by status, over the calendar:
    weekends and statutory holidays (法定节假日, named) shaded, 调休 working weekends marked 班.
    A black tick marks completion; a matter without a deadline is a grey diamond (无时限).

    At most ``max_matters`` rows: a picture with more would be unreadable, and a silently cut one
    would look whole. ``calendar`` must be the one the results were evaluated with (default: the
    built-in one).
    """
    m = join_results(ledger, results, "deadline_calendar")
    n = len(m.ids)
    if n == 0:
        raise InputError("deadline_calendar: results", "no rows; expected one or more matters to draw")
    if n > max_matters:
        raise InputError("deadline_calendar: results", f"{n} rows; draws at most {max_matters} "
                         "(select some, e.g. results[results.status == 'overdue'].head(40), or raise max_matters)")
    not_matters = np.flatnonzero(m.case_type != "matter")
    if len(not_matters):
        k = int(not_matters[0])
        raise InputError(f"deadline_calendar: results row {results.index[k]!r} (id {m.ids[k]})",
                         f"is a {m.case_type[k]}; expected matters (督查事项) only, e.g. results[results.type == 'matter']")
    cal = calendar or WorkCalendar.default()
    dated = np.concatenate([m.assigned_on, m.deadline, m.completed_on])
    dated = dated[~np.isnat(dated)]
    first, last = dated.min().item(), dated.max().item()
    for _ in range(2):  # a margin of two days where the calendar knows them
        first = first - timedelta(days=1) if _covered(cal, first - timedelta(days=2)) else first
        last = last + timedelta(days=1) if _covered(cal, last + timedelta(days=1)) else last
    _, rc = _in_font(font)
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(12, 1.6 + 0.32 * n), layout="constrained")
        ax = fig.add_subplot()
        _shade(ax, cal, first, last)
        for y in range(n):
            _matter_bar(ax, y, m.ids[y], day_value(m.assigned_on[y]), day_value(m.deadline[y]), day_value(m.completed_on[y]),
                        m.status[y])
        ax.set_xlim(_x(first), _x(last) + 1)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_yticks(range(n), [f"{i}  {u or ''}" for i, u in zip(m.ids, m.unit)], fontsize=8)
        ax.xaxis.set_major_locator(_date_locator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _md(_day(x))))
        ax.set_xlabel(f"{first.year}年" if first.year == last.year else f"{first.year}年—{last.year}年")
        present = [s for s in STATUS_ORDER if s in set(m.status.tolist())]
        handles = [Patch(color=STATUS_COLOURS[s], label=status_zh(s)) for s in present] + [
            Patch(color=DAY_OFF_COLOURS[k], label=DAY_OFF_ZH[k]) for k in DAY_OFF_COLOURS]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08 - 0.6 / max(n, 4)),
                  ncol=len(handles), fontsize=8, frameon=False)
        ax.set_title(title or f"督查事项办理时限（{_packs_of(results)}，{n} 件）", pad=36)
    return fig


# matplotlib.dates is untyped: these three calls are its only uses here.
def _x(day: date) -> float:
    """A day's start on a date axis."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _day(x: float) -> date:
    day: date = mdates.num2date(x).date()  # type: ignore[no-untyped-call]
    return day


def _date_locator() -> Locator:
    locator: Locator = mdates.AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
    return locator


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _matter_bar(ax: Axes, y: int, ident: str, assigned: date | None, deadline: date | None,
                completed: date | None, status: str | None) -> None:
    """Assigned (the day itself not counted, so the bar starts mid-day) to the deadline's end."""
    colour = STATUS_COLOURS[status]
    if assigned is None:  # not a matter: refused before drawing
        return
    start = _x(assigned) + 0.5
    if deadline is None:
        ax.plot([start], [y], marker="D", color=colour, ms=6, zorder=3, gid=f"matter:{ident}")
        label = status_zh(status) if status == "replied" else NO_DEADLINE_ZH  # replied: no deadline runs
        ax.text(start + 1.5, y, label, va="center", fontsize=7, color="#666")
    else:
        end = _x(deadline) + 1
        ax.barh(y, end - start, left=start, height=0.55, color=colour, zorder=2, gid=f"matter:{ident}")
        if status == "done_late" and completed is not None and completed > deadline:
            ax.barh(y, _x(completed) + 1 - end, left=end, height=0.55, color="none",
                    edgecolor=colour, hatch="////", lw=0.8, zorder=2)
    if completed is not None:
        ax.plot([_x(completed) + 0.5], [y], marker="|", color="black", ms=10, mew=2, zorder=4)


# -- cities (or what-ifs) side by side -------------------------------------------------------------


def _label(key: str, packs: Mapping[str, Pack]) -> str:
    pack = packs.get(key)
    if pack is None:
        return key
    return f"{pack.title}\n{pack.doc_number or pack.id}" + (f"（{key}）" if key != pack.id else "")


def city_comparison(results_by_pack: Mapping[str, Any], *, packs: Iterable[Pack | CompiledPack] = (),
                    font: FontChoice = None, title: str | None = None) -> Figure:
    """The same ledger under several packs (or what-ifs), keyed by pack id: one stacked bar per
    key of the share of matters in each status. A key that is the id of a pack in ``packs`` is
    labelled with the pack's Chinese title and 发文字号."""
    table = status_shares(results_by_pack)
    by_id = {p.id: p for p in (q.pack if isinstance(q, CompiledPack) else q for q in packs)}
    shares = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)
    _, rc = _in_font(font)
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(11, 1.8 + 0.9 * len(table)), layout="constrained")
        ax = fig.add_subplot()
        left = np.zeros(len(table))
        for status, column in zip(STATUS_ORDER, table.columns):
            widths = shares[column].to_numpy()
            bars = ax.barh(range(len(table)), widths, left=left, height=0.6, color=STATUS_COLOURS[status],
                           label=column)
            for bar in bars:
                bar.set_gid(f"share:{column}")
            for y, (w, x, count) in enumerate(zip(widths, left, table[column].to_numpy())):
                if w >= 0.04:
                    ax.text(x + w / 2, y, f"{w:.0%}\n{count}件", ha="center", va="center", fontsize=8,
                            color="white" if status not in ("due_soon", None) else "#222")
            left = left + widths
        ax.set_yticks(range(len(table)), [_label(str(k), by_id) for k in table.index])
        ax.set_ylim(len(table) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0%}"))
        ax.set_xlabel(f"督查事项所占比例（共 {int(table.iloc[0].sum())} 件）")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.3 / len(table)), ncol=len(STATUS_ORDER),
                  frameon=False, fontsize=9)
        ax.set_title(title or "同一台账在不同规则下的办理状态")
    return fig
