"""`mkdocs build --strict` passes, and the built pages show what the code and the packs say: the
CLI reference lists every subcommand and option of the parser, the catalog every clause's text,
the API reference the public functions."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govrules.cli import build_parser
from govrules.packs import bundled_ids, bundled_pack

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.docs_build


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


def text_of(page: Path) -> str:
    """The article's text, tags removed and whitespace collapsed."""
    body = page.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_cli_reference_lists_every_subcommand_and_option(site: Path) -> None:
    import argparse

    page = text_of(site / "reference" / "cli" / "index.html")
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sub.choices, "the parser has no subcommands"
    for name, subparser in sub.choices.items():
        assert f"govrules {name}" in page, name
        for action in subparser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                assert option in page, f"{name} {option}"
            if action.help:
                assert re.sub(r"\s+", " ", action.help) in page, f"{name}: {action.help}"


def test_catalog_pages_show_every_clause_text(site: Path) -> None:
    for pack_id in bundled_ids():
        page = text_of(site / "catalog" / pack_id / "index.html")
        for clause in bundled_pack(pack_id).clauses:
            assert re.sub(r"\s+", " ", clause.text) in page, f"{pack_id} {clause.id}"


def test_api_reference_documents_the_public_functions(site: Path) -> None:
    api = site / "reference" / "api"
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in api.glob("**/index.html")}
    expected = {
        "engine": ["govrules.engine.compile_pack", "govrules.engine.evaluate_all", "govrules.engine.evaluate.evaluate",
                   "govrules.engine.accountability.accountability", "govrules.engine.Options"],
        "packs": ["govrules.packs.bundled_pack", "govrules.packs.load_pack", "govrules.packs.schema.Pack"],
        "models": ["govrules.models.parse_object", "govrules.models.Matter", "govrules.models.cases_json_schema"],
        "calendar": ["govrules.calendar.WorkCalendar", "govrules.calendar.load_year_file"],
        "api": ["govrules.errors.HolidayDataMissing"],
    }
    for page, anchors in expected.items():
        for anchor in anchors:
            assert f'id="{anchor}"' in pages[page], f"{page}: {anchor}"


def test_every_page_is_in_the_navigation(site: Path) -> None:
    # mkdocs.yml makes an omitted page a warning, which --strict turns into a failure; this checks
    # that the catalog pages in particular are reachable from the navigation
    home = (site / "index.html").read_text(encoding="utf-8")
    for pack_id in bundled_ids():
        assert f"catalog/{pack_id}/" in home, pack_id
