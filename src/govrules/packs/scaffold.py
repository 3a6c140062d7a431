"""Pack authoring: the JSON Schema editors check packs with, and a pack scaffold cut from a document.

The scaffold splits the document at its numbered markers (第X条, 一、, (一)/（一）, 1、), nesting
them (第十六条's (一) is art16.1; 一、's (一) is s1.1), and quotes each clause as an exact slice of
the source. It fills in only metadata the source states plainly; the rest is null or 未注明 with
a TODO comment quoting what the source offers, since a pack must never invent a date or a number.
Every clause starts in not_encoded and ``rules`` is empty: encoding is the author's work.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from govrules.errors import GovrulesError, InputError, excerpt
from govrules.packs.loader import load_pack
from govrules.packs.registry import rules_dir
from govrules.packs.schema import LocalId, Pack
from govrules.json_reader import decode_utf8
from govrules.textfile import UnreadableFile, read_bytes

SCHEMA_LINE = "# yaml-language-server: $schema={}"
NOT_ENCODED_REASON = "尚未编码(待规则作者填写)"
MAX_CLAUSE_CHARS = 10_000  # the schema's limit on a text
MAX_SOURCE_BYTES = 1_000_000


def pack_json_schema() -> dict[str, Any]:
    """The JSON Schema of a pack file, by the keys a pack is written with (``in``, ``not``)."""
    schema: dict[str, Any] = Pack.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govrules rule pack"
    schema["description"] = (
        "One regulation as a govrules rule pack: its metadata and time in force, its clauses quoted "
        "exactly, the readings it leaves open, the rules that encode clauses and the clauses left to "
        "people. `govrules validate` also checks what a schema cannot: duplicate keys and ids, "
        "references between rules, clauses and interpretations, and condition fields. "
        "See docs/pack-format.md."
    )
    return schema


def pack_json_schema_text() -> str:
    return json.dumps(pack_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---- cutting a document into clauses -------------------------------------------------------

_CN = "零〇一二三四五六七八九十百千"
# One marker at the start of a line; the kinds nest in this order (a rank pops its peers and
# everything under them).
_MARKER = re.compile(
    rf"[ \t\u3000]*(?:(?P<article>第(?P<a>[{_CN}]+)条)|(?P<section>(?P<s>[{_CN}]+)、)"
    rf"|(?P<item>[(（](?P<i>[{_CN}]+)[)）])|(?P<sub>(?P<n>\d+)、))"
)
_RANK = {"article": 0, "section": 1, "item": 2, "sub": 3}
_NUMBER_GROUP = {"article": "a", "section": "s", "item": "i", "sub": "n"}
_TOP_PREFIX = {"article": "art", "section": "s", "item": "i", "sub": "n"}
_HEADING = re.compile(rf"[ \t\u3000]*第[{_CN}]+[编章节](?:[ \t\u3000]|$)")
# A paragraph that has none of these is a heading, a signature or a date, not clause text.
_SENTENCE = re.compile(r"[。;;::,,!!??]")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(numeral: str) -> int:
    """十六 -> 16, 二十一 -> 21, 一百零一 -> 101."""
    total = digit = 0
    for ch in numeral:
        if ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            digit = _DIGITS[ch]
    return total + digit


@dataclass(frozen=True)
class DraftClause:
    id: str
    citation: str  # the markers from the outermost in, e.g. 第十六条第（六）项 or 二（一）
    text: str  # an exact slice of the (newline-normalised) source
    line: int


@dataclass
class _Open:
    kind: str
    id: str
    citation: str


def _citation_part(kind: str, marker: re.Match[str], parent: _Open | None) -> str:
    if kind == "article":
        return str(marker["article"])
    if kind == "section":
        return str(marker["s"])
    if kind == "item":
        return f"第（{marker['i']}）项" if parent and parent.kind == "article" else f"（{marker['i']}）"
    return f"第{marker['n']}目" if parent and parent.kind == "item" else f"第{marker['n']}项"


def _unique(ident: str, used: set[str]) -> str:
    """A numbering that restarts (a notice's 一、 and then its attachment's) gets -2, -3 …."""
    candidate, k = ident, 1
    while candidate in used:
        k += 1
        candidate = f"{ident}-{k}"
    used.add(candidate)
    return candidate


def split_clauses(text: str) -> list[DraftClause]:
    """The numbered clauses of ``text`` (newlines already ``\\n``), in order.

    A clause runs from its marker over the paragraphs that follow it up to the next marker or
    heading; a paragraph without sentence punctuation (a heading, a signature, a date) ends it.
    Text before the first marker (a notice, a preamble) belongs to no clause.
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out: list[DraftClause] = []
    stack: list[_Open] = []
    used: set[str] = set()
    current: tuple[int, int, int] | None = None  # (start offset, end offset, line number)
    closed = False  # the current clause met a paragraph that is not its text

    def flush() -> None:
        if current is not None:
            start, end, number = current
            body = text[start:end][:MAX_CLAUSE_CHARS].rstrip()  # a cut slice is still a slice
            out.append(DraftClause(stack[-1].id, stack[-1].citation, body, number))

    for index, line in enumerate(lines):
        if index == 0 and line.startswith("#"):  # regulations/' provenance line, not the text
            continue
        marker = _MARKER.match(line)
        kind = next((k for k in _RANK if marker and marker[k]), None) if marker else None
        if marker and kind:
            flush()
            while stack and _RANK[stack[-1].kind] >= _RANK[kind]:
                stack.pop()
            parent = stack[-1] if stack else None
            numeral = marker[_NUMBER_GROUP[kind]]
            number = int(numeral) if kind == "sub" else cn_number(numeral)
            ident = _unique(f"{parent.id}.{number}" if parent else f"{_TOP_PREFIX[kind]}{number}", used)
            stack.append(_Open(kind, ident, (parent.citation if parent else "") + _citation_part(kind, marker, parent)))
            begin = starts[index] + marker.start(kind)
            current, closed = (begin, starts[index] + len(line), index + 1), False
        elif _HEADING.match(line):
            flush()
            stack.clear()
            current = None
        elif current is not None and not closed and line.strip():
            if _SENTENCE.search(line):
                current = (current[0], starts[index] + len(line), current[2])
            else:
                closed = True
    flush()
    return out


