"""Every result records the calendar it used (the issue's "calendar provenance on every result"):
the years, and for each source the package version or the file's name and sha256."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd

from govrules.batch import evaluate_frame
from govrules.calendar.installed import add_year_file
from govrules.cli import main
from govrules.engine import Options, evaluate
from govrules.models import Matter
from govrules.packs import bundled_pack

SYNTHETIC_2027 = Path(__file__).resolve().parent / "data" / "synthetic-2027.yaml"  # a test fixture, not the notice
SHA_2027 = hashlib.sha256(SYNTHETIC_2027.read_bytes()).hexdigest()
JINAN = bundled_pack("jinan-2016-30")
LATE = Matter(type="matter", id="DC-9", source="市领导批示", assigned_on=date(2026, 12, 30), lead_unit="市交通局")
PACKAGE = {"years": [2004, 2026], "kind": "package", "source": "chinese-calendar", "version": "1.11.0",
           "file": None, "sha256": None}


def test_an_evaluation_names_the_package_and_its_version() -> None:
    ev = evaluate(LATE.model_copy(update={"assigned_on": date(2026, 4, 30)}), date(2026, 5, 11), JINAN)
    assert ev.to_dict()["calendar"] == {"years": [2004, 2026], "sources": [PACKAGE], "provisional_years": None}


def test_an_installed_year_is_named_with_its_file_and_sha256(store: Path, capsys) -> None:
    add_year_file(SYNTHETIC_2027)
    ev = evaluate(LATE, date(2026, 12, 31), JINAN)
    recorded = ev.to_dict()["calendar"]
    assert recorded["years"] == [2004, 2027] and recorded["sources"][0] == PACKAGE
    assert {k: recorded["sources"][1][k] for k in ("years", "kind", "file", "sha256")} == {
        "years": [2027, 2027], "kind": "installed", "file": "2027.yaml", "sha256": SHA_2027}
    # the CLI's JSON and the frame say the same
    capsys.readouterr()
    assert main(["deadline", "--pack", "jinan-2016-30", "--source", "市领导批示", "--assigned", "2026-12-30",
                 "--as-of", "2026-12-31", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["calendar"] == recorded
    frame = evaluate_frame(pd.DataFrame([LATE.model_dump(mode="json", exclude_none=True)]), JINAN, date(2026, 12, 31))
    assert frame.attrs["calendar"] == recorded


def test_a_one_off_file_and_provisional_answers_are_recorded(store: Path) -> None:
    from govrules.calendar import WorkCalendar

    once = evaluate(LATE, date(2026, 12, 31), JINAN, Options(calendar=WorkCalendar.default().with_year_file(SYNTHETIC_2027)))
    source = once.to_dict()["calendar"]["sources"][1]
    assert (source["kind"], source["file"], source["sha256"]) == ("file", "synthetic-2027.yaml", SHA_2027)
    guessed = evaluate(LATE, date(2026, 12, 31), JINAN, Options(calendar=WorkCalendar.default().provisional()))
    assert guessed.provisional and guessed.to_dict()["calendar"]["provisional_years"] == [1990, 2100]
