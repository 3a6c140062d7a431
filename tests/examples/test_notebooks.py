"""The example notebooks run from top to bottom (nbclient, in this interpreter's kernel), so they
cannot rot: every cell runs without error or warning, they draw PNG pictures and show HTML
tables, and every picture's Chinese labels were drawn with a font that has the characters
(matplotlib warns, on stderr, for each glyph a font lacks; the plots refuse to draw without a
CJK font)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")  # the analysis extra

from govrules.analysis.fonts import CJKFontMissing, find_cjk_font  # noqa: E402

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "examples" / "notebooks").glob("*.ipynb"))
# Reading the clock would make a notebook's answers depend on the day it runs.
WALL_CLOCK = re.compile(r"\b(?:date|datetime)\.(?:today|now|utcnow)\(|\btime\.time\(|\bdatetime\.now\(")


def _code_cells(nb: Any) -> list[Any]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_there_are_three_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "1-cross-city-deadlines.ipynb", "2-a-year-of-supervision.ipynb", "3-what-if-a-rule-changes.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in _code_cells(nb):
        assert not cell.outputs and cell.execution_count is None, \
            f"{path.name} is committed with outputs: clear them (jupyter nbconvert --clear-output --inplace)"
        assert not WALL_CLOCK.search(cell.source), f"{path.name} reads the clock: {cell.source!r}"


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.stem)
def executed(request: pytest.FixtureRequest) -> tuple[str, list[Any]]:
    """A notebook run once in a fresh kernel, in its own folder: its name and its outputs."""
    try:
        find_cjk_font()
    except CJKFontMissing as exc:  # the pictures refuse to draw without one
        pytest.skip(f"no CJK font on this machine: {exc}")
    path: Path = request.param
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    return path.name, [o for cell in _code_cells(nb) for o in cell.outputs]


@pytest.mark.slow
def test_notebook_runs_without_warnings(executed: tuple[str, list[Any]]) -> None:
    name, outputs = executed
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "missing from font" not in stderr, f"{name} drew Chinese with a font that lacks it:\n{stderr}"
    assert not stderr, f"{name} wrote to stderr (a warning is a notebook starting to rot):\n{stderr}"


@pytest.mark.slow
def test_notebook_draws_pictures_and_tables(executed: tuple[str, list[Any]]) -> None:
    name, outputs = executed
    shown = [o.get("data", {}) for o in outputs if o.output_type in ("display_data", "execute_result")]
    pictures = [d["image/png"] for d in shown if "image/png" in d]
    assert pictures, f"{name} drew no picture"
    assert all(len(p) > 10_000 for p in pictures), f"{name} drew an empty picture"
    assert any("<table" in d.get("text/html", "") for d in shown), f"{name} showed no table"
