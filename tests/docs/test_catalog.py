"""The rule catalog (docs/catalog/) is current, names every clause of every bundled pack, and
renders pack text literally."""

from __future__ import annotations

import re
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pytest
import yaml

from govrules.catalog import MARKER, catalog_pages, condition_text, esc, main, write_catalog
from govrules.packs import bundled_ids, bundled_pack
from govrules.packs.conditions import parse_condition
from govrules.packs.examples import load_examples
from govrules.packs.registry import rules_dir

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "docs" / "catalog"
REGENERATE = "regenerate with: .venv/bin/python -m govrules.catalog docs/catalog"


def test_catalog_pages_are_current() -> None:
    pages = catalog_pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in CATALOG.glob("*.md")}
    assert sorted(on_disk) == sorted(pages), REGENERATE
    for name, text in pages.items():
        assert on_disk[name] == text, f"docs/catalog/{name} is stale; {REGENERATE}"


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_catalog_names_every_clause_rule_and_case(pack_id: str) -> None:
    pack = bundled_pack(pack_id)
    page = (CATALOG / f"{pack_id}.md").read_text(encoding="utf-8")
    for clause in pack.clauses:
        assert f"{{#{clause.id}}}" in page, clause.id
        assert esc(clause.citation) in page and esc(clause.text) in page, clause.id
    # clauses in document order
    positions = [page.index(f"{{#{c.id}}}") for c in pack.clauses]
    assert positions == sorted(positions)
    for rule in pack.rules:
        assert f"**`{rule.id}`**" in page, rule.id
    for case in load_examples(rules_dir() / f"{pack_id}.cases.yaml").cases:
        assert esc(case.name) in page, case.name
    for interp in pack.interpretations:
        assert f"{{#interpretation-{interp.id}}}" in page, interp.id


def test_index_links_every_pack_page() -> None:
    index = (CATALOG / "index.md").read_text(encoding="utf-8")
    for pack_id in bundled_ids():
        assert f"({pack_id}.md)" in index


def _html(md_text: str) -> str:
    """Rendered with the site's own Markdown extensions (mkdocs.yml)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for ext in config["markdown_extensions"]:
        name = ext if isinstance(ext, str) else next(iter(ext))
        names.append(name)
        if isinstance(ext, dict) and ext[name]:
            configs[name] = ext[name]
    return str(markdown.markdown(md_text, extensions=names, extension_configs=configs))


def _plain(html_text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def test_markup_characters_in_pack_text_are_shown_literally() -> None:
    tricky = "第一条 *不得* 使用 <b>红头</b> | 1_2 [见] #3 `x` \\ ~y~ & 5%"
    rendered = _plain(_html(f"para {esc(tricky)} end"))
    assert tricky in rendered


def test_clause_text_survives_rendering_of_a_real_page() -> None:
    pack = bundled_pack("jinan-2016-30")
    text = _plain(_html(catalog_pages([pack])["jinan-2016-30.md"]))
    for clause in pack.clauses:
        assert clause.text in text, clause.id


@pytest.mark.parametrize(("raw", "expected"), [
    ({"field": "source", "in": ["上级批示", "上级督查"]}, "`source` ∈ {上级批示, 上级督查}"),
    ({"field": "explicit_deadline", "is_null": True}, "`explicit_deadline` is missing"),
    ({"not": {"field": "explicit_deadline", "is_null": True}}, "`explicit_deadline` is given"),
    ({"not": {"field": "approvals", "contains": "市长批准"}}, "`approvals` lacks 市长批准"),
    ({"field": "attendees", "gt": 100}, "`attendees` > 100"),
    ({"not": {"field": "attendees", "gt": 100}}, "`attendees` ≤ 100"),
    ({"field": "complex", "eq": True}, "`complex` = true"),
    ({"all": [{"field": "kind", "eq": "专题会议"}, {"any": [{"field": "urgency", "eq": "紧急"}, {"field": "urgency", "eq": "特急"}]}]},
     "`kind` = 专题会议 and (`urgency` = 紧急 or `urgency` = 特急)"),
    ({"not": {"all": [{"field": "complex", "eq": True}, {"field": "format", "eq": "视频"}]}},
     "not (`complex` = true and `format` = 视频)"),
])
def test_conditions_read_as_a_reader_checks_them(raw: object, expected: str) -> None:
    assert condition_text(parse_condition(raw)) == expected


def test_write_catalog_replaces_only_generated_pages(tmp_path: Path) -> None:
    (tmp_path / "old-pack.md").write_text(MARKER + "\n# a pack no longer bundled\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# written by hand\n", encoding="utf-8")
    written = write_catalog(tmp_path)
    names = sorted(p.name for p in tmp_path.glob("*.md"))
    assert names == sorted(["notes.md", *(p.name for p in written)])
    assert "index.md" in names and "jinan-2016-30.md" in names


def test_main_needs_exactly_one_outdir(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
