"""Notebook HTML of an Evaluation, a Finding and a Pack: readable, complete and escaped."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from html import escape
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from govrules import bundled_pack, evaluate, parse_object
from govrules.display import evaluation_html, finding_html, pack_html
from govrules.semantics.results import Evaluation, Finding, InterpretationUsed

JINAN = bundled_pack("jinan-2016-30")
# The README's example: 3 working days from 30 April 2026, the Labour Day break skipped.
LATE = evaluate(parse_object({"type": "matter", "id": "DC-1", "source": "市领导批示", "assigned_on": "2026-04-30",
                              "lead_unit": "市交通局"}), date(2026, 5, 11), JINAN)
MARKUP = {"style", "div", "table", "thead", "tbody", "tr", "th", "td", "span", "br", "b", "p"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


def test_an_evaluation_shows_status_deadline_and_every_finding_with_its_clause() -> None:
    assert LATE.status == "overdue" and LATE.findings
    html = evaluation_html(LATE)
    assert 'style="background:#c62828">逾期</span>' in html
    assert "2026-05-08" in html and "2026-05-11" in html and "督查事项" in html
    for f in LATE.findings:
        for part in (f.rule, f.citation, f.clause_text, f.message, f.outcome):
            assert escape(part) in html
        for used in f.interpretations:
            assert escape(used.id) in html and escape(used.reading) in html
    assert "一般(原则上)" in html or "强制(须/应/不得)" in html
    assert f"结论 {len(LATE.findings)} 条" in html


def test_repr_html_delegates_to_the_display_functions() -> None:
    assert LATE._repr_html_() == evaluation_html(LATE)
    assert LATE.findings[0]._repr_html_() == finding_html(LATE.findings[0])
    assert JINAN._repr_html_() == pack_html(JINAN)


def test_a_case_without_deadline_or_findings_says_so() -> None:
    bare = replace(LATE, deadline=None, status=None, findings=(), provisional=True)
    html = evaluation_html(bare)
    assert ">无时限</span>" in html and "无结论" in html and "provisional" in html


def test_a_finding_outside_the_packs_time_in_force_is_marked() -> None:
    html = finding_html(replace(LATE.findings[0], in_force=False))
    assert "该日不在或不能确认在该文件施行期内" in html
    assert "该日不在" not in finding_html(LATE.findings[0])


def test_a_pack_shows_its_metadata_counts_and_each_rule_with_its_clauses() -> None:
    html = pack_html(JINAN)
    for part in (JINAN.title, JINAN.issuer, JINAN.doc_number, "2016-12-23", JINAN.validity.status):
        assert part is not None and escape(part) in html
    assert f"{len(JINAN.clauses)} / {len(JINAN.rules)} / {len(JINAN.not_encoded)}" in html
    rows = html.split("<tbody>")[1]
    assert rows.count("<tr>") == len(JINAN.rules)
    citations = {c.id: c.citation for c in JINAN.clauses}
    for rule in JINAN.rules:
        assert escape(rule.id) in rows and escape(citations[rule.clause]) in rows
        for step in getattr(rule, "steps", ()):  # a ladder's steps cite clauses of their own
            assert escape(citations[step.clause]) in rows


def test_every_bundled_pack_renders() -> None:
    for pack_id in ("shaoxing-2008-185", "chuzhou-2009-8", "panjin-2015-142", "tigao-xiaolv-yijian"):
        pack = bundled_pack(pack_id)
        assert escape(pack.title) in pack_html(pack)


# Markup-ish pieces joined at random: tags, entities, quotes, and plain Chinese.
TEXT = st.lists(st.sampled_from(["<", ">", "&", '"', "'", "/", "=", " ", "</td>", "<script>", "&amp;", "&lt;",
                                 "<img src=x onerror=alert(1)>", "逾期", "a"]), max_size=12).map("".join)


@given(TEXT, TEXT, TEXT, TEXT)
def test_case_and_pack_text_never_becomes_markup(case_id: str, message: str, clause: str, reading: str) -> None:
    finding = replace(LATE.findings[0], message=message or "x", clause_text=clause or "x",
                      interpretations=(InterpretationUsed("i", "c", reading or "x"),))
    evaluation = Evaluation(case_id or "x", "matter", "p<b>", date(2026, 5, 11), None, None, False, (finding,))
    for html in (evaluation_html(evaluation), finding_html(finding)):
        parsed = parse(html)
        assert set(parsed.tags) <= MARKUP and parsed.tags.count("script") == 0
        text = "".join(parsed.text)  # the parser unescapes: the data read back is the data given
        for value in (message, clause, reading):
            assert value in text


def test_a_pack_with_markup_in_its_text_is_escaped() -> None:
    clause = JINAN.clauses[0].model_copy(update={"text": "<img src=x onerror=alert(1)>"})
    pack = JINAN.model_copy(update={"title": "<script>alert(1)</script>", "clauses": [clause, *JINAN.clauses[1:]]})
    html = pack_html(pack)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "img" not in parse(html).tags


def test_display_stays_light() -> None:
    code = ("import sys, govrules; from datetime import date\n"
            "from govrules import bundled_pack, evaluate, parse_object\n"
            "p = bundled_pack('jinan-2016-30')\n"
            "e = evaluate(parse_object({'type': 'matter', 'id': 'A', 'source': '市领导批示',"
            " 'assigned_on': '2026-04-30', 'lead_unit': 'U'}), date(2026, 5, 11), p)\n"
            "assert 'govrules.display' not in sys.modules\n"
            "e._repr_html_(); p._repr_html_()\n"
            "heavy = [m for m in ('pandas', 'matplotlib') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_finding_html_is_one_table_row_of_seven_cells() -> None:
    parsed = parse(finding_html(LATE.findings[0]))
    assert parsed.tags.count("td") == 7 and parsed.tags.count("tr") == 2
    assert isinstance(LATE.findings[0], Finding)
