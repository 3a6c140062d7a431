"""The commands about packs themselves: ``packs`` (and their coverage of the documents),
``validate``, ``new-pack`` and ``pack-schema``."""

from __future__ import annotations

import argparse
import json

from govrules.errors import GovrulesError, PackError
from govrules.packs import bundled_ids, bundled_pack, load_pack
from govrules.packs.coverage import coverage, coverage_markdown
from govrules.packs.schema import Pack
from govrules.packs.summary import pack_summary
from govrules.run_options import UsageError
from govrules.table import render


class ShownPackError(GovrulesError):
    """A PackError as validate prints it: the message, then the source line and a caret under the value."""


def cmd_coverage(packs: list[Pack], fmt: str) -> str:
    if fmt == "markdown":
        return coverage_markdown(packs)
    if fmt == "json":
        items = [{"pack": p.id, "clauses": [c.to_dict() for c in coverage(p)]} for p in packs]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    out = []
    for p in packs:
        rows = [[c.citation, "已编码" if c.encoded_by else "未编码",
                 "、".join(r.removeprefix(p.id + "/") for r in c.encoded_by) or (c.reason or "")] for c in coverage(p)]
        out.append(f"{p.id} {p.doc_number or ''} {p.title}\n" + render(["条款", "状态", "规则 / 未编码原因"], rows))
    return "\n".join(out)


def cmd_packs(args: argparse.Namespace) -> str:
    packs = [bundled_pack(i) for i in bundled_ids()]
    if args.coverage:
        return cmd_coverage(packs, args.format)
    if args.format == "markdown":
        raise UsageError("--format markdown goes with --coverage")
    items = [pack_summary(p) for p in packs]
    if args.format == "json":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    rows = [[str(i["id"]), str(i["doc_number"] or "(未注明)"), str(i["title"]), str(i["issuer"] or "(未注明)"),
             str(i["issued"] or "(未注明)"), str(i["status"]), str(i["ended"] or "—"), str(i["rules"])] for i in items]
    return render(["id", "发文字号", "标题", "发文机关", "日期", "状态", "终止", "规则数"], rows)


def cmd_validate(args: argparse.Namespace) -> str:
    out = []
    for path in args.packs:
        try:
            pack = load_pack(path)
        except PackError as exc:
            raise ShownPackError(exc.report()) from None
        out.append(f"{path}: ok ({pack.id}: {len(pack.clauses)} clauses, {len(pack.rules)} rules)")
    return "\n".join(out) + "\n"


def cmd_new_pack(args: argparse.Namespace) -> str:
    """A pack scaffold of a document: printed, or written to --out (never over an existing file)."""
    from govrules.packs.scaffold import new_pack

    text, pack = new_pack(args.source, args.id, args.out)
    if args.out is None:
        return text
    try:
        with open(args.out, "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise UsageError(f"{args.out} exists; new-pack does not overwrite a file") from None
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror}") from None
    return f"{args.out}: {len(pack.clauses)} clauses, none encoded yet (check it with: govrules validate {args.out})\n"


def cmd_pack_schema(args: argparse.Namespace) -> str:
    from govrules.packs.scaffold import pack_json_schema_text

    return pack_json_schema_text()
