"""The pack JSON Schema: published beside the packs, current, and in agreement with the packs."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

from govrules.cli import main
from govrules.packs import bundled_ids, rules_dir
from govrules.packs.scaffold import pack_json_schema_text
from govrules.packs.yaml_source import read_yaml

PUBLISHED = rules_dir() / "pack.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema=pack.schema.json"


def plain(value: Any) -> Any:
    """A pack as JSON sees it: YAML dates become ISO strings."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def pack_data(pack_id: str) -> Any:
    data, _ = read_yaml(rules_dir() / f"{pack_id}.yaml")
    return plain(data)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_published_schema_is_current() -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == pack_json_schema_text(), (
        "regenerate with: .venv/bin/govrules pack-schema > rules/pack.schema.json"
    )


def test_cli_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack-schema"]) == 0
    assert capsys.readouterr().out == PUBLISHED.read_text(encoding="utf-8")


def test_schema_says_what_it_is() -> None:
    schema = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "govrules rule pack"
    assert "govrules validate" in schema["description"]
    # conditions are written with the keys a pack uses, not the Python names
    assert set(schema["$defs"]["Compare"]["properties"]) >= {"in", "eq", "field"}
    assert "in_" not in schema["$defs"]["Compare"]["properties"]
    assert list(schema["$defs"]["Not"]["properties"]) == ["not"]


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_bundled_pack_names_the_schema_on_its_first_line(pack_id: str) -> None:
    lines = (rules_dir() / f"{pack_id}.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE
    assert lines[1].startswith("# "), "the pack's own comment follows the schema line"
    # the name resolves beside the pack, in the checkout and in the wheel alike (rules/ ships whole)
    assert (rules_dir() / SCHEMA_LINE.split("=", 1)[1]).is_file()


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_bundled_pack_validates_against_the_schema(pack_id: str, validator: jsonschema.Draft202012Validator) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(pack_data(pack_id))]
    assert errors == []


def _rule_with(data: Any, key: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if key in r)


def _cond_with(node: Any, key: str) -> dict[str, Any] | None:
    if isinstance(node, dict):
        if key in node and "field" in node:
            return node
        for v in node.values():
            if (found := _cond_with(v, key)) is not None:
                return found
    if isinstance(node, list):
        for v in node:
            if (found := _cond_with(v, key)) is not None:
                return found
    return None


def _rename_in(data: Any) -> None:
    cmp = _cond_with(data["rules"], "in")
    assert cmp is not None
    cmp["in_"] = cmp.pop("in")  # the Python name is not a pack key


BREAKAGES: dict[str, Callable[[Any], None]] = {
    "typo key": lambda d: d["rules"][0].update(claus=d["rules"][0].pop("clause")),
    "unknown kind": lambda d: d["rules"][0].update(kind="deadlines"),
    "missing title": lambda d: d.pop("title"),
    "bad id": lambda d: d["clauses"][0].update(id="Art 1"),
    "empty clauses": lambda d: d.update(clauses=[]),
    "bad date": lambda d: d.update(issued="2016-13-40"),
    "bad status": lambda d: d["validity"].update(status="valid"),
    "period unit": lambda d: _rule_with(d, "period")["period"].update(weeks=1),
    "in_ for in": _rename_in,
    "condition without operator key": lambda d: _rule_with(d, "when").update(when={"field": "source", "equals": "x"}),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_a_broken_pack_fails_against_the_schema(name: str, validator: jsonschema.Draft202012Validator) -> None:
    data = copy.deepcopy(pack_data("jinan-2016-30"))
    assert validator.is_valid(data)
    BREAKAGES[name](data)
    assert not validator.is_valid(data), name


def test_an_empty_rule_list_is_a_valid_pack(validator: jsonschema.Draft202012Validator) -> None:
    data = pack_data("jinan-2016-30")
    data["rules"] = []
    data["not_encoded"] = [{"clause": c["id"], "reason": "尚未编码"} for c in data["clauses"]]
    assert validator.is_valid(data)
