"""HTML for notebooks: an Evaluation, a Finding or a Pack as a readable, self-contained table.

``Evaluation._repr_html_`` and the others call these, so a result left at the end of a notebook
cell shows as a table. Every value is escaped: pack text and case text are data, not markup.

Imports go one way: semantics/results.py and packs/schema.py import this module (inside
``_repr_html_``), and it imports neither. What it renders is described by the read-only protocols
below, which those classes meet (mypy checks it where they call in), and the statuses' Chinese
names come from govrules.labels, below both. Only the standard library is imported besides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from datetime import date
from html import escape
from typing import Protocol

from govrules.labels import STATUS_ZH


class InterpretationShown(Protocol):
    """semantics.results.InterpretationUsed, as shown."""

    @property
    def id(self) -> str: ...
    @property
    def choice(self) -> str: ...
    @property
    def reading(self) -> str: ...


class FindingShown(Protocol):
    """semantics.results.Finding, as shown."""

    @property
    def rule(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def force(self) -> str: ...
    @property
    def citation(self) -> str: ...
    @property
    def clause_text(self) -> str: ...
    @property
    def due(self) -> date | None: ...
    @property
    def message(self) -> str: ...
    @property
    def interpretations(self) -> Sequence[InterpretationShown]: ...
    @property
    def in_force(self) -> bool: ...


class EvaluationShown(Protocol):
    """semantics.results.Evaluation, as shown."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def pack(self) -> str: ...
    @property
    def as_of(self) -> date: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def provisional(self) -> bool: ...
    @property
    def findings(self) -> Sequence[FindingShown]: ...


