"""The law text travels with the code: every bundled pack's source document is in the project's
regulations/, resolves from the pack file in a checkout, and ships in the wheel where the
installed pack's relative source_file finds it."""

from __future__ import annotations

import posixpath
import tomllib
from pathlib import Path

import pytest

from govrules.packs import bundled_ids, bundled_pack, bundled_source, source_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("pack_id", bundled_ids())
def test_the_source_document_is_in_the_project(pack_id: str) -> None:
    path = bundled_source(pack_id).resolve()
    assert path.parent == (ROOT / "regulations").resolve()
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#"), "line 1 of a source records its provenance"


def test_every_source_document_has_its_provenance_in_the_readme() -> None:
    readme = (ROOT / "regulations" / "README.md").read_text(encoding="utf-8")
    for pack_id in bundled_ids():
        assert f"| {bundled_source(pack_id).name} |" in readme


def test_the_wheel_ships_the_sources_where_the_installed_packs_look() -> None:
    """Map each pack into the wheel with pyproject's force-include, follow its source_file there,
    and map the result back: it must be the same file of the checkout."""
    include: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    back = {installed: here for here, installed in include.items()}
    for pack_id in bundled_ids():
        installed_pack = f"{include['rules']}/{pack_id}.yaml"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(installed_pack), bundled_pack(pack_id).source_file))
        folder, name = posixpath.split(target)
        assert folder in back, f"{pack_id}: {target} is not in the wheel ({include})"
        assert (ROOT / back[folder] / name).resolve() == bundled_source(pack_id).resolve()


def test_source_file_is_relative_to_the_pack_file(tmp_path: Path) -> None:
    pack = bundled_pack("jinan-2016-30").model_copy(update={"source_file": "../texts/a.txt"})
    assert source_path(pack, tmp_path / "packs" / "p.yaml") == tmp_path / "packs" / "../texts/a.txt"