# ---- what the source says about itself (hints only) -----------------------------------------

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+[〔\[［(（]\d{4}[〕\]］)）]\d+号")
_DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年[十一二三四五六七八九]+月[十一二三四五六七八九]+日")
_LABELLED = re.compile(r"(发文字号|发布部门|发文机关|公布日期|发布日期|成文日期|印发日期|施行日期|实施日期|时效性|效力状态)[:：]\s*(\S.*)")
_ISSUER_LINE = re.compile(r"\S*(人民政府|办公室|办公厅|委员会|政府|局|厅)")


@dataclass
class _Found:
    title: str
    doc_number: str | None
    labelled: list[tuple[int, str]]  # (line, 标签:值)
    numbers: list[tuple[int, str]]  # 发文字号-shaped strings anywhere
    dates: list[tuple[int, str]]  # lines that are only a date
    signatures: list[tuple[int, str]]  # lines that are only an office's name


def _survey(text: str) -> _Found:
    lines = text.split("\n")
    body = [(i, line.strip()) for i, line in enumerate(lines, 1) if line.strip() and not (i == 1 and line.startswith("#"))]
    title = body[0][1] if body else "(无标题)"
    labelled = [(i, m[0]) for i, line in body if (m := _LABELLED.fullmatch(line))]
    doc_number = next((m[2] for _, line in body if (m := _LABELLED.fullmatch(line)) and m[1] == "发文字号"), None)
    doc_number = doc_number or next((line for _, line in body if _DOC_NUMBER.fullmatch(line)), None)
    numbers = [(i, m[0]) for i, line in body for m in _DOC_NUMBER.finditer(line)]
    dates = [(i, line) for i, line in body if _DATE_LINE.fullmatch(line)]
    signatures = [(i, line) for i, line in body
                  if len(line) <= 40 and not _SENTENCE.search(line) and _ISSUER_LINE.fullmatch(line.split()[-1])]
    return _Found(title, doc_number, labelled, numbers, dates, signatures)


def _hint(items: list[tuple[int, str]], limit: int = 4) -> str:
    shown = "; ".join(f"{value} (line {line})" for line, value in items[:limit])
    return shown + ("; …" if len(items) > limit else "")


# ---- writing the YAML -----------------------------------------------------------------------