class ClauseShown(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def citation(self) -> str: ...


class RuleShown(Protocol):
    """Any rule of packs.schema; a ladder's steps (each with its clause) are read if present."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def force(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def clause(self) -> str: ...


class ValidityShown(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def in_force_from(self) -> date | None: ...
    @property
    def ended(self) -> date | None: ...
    @property
    def end_known(self) -> bool: ...
    @property
    def note(self) -> str: ...


class PackShown(Protocol):
    """packs.schema.Pack, as shown."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def doc_number(self) -> str | None: ...
    @property
    def issued(self) -> date | None: ...
    @property
    def validity(self) -> ValidityShown: ...
    @property
    def clauses(self) -> Sequence[ClauseShown]: ...
    @property
    def rules(self) -> Sequence[RuleShown]: ...
    @property
    def not_encoded(self) -> Sized: ...


NO_DEADLINE_ZH = "无时限"
# The supervision systems' lights: green done, red late, amber soon, blue open, teal replied (limit
# met by a progress reply, awaiting completion); grey: no deadline.
STATUS_COLOURS = {
    "done": "#2e7d32", "done_late": "#ef6c00", "overdue": "#c62828", "due_soon": "#f9a825",
    "on_track": "#1565c0", "replied": "#00838f", "unknown": "#6a1b9a", None: "#9e9e9e",
}
KIND_ZH = {"deadline": "时限", "violation": "违反", "obligation": "报送义务", "deemed": "视为",
           "accountability": "问责", "advice": "建议", "unknown": "未知(缺少节假日数据)"}
FORCE_ZH = {"mandatory": "强制(须/应/不得)", "default": "一般(原则上)", "advisory": "倡导(提倡/尽量)"}
TYPE_ZH = {"matter": "督查事项", "meeting": "会议", "document": "公文"}
NOT_IN_FORCE_ZH = "该日不在或不能确认在该文件施行期内"

_STYLE = ("<style>.govrules{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
          "'Microsoft YaHei',sans-serif;font-size:13px;line-height:1.45}"
          ".govrules table{border-collapse:collapse;margin:4px 0}"
          ".govrules th,.govrules td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
          ".govrules th{background:#f4f4f4}"
          ".govrules .badge{color:#fff;border-radius:3px;padding:1px 6px;font-weight:bold}"
          ".govrules .muted{color:#666}.govrules .clause{color:#444;font-size:12px}</style>")


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    return escape(str(value))


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table; the values are HTML already escaped by the caller."""
    return "<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in pairs) + "</table>"


def _grid(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _wrap(inner: str) -> str:
    return f'{_STYLE}<div class="govrules">{inner}</div>'


def status_badge(status: str | None) -> str:
    """The status in Chinese on its colour (无时限 for a case without a deadline)."""
    label = STATUS_ZH.get(status, status) if status is not None else NO_DEADLINE_ZH
    colour = STATUS_COLOURS.get(status, "#9e9e9e")
    return f'<span class="badge" style="background:{colour}">{escape(str(label))}</span>'


def _force(force: str) -> str:
    return escape(FORCE_ZH.get(force, force))


def _interpretations(used: Sequence[InterpretationShown]) -> str:
    if not used:
        return '<span class="muted">—</span>'
    return "<br>".join(f"{_text(i.id)} = {_text(i.choice)}: {_text(i.reading)}" for i in used)


def _finding_cells(f: FindingShown) -> list[str]:
    kind = f"{_text(f.kind)} {escape(KIND_ZH.get(f.kind, ''))}"
    citation = f'{_text(f.citation)}<div class="clause">{_text(f.clause_text)}</div>'
    message = _text(f.message) if f.message else '<span class="muted">—</span>'
    if not f.in_force:
        message += f'<div class="muted">[{escape(NOT_IN_FORCE_ZH)}]</div>'
    return [kind, f"{_text(f.rule)}<div>{_text(f.outcome)}</div>", _force(f.force), _text(f.due),
            citation, message, _interpretations(f.interpretations)]


_FINDING_HEADERS = ("类别", "规则 / 结论", "效力", "期限", "依据", "说明", "采用的解释")


def finding_html(finding: FindingShown) -> str:
    """One finding: its kind, rule and outcome, force, due date, clause (citation and text),
    message and the interpretations it used."""
    return _wrap(_grid(_FINDING_HEADERS, [_finding_cells(finding)]))


def evaluation_html(evaluation: EvaluationShown) -> str:
    """A case's verdict: id, type, pack, as-of date, deadline and status, then every finding."""
    e = evaluation
    head = _rows([
        ("编号", _text(e.id)),
        ("类型", escape(TYPE_ZH.get(e.type, e.type))),
        ("规则包", _text(e.pack)),
        ("评估日期", _text(e.as_of)),
        ("办理期限", _text(e.deadline)),
        ("状态", status_badge(e.status)
         + (' <span class="muted">(provisional: 按仅含周末的临时日历推算)</span>' if e.provisional else "")),
    ])
    if e.findings:
        body = _grid(_FINDING_HEADERS, [_finding_cells(f) for f in e.findings])
    else:
        body = '<p class="muted">无结论(本规则包的规则均不适用于此案)</p>'
    return _wrap(f"{head}<div><b>结论 {len(e.findings)} 条</b></div>{body}")


def _rule_clauses(rule: object) -> list[str]:
    """The clauses a rule cites: its own, and for a ladder each step's too."""
    clauses = [str(getattr(rule, "clause"))]
    for step in getattr(rule, "steps", ()):
        if step.clause not in clauses:
            clauses.append(str(step.clause))
    return clauses


def pack_html(pack: PackShown) -> str:
    """A pack's metadata and validity, its counts, and a table of its rules with their clauses."""
    v = pack.validity
    citations = {c.id: c.citation for c in pack.clauses}
    validity = f"{_text(v.status)}; 施行: {_text(v.in_force_from)}; 终止: " + (
        _text(v.ended) if v.ended else ("—" if v.end_known else "未知")) + f'<div class="clause">{_text(v.note)}</div>'
    head = _rows([
        ("规则包", _text(pack.id)),
        ("标题", f"<b>{_text(pack.title)}</b>"),
        ("发文机关", _text(pack.issuer)),
        ("发文字号", _text(pack.doc_number)),
        ("发文日期", _text(pack.issued)),
        ("效力", validity),
        ("条款 / 规则 / 未编码条款", f"{len(pack.clauses)} / {len(pack.rules)} / {len(pack.not_encoded)}"),
    ])
    rows = []
    for rule in pack.rules:
        cited = "<br>".join(f"{_text(c)}: {_text(citations.get(c, '?'))}" for c in _rule_clauses(rule))
        rows.append([_text(rule.id), _text(rule.kind), _force(rule.force), _text(rule.outcome), cited])
    table = _grid(("规则", "类别", "效力", "要求", "所依条款"), rows) if rows else '<p class="muted">尚未编码任何规则</p>'
    return _wrap(f"{head}{table}")
