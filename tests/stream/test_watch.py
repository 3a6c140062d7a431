"""``govrules watch --pack ID EVENTS.jsonl``: events in, line by line; actions out, as JSON lines.

govrules.cli.parser wires the subcommand with ``add_watch_arguments`` and ``watch_main``; these tests build the
same parser. A bad line gets one message on stderr naming file and line; the stream goes on; the
command ends with an error (exit code 2) that counts what was refused.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govrules import GovrulesError
from govrules.stream import add_watch_arguments, watch_main
from stream_helpers import assigned, clock, problem, report


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="govrules watch")
    add_watch_arguments(parser)
    return parser.parse_args(list(argv))


def lines(*items: Any) -> str:
    return "".join((item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n" for item in items)


def run(tmp_path: Path, text: str, *extra: str) -> tuple[list[dict[str, Any]], str, GovrulesError | None]:
    path = tmp_path / "events.jsonl"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    failure = None
    try:
        assert watch_main(parse("--pack", "jinan-2016-30", *extra, str(path)), out, err) == ""
    except GovrulesError as exc:
        failure = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), failure


def test_actions_come_out_as_json_lines(tmp_path: Path) -> None:
    actions, err, failure = run(tmp_path, lines(
        assigned("E1", "2026-04-30", "DC-1", "市领导批示", "市交通局"),
        clock("E2", "2026-05-11"),
        [problem("E3", "2026-05-11", "市交通局", "通报批评"), problem("E4", "2026-05-11", "市交通局", "通报批评")],
    ))
    assert failure is None and err == ""
    assert [(a["kind"], a["subject"], a["caused_by"], a["level"]) for a in actions] == [
        ("催办", "DC-1", "E1", None), ("逾期", "DC-1", "E2", None), ("问责", "市交通局", "E3", 1), ("问责", "市交通局", "E4", 2)]
    assert actions[3]["copied_to"] == ["市委组织部", "市监察局"]


def test_cross_check_is_off_by_default_and_asks_the_reference_when_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = lines(assigned("E1", "2026-04-30", "DC-1", "市领导批示", "市交通局"), clock("E2", "2026-05-11"),
                 problem("E3", "2026-05-11", "市交通局", "通报批评"))
    assert not parse("--pack", "jinan-2016-30", "x.jsonl").cross_check
    plain, err, failure = run(tmp_path, text)
    checked, err_checked, failure_checked = run(tmp_path, text, "--cross-check")
    assert plain == checked and len(plain) == 3 and err == err_checked == "" and failure is failure_checked is None
    # a matcher that fires nothing: only the cross-check notices
    from govrules.stream import supervisor as supervisor_module
    from govrules.stream.rules_json import Ruleset, compile_ruleset

    def no_ladder_rules(cp: Any) -> Ruleset:
        full = compile_ruleset(cp)
        keep = {n: r for n, r in full.definition.items() if n.startswith("m")}
        return Ruleset(definition=keep, rules={n: full.rules[n] for n in keep})

    monkeypatch.setattr(supervisor_module, "compile_ruleset", no_ladder_rules)
    unchecked, err, _ = run(tmp_path, text)
    assert [a["kind"] for a in unchecked] == ["催办", "逾期"] and err == ""  # durable-rules alone decides the step
    actions, err, _ = run(tmp_path, text, "--cross-check")
    assert [a["kind"] for a in actions] == ["催办", "逾期"]
    assert "warning: disagreement: unit 市交通局: durable-rules fired nothing" in err


def test_bad_lines_are_reported_and_the_stream_goes_on(tmp_path: Path) -> None:
    actions, err, failure = run(tmp_path, lines(
        assigned("E1", "2026-04-30", "DC-1", "市领导批示", "市交通局"),
        "{not json",
        report("E2", "2026-05-06", "NOPE"),
        [],
        clock("E1", "2026-05-07"),
        "",
        clock("E3", "2026-04-01"),
        clock("E4", "2026-05-11"),
    ))
    assert [(a["kind"], a["caused_by"]) for a in actions] == [("催办", "E1"), ("逾期", "E4")]
    path = tmp_path / "events.jsonl"
    assert err.splitlines() == [
        f"govrules: {path}:2:2: error: not valid JSON: Expecting property name enclosed in double quotes; found 'not json'",
        f"govrules: {path}:3: error: event E2 (report, 2026-05-06): unknown matter 'NOPE': no matter_assigned event has put it under supervision",
        f"govrules: {path}:4: error: empty batch: the line is an empty array, there is no event to post",
        f"govrules: {path}:5: error: event E1 (clock, 2026-05-07): duplicate event id 'E1': an event with this id was accepted before",
        f"govrules: {path}:7: error: event E3 (clock, 2026-04-01): the clock cannot go backwards: the stream's date is already 2026-04-30, this event is dated 2026-04-01",
    ]
    assert failure is not None and str(failure) == f"{path}: 3 event(s) and 2 line(s) refused (each reported above); 2 event(s) accepted and applied"


def test_a_file_that_cannot_be_read_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(GovrulesError, match="cannot read the events"):
        watch_main(parse("--pack", "jinan-2016-30", str(tmp_path / "missing.jsonl")), io.StringIO(), io.StringIO())


def test_options_reach_the_stream(tmp_path: Path) -> None:
    text = lines(assigned("E1", "2026-04-30", "DC-1", "市领导批示", "市交通局"), report("E2", "2026-05-06", "DC-1"),
                 clock("E3", "2026-05-11"))
    default, _, _ = run(tmp_path, text)
    strict, _, _ = run(tmp_path, text, "--interpretation", "progress-reply=completion-only", "--warning-days", "0")
    assert [a["kind"] for a in default] == ["催办"]  # the reply within 3 working days meets it
    assert [a["kind"] for a in strict] == ["逾期"]  # only completion counts; no warning window


def test_readings_are_chosen_as_govrules_evaluate_chooses_them(tmp_path: Path) -> None:
    text = lines(assigned("E1", "2026-04-30", "DC-1", "市领导批示", "市交通局"), report("E2", "2026-05-06", "DC-1"),
                 clock("E3", "2026-05-11"))
    prefixed, _, _ = run(tmp_path, text, "--interpretation", "jinan-2016-30:progress-reply=completion-only")
    assert [a["kind"] for a in prefixed] == ["催办", "逾期"]
    for choice, says in (("progress-reply=tomorrow", "jinan-2016-30:progress-reply has no option 'tomorrow'"),
                         ("no-such-reading=x", "no pack evaluated declares 'no-such-reading'"),
                         ("progress-reply", "expected [PACK:]ID=OPTION")):
        actions, _, failure = run(tmp_path, text, "--interpretation", choice)
        assert actions == [] and failure is not None and says in str(failure)
        assert str(failure).startswith("--interpretation: ")


def test_from_stdin_each_action_prints_as_its_event_arrives() -> None:
    code = "import sys, argparse\nfrom govrules.stream import add_watch_arguments, watch_main\n" \
           "p = argparse.ArgumentParser(); add_watch_arguments(p)\nwatch_main(p.parse_args(sys.argv[1:]))\n"
    proc = subprocess.Popen([sys.executable, "-c", code, "--pack", "jinan-2016-30", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(lines(assigned("E1", "2026-04-30", "DC-1", "市领导批示", "市交通局")))
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())  # printed before the input ends
        assert (first["kind"], first["caused_by"]) == ("催办", "E1")
        proc.stdin.write(lines(clock("E2", "2026-05-11")))
        proc.stdin.close()
        second = json.loads(proc.stdout.readline())
        assert (second["kind"], second["caused_by"]) == ("逾期", "E2")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
