"""Messages a 督查室 clerk can read: what the rule says, how the date was counted, where things stand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from govrules.calendar import WorkCalendar
from govrules.semantics.periods import floor_applied
from govrules.semantics.results import STATUS_ZH
from govrules.errors import HolidayDataMissing
from govrules.models import Extension, Matter
from govrules.packs.conditions import All, Compare, Condition, Not, compile_predicate
from govrules.packs.schema import DeadlineRule, LadderRule, LadderStep, Period, Validity
from govrules.semantics.ladder import LadderTally

if TYPE_CHECKING:  # (compiling a pack words its validity here: no import back at run time)
    from govrules.semantics.compiled import Active


def force_phrase(active: Active) -> str:
    """'一般' rules speak as such and name their exception; advisory ones only advise."""
    rule = active.rule
    if rule.force == "default":
        return f"一般应{rule.outcome}(例外:{rule.exception})"  # type: ignore[union-attr]
    if rule.force == "advisory":
        return f"提倡{rule.outcome}"
    return rule.outcome


def deadline_message(
    cal: WorkCalendar, active: Active, subject: str, start: date, base_due: date | None,
    due: date | None, status: str | None, as_of: date, remaining: int | None,
) -> str:
    """``base_due`` is what the rule gives; ``due`` the deadline after any extension."""
    rule = active.rule
    assert isinstance(rule, DeadlineRule)
    head = f"{subject}于{start}交办,依{active.clause.citation}:{force_phrase(active)}。"
    if base_due is None or due is None:
        return head + "未提供明确时限(explicit_deadline),无法计算期限和判断是否逾期;请补充交办时确定的时限。"
    if rule.period.explicit:
        counted = f"期限为明确时限{base_due}"
    elif rule.period.same_day:
        rolled = "" if base_due == start else "(交办日为非工作日,顺延至其后第一个工作日)"
        counted = f"期限为交办当日{base_due}{rolled}"
    else:
        counted = f"期限为{base_due}(自{start}起{describe_period(rule.period)},起算日不计入"
        floor = floor_applied(cal, start, rule.period)
        if floor is not None and rule.period.at_least is not None:  # an extension that would end before the limit it extends
            own = describe_period(rule.period.model_copy(update={"at_least": None}))
            counted += f";{own}于{floor[0]}期满,早于{describe_period(rule.period.at_least)}的{floor[1]},按较晚者计"
        skipped = cal.describe_holidays(start, base_due)
        counted += f";{skipped})" if skipped else ")"
    if due != base_due:
        counted += f",经延期为{due}"
    return head + counted + "。" + status_phrase(status, as_of, due, remaining)


def unknown_message(exc: HolidayDataMissing, what: str) -> str:
    """Why a finding (or a matter's deadline) has no answer, and how to supply the missing year."""
    known = f"(已知{exc.known[0]}-{exc.known[1]}年)" if exc.known else ""
    return (f"{exc.year}年的节假日安排未知{known},无法计算{what}:未知年份不视为“没有节假日”。"
            f"请用 govrules calendar add FILE 安装{exc.year}年的节假日数据(见docs/holiday-data.md;"
            f"一次性使用可加 --holiday-data FILE),或以 --provisional 按仅含周末的日历临时推算。")


def status_phrase(status: str | None, as_of: date, due: date, remaining: int | None) -> str:
    if status is None:
        return ""
    zh = STATUS_ZH[status]
    if status == "overdue":
        return f"截至{as_of}未办结,{zh}(已超过期限{(as_of - due).days}日)。"
    if status in ("on_track", "due_soon") and remaining is not None:
        return f"截至{as_of}{zh},距期限尚有{remaining}个工作日。"
    return f"截至{as_of}:{zh}。"


def _field_zh(case: object, name: str) -> str:
    field = type(case).model_fields.get(name)  # type: ignore[attr-defined]
    return (field.description if field is not None and field.description else name)


def _phrase(case: object, cmp: Compare, holds: bool) -> str:
    """One comparison as a clerk reads it, stated the way it came out for this case."""
    zh, value, operand = _field_zh(case, cmp.field), getattr(case, cmp.field), cmp.operand
    if isinstance(value, bool):
        return zh if value else f"非{zh}"  # 对外正式行文 / 非对外正式行文, never True/False
    shown = "、".join(map(str, value)) if isinstance(value, tuple) else str(value)
    if cmp.operator == "is_null":
        return f"{zh}未填写" if (operand == holds) else f"{zh}为{shown}"
    if cmp.operator == "is_empty":
        return f"{zh}为空" if (operand == holds) else f"{zh}为{shown}"
    if cmp.operator == "contains":
        return f"{zh}含{operand}" if holds else f"{zh}未含{operand}"
    return f"{zh}为{shown}"


def breach_reasons(cond: Condition, case: object) -> list[str]:
    """The facts of the case that make ``cond`` true, e.g. ['责任人未填写', '审批未含市长批准']."""

    def walk(node: Condition, want: bool) -> list[str]:
        if isinstance(node, Compare):
            return [_phrase(case, node, want)]
        if isinstance(node, Not):
            return walk(node.not_, not want)
        # every child that came out the way the whole did is a reason (for all-true and
        # any-false that is every child; for any-true and all-false, each one that decided it)
        children = node.all if isinstance(node, All) else node.any
        return [r for c in children if compile_predicate(c)(case) == want for r in walk(c, want)]

    return walk(cond, True)


def tally_text(rule: LadderRule, tally: LadderTally) -> str:
    """The counts as a clerk reads them, e.g. '通报批评1次、整改不力1次', naming what did not count."""
    text = "、".join(f"{k}{n}次" for k, n in tally.counts.items()) or "无计入事件"
    if tally.not_counted:
        missing: dict[str, set[str]] = {}
        for t in (t for s in rule.steps for t in s.triggers if t.requires_prior):
            for k in t.kinds:
                missing.setdefault(k, set()).update(t.requires_prior)
        skipped: dict[str, int] = {}
        for e in tally.not_counted:
            skipped[e.kind] = skipped.get(e.kind, 0) + 1
        text += "".join(f"({k}{n}次:此前无{'或'.join(sorted(missing[k]))},不计入)" for k, n in skipped.items())
    return text


def accountability_message(rule: LadderRule, tally: LadderTally, unit: str, as_of: date, step: LadderStep | None,
                           citation: str) -> str:
    """A unit's standing on a ladder: the window, what counted, and the step reached (the one
    wording of it: the reference's results and the stream's actions both say this)."""
    window_zh = f"{tally.window}年度内" if rule.window == "calendar_year" else "累计"
    head = f"{unit}截至{as_of}({window_zh}):{tally_text(rule, tally)};"
    if step:
        return f"{head}达到第{step.level}级:{step.outcome}(依{citation})。"
    return f"{head}未达到问责条件。"


def extension_message(outcome: str, active: Active, deadline_active: Active, ext: Extension, due: date,
                      new_due: date, cap: date | None) -> str:
    """What became of an extension request (semantics.extension's outcome), as a clerk reads it."""
    if outcome == "refused":
        return f"该事项不属于{active.clause.citation}允许延期的情形,延期申请不予计算;期限仍为{due}。"
    if outcome == "late":
        return (f"延期申请于{ext.requested_on}提出,不早于期限{due},未做到“提前”申请;"
                f"期限不变,仍为{due}(依{active.clause.citation})。")
    if outcome == "waiting":
        return f"延期申请于{ext.requested_on}提出,尚未获批准;期限不变,仍为{due}。"
    cap_note = ""
    rule = deadline_active.rule
    assert isinstance(rule, DeadlineRule)
    if cap is not None and rule.extension_cap is not None and ext.new_deadline > cap:
        cap_note = (f";申请延至{ext.new_deadline},超过{deadline_active.clause.citation}规定的上限"
                    f"(交办后{describe_period(rule.extension_cap)},即{cap}),按上限计")
    return f"延期申请于{ext.requested_on}在期限{due}前提出并获批准,期限延至{new_due}{cap_note}。"


def matter_subject(matter: Matter) -> str:
    return f"{matter.source}事项"


def late_message(active: Active, matter: Matter, dated: str, due: date, as_of: date) -> str:
    """A matter done late or overdue under its deadline rule; advice is not a breach (未做到)."""
    late = f"{matter.completed_on}办结,晚于期限{due}" if dated == "done_late" else f"截至{as_of}未办结,已超过期限{due}"
    verb = "未做到" if active.rule.force == "advisory" else "违反"
    return f"{matter.lead_unit}承办的{matter.source}事项{late};{verb}{active.clause.citation}:{force_phrase(active)}。"


def _some(days: Sequence[date]) -> str:
    """The first five dates of a list, then 等."""
    return "、".join(map(str, days[:5])) + ("等" if len(days) > 5 else "")


def missed_reports_message(active: Active, missed: Sequence[date], floor: bool) -> str:
    """Recurring reports not made in time; ``floor``: more may lie in a year the calendar does not know."""
    at_least = "至少" if floor else ""
    return (f"应于{_some(missed)}报送的{at_least}{len(missed)}次报告未在期限内报送;"
            f"依{active.clause.citation}:{force_phrase(active)}。")


def next_report_message(active: Active, next_due: date) -> str:
    return f"下次报告应于{next_due}前报送;依{active.clause.citation}:{force_phrase(active)}。"


def duty_message(active: Active, next_due: date) -> str:
    """Someone else's recurring duty (e.g. the 督查室's): a date to know, not the unit's deadline."""
    return (f"依{active.clause.citation}:{force_phrase(active)};下次应于{next_due}前进行"
            "(此为督查机构等的职责,不计入承办单位的期限和状态)。")


def limit_message(active: Active, measured: str, value: int, most: int) -> str:
    return f"{measured}为{value},超过上限{most};依{active.clause.citation}:{force_phrase(active)}。"


def deemed_message(active: Active, period: Period, start: date, due: date, answer: date | None, outcome: str) -> str:
    late = f"于{answer}才反馈,晚于期限" if answer is not None else "未反馈"
    return f"自{start}起{describe_period(period)}(至{due}){late},{outcome};依{active.clause.citation}。"


def check_message(active: Active, reasons: Sequence[str]) -> str:
    return "、".join(dict.fromkeys(reasons)) + f";依{active.clause.citation}:{force_phrase(active)}。"


def quota_limit_phrase(limit: int, unit: str, before: int | None, reduce_by: float | None) -> str:
    """The quota a case exceeded: a yearly cap, or a cut from last year's count."""
    if before is None or reduce_by is None:
        return f"每年{limit}{unit}的上限"
    return f"上限{limit}{unit}(上年{before}{unit},减少{reduce_by:.0%})"


def quota_message(active: Active, key: object, year: int, k: int, unit: str, as_of: date, count: int, why: str) -> str:
    return (f"{key}在{year}年的第{k}{unit}(截至{as_of}共{count}{unit}),超出{why};"
            f"依{active.clause.citation}:{force_phrase(active)}。")


def describe_period(period: Period) -> str:
    if period.working_days is not None:
        text = f"{period.working_days}个工作日"
    elif period.days is not None:
        text = f"{period.days}日"
    elif period.months is not None:
        text = f"{period.months}个月"
    elif period.same_day:
        return "当日"
    else:
        return "明确时限"
    return text if period.at_least is None else f"{text},且不少于{describe_period(period.at_least)}"


Why = Literal["undated", "before", "ended", "ended_undated"]


def not_in_force_reason(v: Validity, day: date, why: Why) -> str:
    if why == "undated":
        return "来源未注明文件的施行日期,无法确认其在该日有效"
    if why == "before":
        return f"{day} 早于施行日期 {v.in_force_from}"
    if why == "ended_undated":
        return f"文件已{v.status},失效日期不详,无法确认 {day} 时仍有效"
    return f"{day} 不早于失效日期 {v.ended}"
