"""Messages a 督查室 clerk can read, each made from a finding's trace (semantics.trace): what the
rule says, how the date was counted, where things stand. ``render`` is the one place a finding's
message is made; ``accountability_message`` the one wording of a unit's standing on a ladder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from govrules.calendar import WorkCalendar
from govrules.errors import HolidayDataMissing
from govrules.models import Matter
from govrules.packs.schema import DeadlineRule, LadderRule, LadderStep
from govrules.semantics.ladder import LadderTally
from govrules.semantics.periods import floor_applied
from govrules.semantics.phrases import describe_period, force_phrase, status_phrase, tally_text, unknown_message
from govrules.semantics.trace import (
    CheckTrace, DeadlineTrace, DeemedTrace, ExtensionTrace, LateTrace, LimitTrace, MissedTrace, NextReportTrace,
    QuotaTrace, Trace, UnknownTrace,
)

if TYPE_CHECKING:
    from govrules.semantics.compiled import Active


def render(trace: Trace, active: Active, cal: WorkCalendar | None = None) -> str:
    """The message of a finding of ``active``'s rule whose decision ``trace`` records (``cal``:
    the calendar it counted with, for a deadline's holidays)."""
    if isinstance(trace, DeadlineTrace):
        assert cal is not None
        return _deadline(trace, active, cal)
    if isinstance(trace, ExtensionTrace):
        return _extension(trace, active)
    if isinstance(trace, LateTrace):
        late = (f"{trace.completed_on}办结,晚于期限{trace.due}" if trace.dated == "done_late"
                else f"截至{trace.as_of}未办结,已超过期限{trace.due}")
        verb = "未做到" if active.rule.force == "advisory" else "违反"  # advice is not a breach
        return f"{trace.lead_unit}承办的{trace.subject}{late};{verb}{active.clause.citation}:{force_phrase(active)}。"
    if isinstance(trace, MissedTrace):
        at_least = "至少" if trace.floor else ""
        return (f"应于{_some(trace.missed)}报送的{at_least}{len(trace.missed)}次报告未在期限内报送;"
                f"依{active.clause.citation}:{force_phrase(active)}。")
    if isinstance(trace, NextReportTrace):
        if trace.duty:  # someone else's duty (e.g. the 督查室's): a date to know, not the unit's deadline
            return (f"依{active.clause.citation}:{force_phrase(active)};下次应于{trace.next_due}前进行"
                    "(此为督查机构等的职责,不计入承办单位的期限和状态)。")
        return f"下次报告应于{trace.next_due}前报送;依{active.clause.citation}:{force_phrase(active)}。"
    if isinstance(trace, LimitTrace):
        return f"{trace.measured}为{trace.value},超过上限{trace.most};依{active.clause.citation}:{force_phrase(active)}。"
    if isinstance(trace, DeemedTrace):
        late = f"于{trace.answer}才反馈,晚于期限" if trace.answer is not None else "未反馈"
        return (f"自{trace.start}起{describe_period(trace.period)}(至{trace.due}){late},{trace.outcome};"
                f"依{active.clause.citation}。")
    if isinstance(trace, CheckTrace):
        return "、".join(dict.fromkeys(trace.reasons)) + f";依{active.clause.citation}:{force_phrase(active)}。"
    if isinstance(trace, QuotaTrace):
        return _quota(trace, active)
    return unknown_message(trace.year, trace.known, trace.what)


def unknown_trace(exc: HolidayDataMissing, what: str) -> UnknownTrace:
    return UnknownTrace(exc.year, exc.known, what)


def matter_subject(matter: Matter) -> str:
    return f"{matter.source}事项"


