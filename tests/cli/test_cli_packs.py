"""`govrules packs`: the bundled packs as a table and as JSON."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PACK_KEYS = ["id", "title", "doc_number", "issuer", "issued", "in_force_from", "status", "ended"]


def test_packs_json(govrules) -> None:
    r = govrules("packs", "--format", "json")
    assert (r.code, r.err) == (0, "")
    items = r.json()
    assert isinstance(items, list)
    jinan = [p for p in items if p["id"] == "jinan-2016-30"]
    assert len(jinan) == 1
    p = jinan[0]
    assert list(p)[: len(PACK_KEYS)] == PACK_KEYS
    assert {k: p[k] for k in PACK_KEYS} == {
        "id": "jinan-2016-30",
        "title": "市政府督促检查工作规则",
        "doc_number": "济政办发〔2016〕30号",
        "issuer": "济南市人民政府办公厅",
        "issued": "2016-12-23",
        "in_force_from": "2016-12-23",
        "status": "未注明",
        "ended": "unknown",  # the source does not say whether or when it ended
    }
    assert p["clauses"] > 0 and p["rules"] > 0


def test_packs_json_every_pack_has_the_keys(govrules) -> None:
    items = govrules("packs", "--format", "json").json()
    assert items == sorted(items, key=lambda p: p["id"])
    for p in items:
        assert set(PACK_KEYS) <= set(p), p
        assert p["status"] in ("有效", "已失效", "废止", "未注明")


def test_packs_table(govrules) -> None:
    rules = next(p["rules"] for p in govrules("packs", "--format", "json").json() if p["id"] == "jinan-2016-30")
    r = govrules("packs")
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert lines[0].split() == ["id", "发文字号", "标题", "发文机关", "日期", "状态", "终止", "规则数"]
    assert set(lines[1]) <= {"-", " "}
    row = next(line for line in lines[2:] if line.startswith("jinan-2016-30 "))
    assert row.split() == ["jinan-2016-30", "济政办发〔2016〕30号", "市政府督促检查工作规则", "济南市人民政府办公厅",
                           "2016-12-23", "未注明", "unknown", str(rules)]


def test_packs_rejects_unknown_format(govrules) -> None:
    r = govrules("packs", "--format", "xml")
    assert r.code == 2 and r.out == ""
    assert "--format" in r.err and "'xml'" in r.err


def test_packs_coverage_lists_every_clause_encoded_or_with_a_reason(govrules) -> None:
    r = govrules("packs", "--coverage", "--format", "json")
    assert (r.code, r.err) == (0, "")
    packs = {p["pack"]: p["clauses"] for p in r.json()}
    assert "jinan-2016-30" in packs
    for clauses in packs.values():
        for c in clauses:
            assert bool(c["encoded_by"]) != bool(c["reason"]), c["clause"]
    jinan = {c["clause"]: c for c in packs["jinan-2016-30"]}
    assert jinan["art16.6"]["encoded_by"] == [
        "jinan-2016-30/deadline/city-leader-instruction", "jinan-2016-30/deadline/city-leader-instruction-completion"
    ]
    assert jinan["art15"]["encoded_by"] == [] and "第十八条" in jinan["art15"]["reason"]


def test_packs_coverage_table_and_markdown(govrules) -> None:
    table = govrules("packs", "--coverage")
    assert table.code == 0 and "第十六条第（六）项" in table.out and "未编码" in table.out
    page = govrules("packs", "--coverage", "--format", "markdown")
    assert page.out == (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")


def test_markdown_format_needs_coverage(govrules) -> None:
    r = govrules("packs", "--format", "markdown")
    assert r.code == 2 and r.out == "" and "--format markdown goes with --coverage" in r.err
