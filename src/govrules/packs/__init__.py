"""Rule packs: the format (schema), reading and checking them (loader), the bundled ones (registry)."""

from govrules.packs.loader import load_pack
from govrules.packs.registry import bundled_ids, bundled_pack, bundled_source, get_pack, rules_dir, source_path
from govrules.packs.schema import Pack

__all__ = ["Pack", "bundled_ids", "bundled_pack", "bundled_source", "get_pack", "load_pack", "rules_dir", "source_path"]
