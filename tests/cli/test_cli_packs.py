"""`govrules packs`: the bundled packs as a table and as JSON."""

from __future__ import annotations

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
