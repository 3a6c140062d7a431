"""Every numbered item of every source document is quoted by a clause of its pack, and the
generated coverage page is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govrules.packs import bundled_ids, bundled_pack, bundled_source
from govrules.packs.coverage import coverage, coverage_markdown

ROOT = Path(__file__).resolve().parents[2]
# 第十六条 / 一、 / (一) / （一） / 1、 : the markers that open an article or item
ITEM = re.compile(r"^(第[一二三四五六七八九十百]+条|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|\d+、)")


def numbered_items(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()[1:]]  # line 1 is the source's provenance
    return [line for line in lines if ITEM.match(line)]


def test_every_pack_lists_every_clause_as_encoded_or_left_to_people() -> None:
    for pack_id in bundled_ids():
        for row in coverage(bundled_pack(pack_id)):
            assert bool(row.encoded_by) != bool(row.reason), row.clause


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_every_numbered_item_of_the_document_is_quoted_by_a_clause(pack_id: str) -> None:
    pack = bundled_pack(pack_id)
    source = bundled_source(pack_id).read_text(encoding="utf-8")
    texts = [c.text for c in pack.clauses]
    missing = [line for line in numbered_items(source) if not any(t in line or line in t for t in texts)]
    assert missing == [], f"{pack_id}: items of {pack.source_file} no clause quotes"


def test_coverage_page_is_current() -> None:
    page = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert page == coverage_markdown([bundled_pack(i) for i in bundled_ids()]), (
        "regenerate with: .venv/bin/govrules packs --coverage --format markdown > docs/coverage.md"
    )