def _deadline(t: DeadlineTrace, active: Active, cal: WorkCalendar) -> str:
    """``base_due`` is what the rule gives; ``due`` the deadline after any extension."""
    rule = active.rule
    assert isinstance(rule, DeadlineRule)
    head = f"{t.subject}于{t.start}交办,依{active.clause.citation}:{force_phrase(active)}。"
    if t.base_due is None or t.due is None:
        return head + "未提供明确时限(explicit_deadline),无法计算期限和判断是否逾期;请补充交办时确定的时限。"
    if rule.period.explicit:
        counted = f"期限为明确时限{t.base_due}"
    elif rule.period.same_day:
        rolled = "" if t.base_due == t.start else "(交办日为非工作日,顺延至其后第一个工作日)"
        counted = f"期限为交办当日{t.base_due}{rolled}"
    else:
        counted = f"期限为{t.base_due}(自{t.start}起{describe_period(rule.period)},起算日不计入"
        floor = floor_applied(cal, t.start, rule.period)
        if floor is not None and rule.period.at_least is not None:  # an extension that would end before the limit it extends
            own = describe_period(rule.period.model_copy(update={"at_least": None}))
            counted += f";{own}于{floor[0]}期满,早于{describe_period(rule.period.at_least)}的{floor[1]},按较晚者计"
        skipped = cal.describe_holidays(t.start, t.base_due)
        counted += f";{skipped})" if skipped else ")"
    if t.due != t.base_due:
        counted += f",经延期为{t.due}"
    return head + counted + "。" + status_phrase(t.status, t.as_of, t.due, t.remaining)


def _extension(t: ExtensionTrace, active: Active) -> str:
    """What became of an extension request (semantics.extension's outcome)."""
    if t.outcome == "refused":
        return f"该事项不属于{active.clause.citation}允许延期的情形,延期申请不予计算;期限仍为{t.due}。"
    if t.outcome == "late":
        return (f"延期申请于{t.requested_on}提出,不早于期限{t.due},未做到“提前”申请;"
                f"期限不变,仍为{t.due}(依{active.clause.citation})。")
    if t.outcome == "waiting":
        return f"延期申请于{t.requested_on}提出,尚未获批准;期限不变,仍为{t.due}。"
    cap_note = ""
    if t.cap is not None and t.cap_period is not None and t.asked_for > t.cap:
        cap_note = (f";申请延至{t.asked_for},超过{t.cap_citation}规定的上限"
                    f"(交办后{describe_period(t.cap_period)},即{t.cap}),按上限计")
    return f"延期申请于{t.requested_on}在期限{t.due}前提出并获批准,期限延至{t.new_due}{cap_note}。"


def _quota(t: QuotaTrace, active: Active) -> str:
    if t.before is None or t.reduce_by is None:
        why = f"每年{t.limit}{t.unit}的上限"
    else:
        why = f"上限{t.limit}{t.unit}(上年{t.before}{t.unit},减少{t.reduce_by:.0%})"
    return (f"{t.key}在{t.year}年的第{t.position}{t.unit}(截至{t.as_of}共{t.members}{t.unit}),超出{why};"
            f"依{active.clause.citation}:{force_phrase(active)}。")


def _some(days: Sequence[date]) -> str:
    """The first five dates of a list, then 等."""
    return "、".join(map(str, days[:5])) + ("等" if len(days) > 5 else "")


def accountability_message(rule: LadderRule, tally: LadderTally, unit: str, as_of: date, step: LadderStep | None,
                           citation: str) -> str:
    """A unit's standing on a ladder: the window, what counted, and the step reached (the one
    wording of it: the reference's results and the stream's actions both say this)."""
    window_zh = f"{tally.window}年度内" if rule.window == "calendar_year" else "累计"
    head = f"{unit}截至{as_of}({window_zh}):{tally_text(rule, tally)};"
    if step:
        return f"{head}达到第{step.level}级:{step.outcome}(依{citation})。"
    return f"{head}未达到问责条件。"


# -- the supervision stream's actions (催办, 逾期); its 问责 says accountability_message --------------


def urge_message(matter_id: str, source: str, lead_unit: str, deadline: date, remaining: int | None, citation: str) -> str:
    left = f"仅剩{remaining}个工作日" if remaining is not None else "临近期限"
    return f"{lead_unit}承办的{source}事项{matter_id}将于{deadline}到期,{left},予以催办(依{citation})。"


def overdue_message(matter_id: str, source: str, lead_unit: str, deadline: date | None, on: date, citation: str) -> str:
    due = f"已超过期限{deadline}" if deadline is not None else "已逾期"
    return f"{lead_unit}承办的{source}事项{matter_id}截至{on}未办结,{due},列为逾期(依{citation})。"
