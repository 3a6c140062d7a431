"""The packs bundled with govrules: found in the wheel (govrules/rules) or, in a source
checkout, in the repository's top-level rules/ folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from govrules.errors import GovrulesError
from govrules.packs.loader import load_pack
from govrules.packs.schema import Pack


def rules_dir() -> Path:
    """The folder of the bundled packs: inside the installed package, or the checkout's rules/."""
    installed = Path(__file__).resolve().parent.parent / "rules"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[3] / "rules"  # src/govrules/packs -> repo root
    if checkout.is_dir():
        return checkout
    raise GovrulesError("the bundled rule packs were not found: the installation is incomplete")


def bundled_ids() -> list[str]:
    """The ids of the bundled packs, sorted (one per ``rules/<id>.yaml``)."""
    return sorted(p.stem for p in rules_dir().glob("*.yaml") if not p.name.endswith(".cases.yaml"))


@cache
def bundled_pack(pack_id: str) -> Pack:
    """A bundled pack by id, loaded and checked once per process; an unknown id lists the others."""
    ids = bundled_ids()
    if pack_id not in ids:
        raise GovrulesError(f"no bundled pack {pack_id!r}; bundled packs: {', '.join(ids)}")
    return load_pack(rules_dir() / f"{pack_id}.yaml")


def source_path(pack: Pack, pack_file: str | Path) -> Path:
    """The source document ``pack`` quotes from. ``source_file`` is relative to the pack file's
    folder, so the bundled packs' ``../regulations/<name>.txt`` resolves in a checkout (rules/
    beside regulations/) and in the wheel (govrules/rules beside govrules/regulations) alike."""
    return Path(pack_file).parent / pack.source_file


def bundled_source(pack_id: str) -> Path:
    """The source document of a bundled pack (it ships with the pack)."""
    return source_path(bundled_pack(pack_id), rules_dir() / f"{pack_id}.yaml")


def get_pack(ref: str) -> Pack:
    """A bundled pack by id, or a pack file by path."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        return load_pack(ref)
    return bundled_pack(ref)
