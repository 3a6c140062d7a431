"""Repeated --pack and --interpretation: a pack named twice is evaluated once, where first named;
the same reading chosen twice counts once; two options for one reading are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govrules.packs.readings import ReadingChoiceError, choose_readings
from govrules.packs import bundled_pack

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-05-11"
JINAN, SHAOXING = "jinan-2016-30", "shaoxing-2008-185"


def test_a_pack_named_three_times_is_evaluated_once(govrules, ledger) -> None:
    once = govrules("evaluate", "--pack", JINAN, "--as-of", AS_OF, "--format", "json", ledger)
    thrice = govrules("evaluate", "--pack", JINAN, "--pack", JINAN, "--pack", JINAN, "--as-of", AS_OF,
                      "--format", "json", ledger)
    assert (once.code, thrice.code) == (0, 0), thrice.err
    assert thrice.out == once.out


def test_repeats_keep_the_order_first_named(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", SHAOXING, "--pack", JINAN, "--pack", SHAOXING, "--as-of", AS_OF,
                 "--format", "json", ledger)
    assert r.code == 0, r.err
    packs = list(dict.fromkeys(o["pack"] for o in r.json()))
    assert packs == [SHAOXING, JINAN] and len(r.json()) == 2 * len(set(o["id"] for o in r.json()))


def test_a_pack_named_by_id_and_by_its_file_is_evaluated_once(govrules, ledger) -> None:
    by_file = REPO / "rules" / f"{JINAN}.yaml"
    once = govrules("evaluate", "--pack", JINAN, "--as-of", AS_OF, "--format", "json", ledger)
    both = govrules("evaluate", "--pack", JINAN, "--pack", by_file, "--as-of", AS_OF, "--format", "json", ledger)
    assert both.code == 0, both.err
    assert both.out == once.out


def test_two_different_packs_with_one_id_are_refused(govrules, ledger, tmp_path: Path) -> None:
    changed = tmp_path / "jinan-changed.yaml"
    text = (REPO / "rules" / f"{JINAN}.yaml").read_text(encoding="utf-8")
    changed.write_text(text.replace("chosen: same-day", "chosen: next-working-day", 1), encoding="utf-8")
    r = govrules("evaluate", "--pack", JINAN, "--pack", changed, "--as-of", AS_OF, ledger)
    assert (r.code, r.out) == (2, "")
    assert "different packs with the same id 'jinan-2016-30'" in r.err and "Traceback" not in r.err


def test_the_same_pack_file_twice_is_one_pack(govrules, ledger, tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copy(REPO / "rules" / f"{JINAN}.yaml", copy)
    r = govrules("accountability", "--pack", copy, "--pack", JINAN, "--as-of", AS_OF, "--format", "json",
                 REPO / "examples" / "ledger.json")
    once = govrules("accountability", "--pack", JINAN, "--as-of", AS_OF, "--format", "json",
                    REPO / "examples" / "ledger.json")
    assert (r.code, r.out) == (once.code, once.out)


def test_deadline_with_a_repeated_pack_answers_once(govrules) -> None:
    base = ("deadline", "--assigned", "2026-04-30", "--source", "市领导批示", "--format", "json")
    once = govrules(*base, "--pack", JINAN)
    twice = govrules(*base, "--pack", JINAN, "--pack", JINAN)
    assert once.code == 0 and twice.out == once.out and len(twice.json()) == 1


def test_the_same_reading_twice_counts_once(govrules, ledger) -> None:
    choice = ("--interpretation", "immediate=next-working-day")
    once = govrules("evaluate", "--pack", JINAN, "--as-of", AS_OF, "--format", "json", *choice, ledger)
    twice = govrules("evaluate", "--pack", JINAN, "--as-of", AS_OF, "--format", "json", *choice,
                     "--interpretation", f"{JINAN}:immediate=next-working-day", ledger)
    assert once.code == 0 and twice.out == once.out


def test_two_options_for_one_reading_are_refused(govrules, ledger) -> None:
    r = govrules("evaluate", "--pack", JINAN, "--as-of", AS_OF, "--interpretation", "immediate=same-day",
                 "--interpretation", f"{JINAN}:immediate=next-working-day", ledger)
    assert (r.code, r.out) == (2, "")
    assert "jinan-2016-30:immediate is already chosen as 'same-day'" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize(("items", "refused"), [
    (["immediate=same-day", "immediate=same-day"], False),
    (["immediate=same-day", "immediate=next-working-day"], True),
    ([f"{JINAN}:immediate=next-working-day", "immediate=next-working-day"], False),
    ([f"{JINAN}:immediate=next-working-day", "immediate=same-day"], True),
])
def test_choose_readings_repeats(items: list[str], refused: bool) -> None:
    packs = [bundled_pack(JINAN)]
    if refused:
        with pytest.raises(ReadingChoiceError, match="give one option per reading"):
            choose_readings(packs, items)
    else:
        assert choose_readings(packs, items) == {JINAN: {"immediate": items[0].rpartition("=")[2]}}


def test_watch_takes_one_pack(govrules, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text('{"type": "event", "id": "E1", "unit": "u", "on": "2026-03-02", "kind": "通报批评"}\n',
                      encoding="utf-8")
    same = govrules("watch", "--pack", JINAN, "--pack", JINAN, events)
    once = govrules("watch", "--pack", JINAN, events)
    assert (same.code, same.out) == (once.code, once.out)
    other = govrules("watch", "--pack", JINAN, "--pack", SHAOXING, events)
    assert (other.code, other.out) == (2, "")
    assert "--pack given twice ('jinan-2016-30' and 'shaoxing-2008-185'); give it once" in other.err
