"""The input JSON Schema published in docs/ is the one the models generate."""

from pathlib import Path

from govrules.models import cases_json_schema_text


def test_published_schema_is_current() -> None:
    published = Path(__file__).resolve().parents[1] / "docs" / "cases.schema.json"
    assert published.read_text(encoding="utf-8") == cases_json_schema_text(), (
        "regenerate with: .venv/bin/govrules schema > docs/cases.schema.json"
    )
