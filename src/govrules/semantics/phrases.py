"""The phrases every message shares: a rule's force, a period, a status, a year without holiday
data, a ladder's counts, why a document was not in force, the facts that break a condition.
Part of the one wording (semantics.wording builds the messages from traces with these)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from govrules.packs.conditions import All, Compare, Condition, Not, compile_predicate
from govrules.packs.schema import LadderRule, Period, Validity
from govrules.semantics.ladder import LadderTally
from govrules.semantics.results import STATUS_ZH

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


def unknown_message(year: int, known: tuple[int, int] | None, what: str) -> str:
    """Why a finding (or a matter's deadline) has no answer, and how to supply the missing year."""
    span = f"(已知{known[0]}-{known[1]}年)" if known else ""
    return (f"{year}年的节假日安排未知{span},无法计算{what}:未知年份不视为“没有节假日”。"
            f"请用 govrules calendar add FILE 安装{year}年的节假日数据(见docs/holiday-data.md;"
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


def joined_citation(citations: list[str]) -> str:
    """Several clauses of one document cited together: "济政办发〔2016〕30号 第十六条第（一）项、第七条第（四）项"
    (a citation is the document's number, a space, then the clause; the number is said once)."""
    doc = citations[0].split(" ", 1)[0] + " "
    return "、".join([citations[0], *(c[len(doc):] if c.startswith(doc) else c for c in citations[1:])])
