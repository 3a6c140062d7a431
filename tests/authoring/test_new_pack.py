"""`govrules new-pack`: a scaffold that validates, quotes every numbered item exactly, invents nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from govrules.cli import main
from govrules.packs import Pack, bundled_pack, load_pack, rules_dir, source_path
from govrules.packs.scaffold import NOT_ENCODED_REASON, cn_number, scaffold_pack, split_clauses, yaml_scalar

ROOT = Path(__file__).resolve().parents[2]
REGULATIONS = ROOT / "regulations"  # the source documents, kept in the project
SOURCES = ["chuzhou-2009-8", "jinan-2016-30", "panjin-2015-142", "shaoxing-2008-185", "tigao-xiaolv-yijian"]
# the markers tests/packs/test_coverage.py counts as a numbered item
ITEM = re.compile(r"^(第[一二三四五六七八九十百]+条|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|\d+、)")


def scaffold(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> Path:
    out = tmp_path / f"{name}.yaml"
    assert main(["new-pack", str(REGULATIONS / f"{name}.txt"), "--id", name, "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"{out}: ")
    return out


@pytest.mark.parametrize("name", SOURCES)
def test_scaffold_of_each_regulation(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = scaffold(tmp_path, capsys, name)
    assert main(["validate", str(out)]) == 0
    assert re.fullmatch(rf"{re.escape(str(out))}: ok \({name}: \d+ clauses, 0 rules\)\n", capsys.readouterr().out)

    pack = load_pack(out)
    source = (REGULATIONS / f"{name}.txt").read_text(encoding="utf-8")
    texts = [c.text for c in pack.clauses]
    assert [t for t in texts if t not in source] == []
    items = [line.strip() for line in source.splitlines()[1:] if ITEM.match(line.strip())]
    assert [i for i in items if not any(i in t or t in i for t in texts)] == []
    # every clause left to the author, nothing encoded, nothing about the document guessed
    assert [n.clause for n in pack.not_encoded] == [c.id for c in pack.clauses]
    assert {n.reason for n in pack.not_encoded} == {NOT_ENCODED_REASON}
    assert pack.rules == [] and pack.interpretations == []
    assert (pack.issuer, pack.issued, pack.validity.in_force_from, pack.validity.status) == (None, None, None, "未注明")
    assert pack.doc_number is None or pack.doc_number in source
    assert pack.title in source
    # source_file is relative to the pack written, so it resolves from there
    assert source_path(pack, out).resolve() == (REGULATIONS / f"{name}.txt").resolve()


def test_jinan_articles_and_their_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = load_pack(scaffold(tmp_path, capsys, "jinan-2016-30"))
    ids = [c.id for c in pack.clauses]
    assert ids[:9] == ["art1", "art2", "art3", "art4", "art5", "art5.1", "art5.2", "art5.3", "art5.4"]
    assert [i for i in ids if i.startswith("art16")] == ["art16"] + [f"art16.{n}" for n in range(1, 8)]
    clause = {c.id: c for c in pack.clauses}["art16.6"]
    assert clause.citation == "济政办发〔2016〕30号 第十六条第（六）项"
    assert pack.doc_number == "济政办发〔2016〕30号"  # a line of its own in the source
    # the bundled pack, cut by hand, has the same ids: the same item texts, and article texts that
    # the scaffold's contain (it keeps the 第X条 marker; the hand-made pack splits some articles)
    bundled = {c.id: c.text for c in bundled_pack("jinan-2016-30").clauses}
    same = [c.id for c in pack.clauses if c.id in bundled]
    assert len(same) >= 50
    assert [i for i in same if "." in i and bundled[i] != clause_text(pack, i)] == []
    assert [i for i in same if bundled[i] not in clause_text(pack, i)] == []
    # chapter headings (第六章 办理期限) end a clause and belong to none
    assert not any("第六章" in c.text for c in pack.clauses)


def clause_text(pack: Pack, ident: str) -> str:
    return next(c.text for c in pack.clauses if c.id == ident)


def test_sections_and_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tigao = load_pack(scaffold(tmp_path, capsys, "tigao-xiaolv-yijian"))
    assert [c.id for c in tigao.clauses][:6] == ["s1", "s1.1", "s1.2", "s1.3", "s1.4", "s2"]
    assert [c.id for c in tigao.clauses][-1] == "s7.22"  # (二十二) keeps its own number under 七、
    assert tigao.doc_number is None and tigao.clauses[1].citation == "《提高效率抓落实意见》 一（一）"

    shaoxing = load_pack(scaffold(tmp_path, capsys, "shaoxing-2008-185"))
    s3 = clause_text(shaoxing, "s3")
    # a heading's unnumbered paragraphs belong to it; the closing date belongs to no clause
    assert s3.startswith("三、强化督查") and s3.endswith("而贻误工作落实的。") and s3.count("\n") == 2
    assert not any("二○○八年" in c.text for c in shaoxing.clauses)

    chuzhou = load_pack(scaffold(tmp_path, capsys, "chuzhou-2009-8"))
    assert [c.id for c in chuzhou.clauses][:4] == ["s1", "s1.1", "s2", "s2.2"]
    assert not any("中共滁州市委办公室" in c.text for c in chuzhou.clauses[-2:])  # the signature


def test_metadata_the_source_only_hints_at_is_left_as_a_todo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = scaffold(tmp_path, capsys, "panjin-2015-142").read_text(encoding="utf-8")
    assert "doc_number: null  # TODO: 发文字号 not stated on a line of its own; numbers the source mentions: 盘政办发〔2015〕142号 (line 3)" in text
    assert "issued: null  # TODO: the date issued; date lines: 2015年12月30日 (line 22)\n" in text
    assert "issuer: null  # TODO: the issuer (发文机关); lines that name an office: 盘锦市人民政府办公室 (line 21)\n" in text


def test_schema_line_points_at_the_published_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = scaffold(tmp_path, capsys, "panjin-2015-142")
    first = out.read_text(encoding="utf-8").splitlines()[0]
    ref = first.removeprefix("# yaml-language-server: $schema=")
    assert ref != first
    assert (out.parent / ref).resolve() == (rules_dir() / "pack.schema.json").resolve()
    assert main(["new-pack", str(REGULATIONS / "panjin-2015-142.txt"), "--id", "panjin"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "# yaml-language-server: $schema=pack.schema.json"
    printed_pack = load_pack("stdout.yaml", printed)
    assert printed_pack.id == "panjin"
    assert printed_pack.source_file == "panjin-2015-142.txt"  # no --out: the bare name, for the author to place


def test_nesting_ids_and_citations() -> None:
    text = ("办法\n第一章 总则\n第一条 目的。\n第二条 下列事项:\n(一)甲事项;\n1、细目一;\n2、细目二。\n（二）乙事项。\n"
            "第二章 附则\n第三条 本办法自发布之日起施行。\n")
    clauses = split_clauses(text)
    assert [(c.id, c.citation) for c in clauses] == [
        ("art1", "第一条"), ("art2", "第二条"), ("art2.1", "第二条第（一）项"), ("art2.1.1", "第二条第（一）项第1目"),
        ("art2.1.2", "第二条第（一）项第2目"), ("art2.2", "第二条第（二）项"), ("art3", "第三条"),
    ]
    assert [c.text for c in clauses][-2:] == ["（二）乙事项。", "第三条 本办法自发布之日起施行。"]
    assert all(c.text in text for c in clauses)


def test_text_before_the_first_marker_and_a_restarted_numbering() -> None:
    text = "通知\n现将有关事项通知如下:\n一、甲。\n二、乙。\n附件\n一、丙。\n  续段,仍属一。\n\n某某市人民政府\n2020年1月1日\n"
    clauses = split_clauses(text)
    assert [c.id for c in clauses] == ["s1", "s2", "s1-2"]
    assert clauses[2].text == "一、丙。\n  续段,仍属一。"
    assert clauses[1].text == "二、乙。"  # 附件 (no sentence punctuation) ends it


def test_markers_only_at_the_start_of_a_line() -> None:
    assert [c.id for c in split_clauses("一、甲,见第二条和(三)。\n")] == ["s1"]
    assert split_clauses("根据第一条,办理。\n") == []


def test_crlf_source(tmp_path: Path) -> None:
    yaml_text = scaffold_pack("标题\r\n一、甲。\r\n二、乙。\r\n", "crlf", "crlf.txt")
    pack = load_pack("crlf.yaml", yaml_text)
    assert [c.text for c in pack.clauses] == ["一、甲。", "二、乙。"]


def test_numerals() -> None:
    assert [cn_number(n) for n in ["一", "十", "十六", "二十", "二十一", "一百零一", "一百二十"]] == [1, 10, 16, 20, 21, 101, 120]


@given(st.text())
def test_every_text_reads_back_exactly(value: str) -> None:
    assert yaml.safe_load(f"v: {yaml_scalar(value)}\n")["v"] == value


def test_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("标题\n一、甲。\n", encoding="utf-8")
    existing = tmp_path / "pack.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    assert main(["new-pack", str(source), "--id", "x", "--out", str(existing)]) == 2
    assert existing.read_text(encoding="utf-8") == "mine\n"
    assert main(["new-pack", str(source), "--id", "Bad Id"]) == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("没有编号的文字。\n", encoding="utf-8")
    assert main(["new-pack", str(empty), "--id", "x"]) == 2
    assert main(["new-pack", str(tmp_path / "missing.txt"), "--id", "x"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"govrules: error: {existing} exists; new-pack does not overwrite a file",
        "govrules: error: --id: 'Bad Id' is not a pack id: lower-case letters, digits, - . / (e.g. jinan-2016-30)",
        f"govrules: error: {empty}: no numbered clause (第X条, 一、, (一), 1、 at the start of a line) was found",
        f"govrules: error: {tmp_path / 'missing.txt'}: file not found",
    ]