_PLAIN = re.compile(r"[a-z][a-z0-9./-]*")
# Characters YAML may not hold raw in a double-quoted scalar (non-printable, or line breaks it
# would fold) are written as escapes, so every text reads back exactly.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back exactly: plain if it is a simple name, else quoted."""
    if _PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def scaffold_pack(text: str, pack_id: str, source_file: str, schema_ref: str = "pack.schema.json",
                  where: str | None = None) -> str:
    """The YAML of a pack that lists every numbered clause of ``text`` and encodes none.

    ``where`` names the source in errors (default: ``source_file``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    clauses = split_clauses(text)
    if not clauses:
        raise InputError(where or source_file, "no numbered clause (第X条, 一、, (一), 1、 at the start of a line) was found")
    found = _survey(text)
    prefix = found.doc_number or f"《{found.title}》"
    todo_number = "TODO: 发文字号 not stated on a line of its own" + (
        f"; numbers the source mentions: {_hint(found.numbers)}" if found.numbers else "")
    todo_issuer = "TODO: the issuer (发文机关)" + (
        f"; lines that name an office: {_hint(found.signatures)}" if found.signatures else "")
    todo_issued = "TODO: the date issued" + (f"; date lines: {_hint(found.dates)}" if found.dates else "")
    out = [
        SCHEMA_LINE.format(schema_ref),
        f"# A govrules pack scaffold of {source_file}, made by `govrules new-pack`: each numbered clause",
        "# is quoted exactly from the source and listed in not_encoded; no rule is written yet.",
        "# TODO: check every line marked TODO (metadata the source does not state plainly is left",
        "# null or 未注明, never guessed), check the citations, add any text before the first numbered",
        "# clause that binds, then encode clauses as rules (docs/pack-format.md).",
    ]
    if found.labelled:
        out.append(f"# The source's own labels: {_hint(found.labelled, 8)}")
    out += [
        f"id: {yaml_scalar(pack_id)}",
        f"title: {yaml_scalar(found.title)}  # TODO: the source's first line; make it the document's own title",
        f"doc_number: {yaml_scalar(found.doc_number)}" if found.doc_number else f"doc_number: null  # {todo_number}",
        f"issuer: null  # {todo_issuer}",
        f"issued: null  # {todo_issued}",
        f"source_file: {yaml_scalar(source_file)}",
        "validity:",
        "  status: 未注明  # TODO: 有效 / 已失效 / 废止 as the source records it",
        "  in_force_from: null  # TODO: the first day in force, if the source gives it (null: no day is known)",
        "  ended: null",
        "  end_known: false",
        f"  note: {yaml_scalar('待规则作者填写:来源的施行日期和效力状态尚未核实。')}",
        "clauses:",
    ]
    for c in clauses:
        out += [f"  - id: {c.id}  # line {c.line}", f"    citation: {yaml_scalar(f'{prefix} {c.citation}')}",
                f"    text: {yaml_scalar(c.text)}"]
    out += ["interpretations: []", "rules: []", "not_encoded:"]
    out += [f"  - {{clause: {c.id}, reason: {yaml_scalar(NOT_ENCODED_REASON)}}}" for c in clauses]
    return "\n".join(out) + "\n"


def schema_ref_for(out: Path, rules: Path) -> str:
    """How a pack written to ``out`` names the published schema (relative, so it travels)."""
    try:
        return Path(os.path.relpath(rules / "pack.schema.json", out.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return (rules / "pack.schema.json").as_uri()


def source_file_for(source: Path, out: str | Path | None) -> str:
    """The pack's ``source_file``: relative to the folder the pack is written to, as
    registry.source_path resolves it; printed (no --out), the bare name, for the author to place."""
    if out is None:
        return source.name
    try:
        return Path(os.path.relpath(source.resolve(), Path(out).resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return source.resolve().as_posix()


def new_pack(source: str | Path, pack_id: str, out: str | Path | None = None) -> tuple[str, Pack]:
    """The scaffold's YAML for ``source`` and the pack it loads as (``govrules new-pack``).

    The scaffold is loaded before it is handed out: one that did not validate would be a bug here,
    and the author would meet it as an error in a file they did not write.
    """
    try:
        TypeAdapter(LocalId).validate_python(pack_id)
    except ValidationError:
        raise InputError("--id", f"{excerpt(pack_id)} is not a pack id: lower-case letters, digits, - . / (e.g. jinan-2016-30)") from None
    try:
        # decoded by the one JSON reader's decoder, so that a bad byte is placed at file:line:col
        text = decode_utf8(str(source), read_bytes(source, MAX_SOURCE_BYTES, "a source document"))
    except UnreadableFile as exc:
        raise InputError(str(source), exc.problem) from None
    ref = "pack.schema.json"
    if out is not None:
        try:
            ref = schema_ref_for(Path(out), rules_dir())
        except GovrulesError:  # no bundled rules folder: leave the name for the author to point
            pass
    yaml_text = scaffold_pack(text, pack_id, source_file_for(Path(source), out), ref, where=str(source))
    return yaml_text, load_pack(str(out) if out is not None else f"<new-pack {pack_id}>", yaml_text)
