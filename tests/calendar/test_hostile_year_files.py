"""Hostile holiday-data files are refused quickly, with one clear InputError naming the file
(and, where there is one, the line and column): alias bombs, tags, duplicate keys, huge files."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from govrules.calendar import WorkCalendar, load_year_file
from govrules.calendar.installed import add_year_file, installed_years
from govrules.errors import InputError

HEAD = "year: 2027\ncomplete: true\nsource: x\nworking_weekends: []\n"


def alias_bomb() -> str:
    # "billion laughs": nine levels of nine aliases each would be 9**9 strings once expanded
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return HEAD + "\n".join(lines) + "\nholidays: *a9\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile-2027.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def huge(tmp_path: Path) -> Path:
    path = tmp_path / "hostile-2027.yaml"
    with path.open("wb") as out:
        out.write(HEAD.encode())
        out.truncate(50_000_000)  # 50 MB (sparse: the test does not write them)
    return path


HOSTILE: list[tuple[str, Callable[[Path], Path], str]] = [
    ("alias bomb", lambda tmp: write(tmp, alias_bomb()), ":5:5: anchors and aliases are not allowed in a holiday-data file"),
    ("one anchor", lambda tmp: write(tmp, HEAD + "holidays: &h [{date: 2027-01-01, name: 元旦}]\n"),
     ":5:11: anchors and aliases are not allowed"),
    ("python tag", lambda tmp: write(tmp, HEAD + "holidays: !!python/object/apply:os.system ['echo pwned']\n"),
     ":5:11: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed: a holiday-data file is plain data"),
    ("local tag", lambda tmp: write(tmp, HEAD + "holidays: [!holiday {date: 2027-01-01, name: 元旦}]\n"),
     ":5:12: the tag !holiday is not allowed"),
    ("duplicate key", lambda tmp: write(tmp, HEAD + "holidays: [{date: 2027-01-01, name: 元旦}]\nyear: 2028\n"),
     ":6:1: duplicate key 'year'"),
    ("duplicate nested key", lambda tmp: write(tmp, HEAD + "holidays: [{date: 2027-01-01, date: 2027-01-02, name: 元旦}]\n"),
     ":5:31: duplicate key 'date'"),
    ("deep nesting", lambda tmp: write(tmp, HEAD + "holidays: " + "[" * 500 + "]" * 500 + "\n"),
     "nested more than 100 levels deep"),
    ("50 MB", huge, ": a holiday-data file is 50000000 bytes; the limit is 1000000 bytes (1 MB)"),
]


@pytest.mark.parametrize(("make", "said"), [(make, said) for _, make, said in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_in_well_under_a_second(tmp_path: Path, make: Callable[[Path], Path], said: str) -> None:
    path = make(tmp_path)
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_year_file(path)
    assert time.perf_counter() - started < 1.0
    message = str(caught.value)
    assert message.startswith(str(path)) and said in message, message
    assert "\n" not in message


@pytest.mark.parametrize(("make", "said"), [(make, said) for _, make, said in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_neither_installed_nor_given_for_one_run(
        store: Path, tmp_path: Path, make: Callable[[Path], Path], said: str) -> None:
    path = make(tmp_path)
    started = time.perf_counter()
    with pytest.raises(InputError, match=said.split(": ", 1)[-1][:30]):
        add_year_file(path)
    with pytest.raises(InputError):
        WorkCalendar.default().with_year_file(path)
    assert time.perf_counter() - started < 1.0
    assert installed_years() == []
