"""Every answer on the five bundled packs stays byte-identical (issue 13, "Must not regress").

A frozen ledger (data/ledger.json.gz: about a thousand matters, meetings and documents from 2017
to 2026, old matters supervised for years with weekly, monthly, quarterly and daily reports,
extensions and completions, and a hundred events; see golden_ledgers.py) is evaluated under every
bundled pack, at three as_of dates, under the chosen readings and three sets of other readings,
and each answer is compared, as canonical JSON (sorted keys, ensure_ascii=False), with the stored
golden file:

- the reference ``engine.evaluate_all`` and ``engine.accountability`` with data/PACK.reference.jsonl.gz;
- the ledger path ``batch.evaluate_frame`` (its table; the ``path`` column says how, not what)
  with data/PACK.frame.jsonl.gz;
- the CLI, ``govrules evaluate FILE --format json`` on the ledger as .json (the reference) and
  as .csv (the ledger path), with the reference's golden lines.

A golden file changes only on purpose: regenerate with
``PYTHONPATH=src python tests/golden/regenerate.py`` (``--ledger`` also rebuilds the input), and
the commit that changes a golden file must explain which answers changed and why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import golden_ledgers as g

PACKS = list(g.readings())


@pytest.fixture(scope="module")
def inputs() -> tuple[list[object], list[object]]:
    return g.cases(), g.events()


@pytest.fixture(scope="module")
def frame() -> object:
    return g.frame()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return g.write_inputs(tmp_path_factory.mktemp("golden"))


def _first_difference(got: list[str], want: list[str]) -> str:
    """Where two answer lists part, readably: the line's place and id, and the fields that differ."""
    for n, (a, b) in enumerate(zip(got, want)):
        if a != b:
            da, db = json.loads(a), json.loads(b)
            where = {k: db.get(k) for k in ("pack", "reading", "as_of")}
            body_a = next(v for k, v in da.items() if isinstance(v, dict))
            body_b = next(v for k, v in db.items() if isinstance(v, dict))
            diff = {k: (body_a.get(k), body_b.get(k)) for k in sorted(set(body_a) | set(body_b))
                    if body_a.get(k) != body_b.get(k)}
            return (f"line {n + 1} ({where}, id/unit {body_b.get('id', body_b.get('unit'))}): "
                    f"field -> (got, golden): {json.dumps(diff, ensure_ascii=False)[:2000]}")
    return f"{len(got)} lines, golden has {len(want)}"


def _assert_same(got: list[str], path: Path) -> None:
    want = g.read_lines(path)
    if got != want:
        pytest.fail(f"{path.name} differs: {_first_difference(got, want)}\n(if the change is meant, regenerate"
                    " with tests/golden/regenerate.py and explain the changed answers in the commit)")


@pytest.mark.parametrize("pack_id", PACKS)
def test_reference_answers_are_golden(pack_id: str, inputs: tuple[list[object], list[object]]) -> None:
    cases, events = inputs
    got: list[str] = []
    for reading, interpretations in g.readings()[pack_id].items():
        got += g.reference_lines(pack_id, reading, interpretations, cases, events)
    _assert_same(got, g.golden_path(pack_id, "reference"))


@pytest.mark.parametrize("pack_id", PACKS)
def test_ledger_path_answers_are_golden(pack_id: str, frame: object) -> None:
    got: list[str] = []
    for reading, interpretations in g.readings()[pack_id].items():
        got += g.frame_lines(pack_id, reading, interpretations, frame)
    _assert_same(got, g.golden_path(pack_id, "frame"))


def _reference_cli_lines(pack_id: str) -> Iterator[str]:
    """The golden reference lines the CLI prints: chosen readings, CLI_AS_OF, evaluations."""
    dates = {d.isoformat() for d in g.CLI_AS_OF}
    for line in g.read_lines(g.golden_path(pack_id, "reference")):
        d = json.loads(line)
        if d["reading"] == "chosen" and d["as_of"] in dates and "evaluation" in d:
            yield g.canonical({"pack": d["pack"], "as_of": d["as_of"], "evaluation": d["evaluation"]})


@pytest.mark.parametrize("pack_id", PACKS)
def test_cli_json_is_golden_from_json_and_from_a_ledger_file(pack_id: str, files: tuple[Path, Path]) -> None:
    want = list(_reference_cli_lines(pack_id))
    assert want, "the golden file has no evaluations for the CLI's dates"
    for ledger_file in files:
        got = g.cli_lines(pack_id, ledger_file)
        assert got == want, f"govrules evaluate {ledger_file.name}: {_first_difference(got, want)}"


@pytest.mark.parametrize("pack_id", PACKS)
def test_golden_answers_exercise_every_rule(pack_id: str) -> None:
    """A golden file that no rule of the pack appears in proves nothing about that rule: each rule
    gives a finding (or, for a ladder, a unit's step) somewhere, each status occurs, and old
    matters under recurring reports are evaluated."""
    from govrules.packs import bundled_pack

    applied: set[str] = set()
    statuses: set[str] = set()
    for line in g.read_lines(g.golden_path(pack_id, "reference")):
        d = json.loads(line)
        if "accountability" in d:
            applied.add(d["accountability"]["rule"])
        else:
            applied.update(f["rule"] for f in d["evaluation"]["findings"])
            statuses.add(str(d["evaluation"]["status"]))
    rules = {f"{pack_id}/{r.id}" for r in bundled_pack(pack_id).rules}
    assert rules - applied == set()
    assert {"done", "on_track", "overdue", "None"} <= statuses, statuses  # None: a meeting, a document, or unknown


def test_golden_answers_have_every_status() -> None:
    statuses = {json.loads(line)["evaluation"]["status"] for pack_id in PACKS
                for line in g.read_lines(g.golden_path(pack_id, "reference")) if '"evaluation"' in line}
    assert {"done", "done_late", "on_track", "due_soon", "overdue", None} <= statuses, statuses


def test_golden_ledger_has_old_complex_matters() -> None:
    old = [o for o in g.ledger() if o["type"] == "matter" and o["assigned_on"] < "2020"
           and len(o.get("reports", ())) >= 100]
    assert len(old) >= 10
    assert sum("extension" in o for o in g.ledger() if o["type"] == "matter" and o["assigned_on"] < "2020") >= 20
