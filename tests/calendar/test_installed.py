"""The store of installed years (govrules.calendar.installed) and what the default calendar and
its provenance make of it."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from govrules.calendar import WorkCalendar
from govrules.calendar.installed import (
    InstalledCalendarBroken, add_year_file, calendar_dir, check_year_file, data_dir, installed_years, remove_year,
)
from govrules.errors import GovrulesError, HolidayDataMissing, InputError

# SYNTHETIC: invented dates for the tests, not the State Council's 2027 notice (see the file).
SYNTHETIC_2027 = Path(__file__).resolve().parent / "data" / "synthetic-2027.yaml"

SHA_2027 = hashlib.sha256(SYNTHETIC_2027.read_bytes()).hexdigest()


def year_2028(tmp_path: Path) -> Path:
    text = SYNTHETIC_2027.read_text(encoding="utf-8")
    path = tmp_path / "synthetic-2028.yaml"
    path.write_text("year: 2028\ncomplete: true\nsource: SYNTHETIC TEST FIXTURE\n"
                    "holidays:\n  - {date: 2028-01-03, name: 元旦}\nworking_weekends: []\n", encoding="utf-8")
    assert "2028" not in text
    return path


def test_the_store_is_where_the_environment_variable_says(store: Path) -> None:
    assert data_dir() == store
    assert calendar_dir() == store / "calendar"
    assert installed_years() == []  # a directory that does not exist yet is an empty store


def test_without_the_variable_the_platform_user_data_directory_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("GOVRULES_DATA_DIR")
    assert data_dir() == Path(platformdirs.user_data_dir("govrules", appauthor=False))


def test_add_installs_the_file_byte_for_byte_and_default_knows_the_year(store: Path) -> None:
    with pytest.raises(HolidayDataMissing):
        WorkCalendar.default().is_workday(date(2027, 1, 4))
    checked, target = add_year_file(SYNTHETIC_2027)
    assert target == store / "calendar" / "2027.yaml"
    assert target.read_bytes() == SYNTHETIC_2027.read_bytes()
    assert checked.file.sha256 == SHA_2027
    [entry] = installed_years()
    assert (entry.year, entry.status, entry.path, entry.sha256) == (2027, "in use", target, SHA_2027)
    calendar = WorkCalendar.default()
    assert calendar.known_years == (2004, 2027)
    assert not calendar.is_workday(date(2027, 1, 1))  # the fixture's 元旦
    assert calendar.is_workday(date(2027, 2, 20))  # the fixture's working Saturday
    assert calendar.add_workdays(date(2026, 12, 20), 15) == date(2027, 1, 11)


def test_remove_drops_the_year_from_the_default_calendar(store: Path) -> None:
    add_year_file(SYNTHETIC_2027)
    assert WorkCalendar.default().known_years == (2004, 2027)
    assert remove_year(2027) == store / "calendar" / "2027.yaml"
    assert installed_years() == []
    assert WorkCalendar.default().known_years == (2004, 2026)
    with pytest.raises(InputError, match="2027 is not installed"):
        remove_year(2027)


def test_default_is_built_once_and_shared_until_the_store_changes(store: Path) -> None:
    first = WorkCalendar.default()
    assert WorkCalendar.default() is first  # no file system look-up per call
    add_year_file(SYNTHETIC_2027)
    assert WorkCalendar.default() is not first


def test_provenance_names_the_package_version_and_the_installed_file_with_its_sha256(store: Path) -> None:
    from importlib.metadata import version

    package = {"years": [2004, 2026], "kind": "package", "source": "chinese-calendar",
               "version": version("chinese-calendar"), "file": None, "sha256": None}
    assert WorkCalendar.default().provenance() == {"years": [2004, 2026], "sources": [package], "provisional_years": None}
    add_year_file(SYNTHETIC_2027)
    calendar = WorkCalendar.default()
    installed = {"years": [2027, 2027], "kind": "installed",
                 "source": "SYNTHETIC TEST FIXTURE - invented dates, not the State Council's 2027 notice",
                 "version": None, "file": "2027.yaml", "sha256": SHA_2027}
    assert calendar.provenance() == {"years": [2004, 2027], "sources": [package, installed], "provisional_years": None}
    assert [s.kind for s in calendar.sources] == ["package", "installed"]
    assert json.loads(json.dumps(calendar.provenance())) == calendar.provenance()
    assert calendar.provisional().provenance()["provisional_years"] == [1990, 2100]
    calendar.provenance()["years"].append(1)  # type: ignore[attr-defined]  # a copy: the calendar is unchanged
    assert calendar.provenance()["years"] == [2004, 2027]


def test_one_off_files_and_year_data_are_recorded_too(store: Path, tmp_path: Path) -> None:
    from govrules.calendar import load_year_file

    with_file = WorkCalendar.default().with_year_file(SYNTHETIC_2027)
    assert with_file.provenance()["sources"][-1] == {  # type: ignore[index]
        "years": [2027, 2027], "kind": "file", "source": load_year_file(SYNTHETIC_2027).source,
        "version": None, "file": "synthetic-2027.yaml", "sha256": SHA_2027}
    with_data = WorkCalendar.default().with_year_data(load_year_file(SYNTHETIC_2027))
    source = with_data.sources[-1]
    assert (source.kind, source.file, source.sha256) == ("data", None, None)
    # on top of an installed year, as --holiday-data is
    add_year_file(SYNTHETIC_2027)
    assert WorkCalendar.default().with_year_file(year_2028(tmp_path)).known_years == (2004, 2028)


def test_a_year_known_installed_or_not_next_to_the_known_years_is_refused(store: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="supply 2027 first"):
        add_year_file(year_2028(tmp_path))
    known = tmp_path / "2026.yaml"
    known.write_text("year: 2026\ncomplete: true\nsource: x\nholidays: [{date: 2026-01-01, name: 元旦}]\n"
                     "working_weekends: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="2026 is already known"):
        check_year_file(known)
    add_year_file(SYNTHETIC_2027)
    with pytest.raises(InputError, match="already installed") as caught:
        add_year_file(SYNTHETIC_2027)
    assert caught.value.where == f"{SYNTHETIC_2027}: year"
    add_year_file(year_2028(tmp_path))
    assert [e.year for e in installed_years()] == [2027, 2028]
    with pytest.raises(InputError, match="2028 is installed and needs 2027; remove 2028 first"):
        remove_year(2027)
    remove_year(2028)
    remove_year(2027)


def test_a_json_year_file_is_kept_as_json(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "y.json"
    path.write_text(json.dumps({"year": 2027, "complete": True, "source": "SYNTHETIC TEST FIXTURE",
                                "holidays": [{"date": "2027-01-01", "name": "元旦"}], "working_weekends": []}))
    _, target = add_year_file(path)
    assert target.name == "2027.json"
    assert WorkCalendar.default().known_years == (2004, 2027)


def test_a_year_the_package_learns_later_supersedes_the_installed_file(store: Path) -> None:
    # As if chinese-calendar were upgraded after 2026 was installed: the package's data wins.
    directory = store / "calendar"
    directory.mkdir(parents=True)
    (directory / "2026.yaml").write_text("year: 2026\nnot even valid: [\n", encoding="utf-8")
    assert WorkCalendar.default().known_years == (2004, 2026)
    assert [s.kind for s in WorkCalendar.default().sources] == ["package"]
    [entry] = installed_years()
    assert entry.status == "superseded" and "chinese-calendar" in (entry.problem or "")
    remove_year(2026)
    assert installed_years() == []


def test_a_broken_installed_file_is_one_clear_error_naming_it_and_the_fix(store: Path) -> None:
    directory = store / "calendar"
    directory.mkdir(parents=True)
    broken = directory / "2027.yaml"
    broken.write_text(SYNTHETIC_2027.read_text(encoding="utf-8").replace("2027-01-01", "2028-01-01"), encoding="utf-8")
    with pytest.raises(InstalledCalendarBroken) as caught:
        WorkCalendar.default()
    message = str(caught.value)
    assert isinstance(caught.value, GovrulesError)
    assert str(broken) in message and "holidays[0]" in message and "after end" in message and "govrules calendar remove 2027" in message
    [entry] = installed_years()
    assert entry.status == "broken"
    with pytest.raises(InstalledCalendarBroken):
        check_year_file(SYNTHETIC_2027)  # adding on top of a broken store would hide the problem
    remove_year(2027)
    assert WorkCalendar.default().known_years == (2004, 2026)


def test_a_file_whose_name_and_year_disagree_is_broken(store: Path) -> None:
    directory = store / "calendar"
    directory.mkdir(parents=True)
    (directory / "2028.yaml").write_bytes(SYNTHETIC_2027.read_bytes())
    with pytest.raises(InstalledCalendarBroken, match="the file holds 2027, not 2028"):
        WorkCalendar.default()
