"""Bad ledgers: by default every problem of every row is reported at once (row, column, value,
expected) and nothing is evaluated; with bad_rows="separate" the good rows are evaluated and
every other row comes back beside them, none dropped."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from batch_ledgers import document, matter, meeting
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.batch import FrameError, evaluate_frame
from govrules.engine import Options
from govrules.errors import InputError
from govrules.models import parse_object
from govrules.packs import bundled_pack

JINAN = bundled_pack("jinan-2016-30")
AS_OF = date(2026, 5, 11)


def _matter(ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": "matter", "id": ident, "source": "市领导批示", "assigned_on": "2026-04-30",
            "lead_unit": "市交通局"} | fields


LEDGER = pd.DataFrame([
    _matter("A"),
    _matter("B", assigned_on="2026-02-30"),  # no such day
    _matter("C"),
    _matter("D", source="市长的口头交代"),  # not a 事项来源
    _matter("E"),
    _matter("F", lead_unit=None),  # required
    _matter("E", completed_on="2026-04-01"),  # duplicate id, and completed before assigned
], index=[f"r{i}" for i in range(7)])


def test_every_bad_row_is_reported_and_nothing_evaluated() -> None:
    with pytest.raises(FrameError) as caught:
        evaluate_frame(LEDGER, JINAN, AS_OF)
    problems = caught.value.problems
    got = [(r.row, r.index, r.id, r.column) for r in problems.itertuples(index=False)]
    assert got == [
        (1, "r1", "B", "assigned_on"),
        (3, "r3", "D", "source"),
        (4, "r4", "E", "id"),
        (5, "r5", "F", "lead_unit"),
        (6, "r6", "E", "completed_on"),
        (6, "r6", "E", "id"),
    ]
    first = problems.iloc[0]
    assert first["value"] == "2026-02-30" and "YYYY-MM-DD" in first["expected"]
    assert "also at rows 6" in problems.iloc[2]["expected"]
    assert "6 problem(s) in 5 of 7 rows" in str(caught.value)
    assert isinstance(caught.value, InputError)  # the CLI and service turn it into one message


def test_separate_evaluates_the_good_rows_and_returns_the_others() -> None:
    result = evaluate_frame(LEDGER, JINAN, AS_OF, bad_rows="separate")
    assert list(result.evaluated.index) == ["r0", "r2"]
    assert list(result.bad_rows.index) == ["r1", "r3", "r4", "r5", "r6"]
    assert result.bad_rows.equals(LEDGER.loc[["r1", "r3", "r4", "r5", "r6"]])  # as given
    assert len(result.evaluated) + len(result.bad_rows) == len(LEDGER)
    assert set(result.problems["row"]) == {1, 3, 4, 5, 6}
    assert list(result.evaluated["status"]) == ["overdue", "overdue"]


def test_a_missing_column_makes_every_row_of_the_type_bad() -> None:
    df = LEDGER.drop(columns=["assigned_on"]).iloc[[0, 2]]
    with pytest.raises(FrameError) as caught:
        evaluate_frame(df, JINAN, AS_OF)
    assert list(caught.value.problems["column"]) == ["assigned_on", "assigned_on"]
    assert "required" in caught.value.problems.iloc[0]["expected"]


@pytest.mark.parametrize(("extra", "column"), [({"assigned": "x"}, "assigned"), ({"类型": "matter"}, "type")])
def test_problems_of_the_frame_itself_always_raise(extra: dict[str, Any], column: str) -> None:
    """An unknown column may be a misspelt one: guessing would evaluate every row wrongly."""
    df = LEDGER.iloc[[0]].assign(**extra)
    for mode in ("raise", "separate"):
        with pytest.raises(FrameError) as caught:
            evaluate_frame(df, JINAN, AS_OF, bad_rows=mode)  # type: ignore[call-overload]
        assert caught.value.problems.iloc[0]["row"] == -1 and caught.value.problems.iloc[0]["column"] == column


@pytest.mark.parametrize("label", ["lead_unit", "id", "type"])
def test_a_doubled_column_is_a_problem_of_the_frame(label: str) -> None:
    df = LEDGER.iloc[[0]]
    doubled = pd.concat([df, df[[label]]], axis=1)
    for mode in ("raise", "separate"):
        with pytest.raises(FrameError) as caught:
            evaluate_frame(doubled, JINAN, AS_OF, bad_rows=mode)  # type: ignore[call-overload]
        problems = caught.value.problems
        assert list(problems["row"]) == [-1] and problems.iloc[0]["column"] == label
        assert problems.iloc[0]["expected"] == "each column once"


def test_a_frame_error_crosses_process_boundaries() -> None:
    """Process pools and Dask pickle it: it is rebuilt whole, problems included."""
    import pickle

    with pytest.raises(FrameError) as caught:
        evaluate_frame(LEDGER.iloc[[0]].assign(assigned_on="2026-02-30"), JINAN, AS_OF)
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again) == str(caught.value) and again.problems.equals(caught.value.problems)


def test_cells_of_another_types_columns_must_be_empty() -> None:
    df = pd.DataFrame([_matter("A", kind="专题会议", complex=False),
                       {"type": "meeting", "id": "M", "kind": "专题会议", "held_on": "2026-04-30", "complex": True}])
    with pytest.raises(FrameError) as caught:
        evaluate_frame(df, JINAN, AS_OF)
    got = [(r.row, r.column) for r in caught.value.problems.itertuples(index=False)]
    assert got == [(0, "kind"), (1, "complex")]  # complex=False on the matter is its default: fine


def test_extension_parts_and_order() -> None:
    df = pd.DataFrame([
        _matter("A", extension_approved=True),  # approved, but what was asked?
        _matter("B", extension_requested_on="2026-05-02", extension_new_deadline="2026-05-01"),
        _matter("C", reports=["2026-04-01"]),
    ])
    with pytest.raises(FrameError) as caught:
        evaluate_frame(df, JINAN, AS_OF)
    got = [(r.row, r.column) for r in caught.value.problems.itertuples(index=False)]
    assert got == [(0, "extension_requested_on"), (0, "extension_new_deadline"), (1, "extension_new_deadline"),
                   (2, "reports")]
    nested = pd.DataFrame([_matter("D", extension={"requested_on": "2026-05-02", "new_deadline": "2026-05-20",
                                                   "approved": "yes"})])
    with pytest.raises(FrameError, match="approved"):
        evaluate_frame(nested, JINAN, AS_OF)


def test_not_in_force_rows_are_problems_and_unknown_years_are_answered_unknown() -> None:
    df = pd.DataFrame([_matter("old", assigned_on="2015-03-02"), _matter("new", assigned_on="2026-12-30"),
                       _matter("ok")])
    with pytest.raises(FrameError) as caught:
        evaluate_frame(df, JINAN, date(2026, 12, 31))
    assert list(caught.value.problems["id"]) == ["old"]  # the rows are checked before evaluating
    assert "allow_not_in_force" in caught.value.problems.iloc[0]["expected"]
    # a year without holiday data is not bad input: the row is answered "unknown", the others as usual
    result = evaluate_frame(df, JINAN, date(2026, 12, 31), Options(allow_not_in_force=True), bad_rows="separate")
    assert list(result.evaluated["id"]) == ["old", "new", "ok"] and not len(result.problems)
    assert list(result.evaluated["status"].astype(object)) == ["overdue", "unknown", "overdue"]
    assert list(result.evaluated["complete"]) == [True, False, True]  # 3 working days after 12-30 fall in 2027
    assert list(result.evaluated["findings"].iloc[1]) == [
        {"rule": "jinan-2016-30/deadline/city-leader-instruction", "kind": "unknown", "due": None}]
    assert list(result.evaluated["in_force"]) == [False, True, True]


def test_an_empty_frame_gives_an_empty_result() -> None:
    out = evaluate_frame(LEDGER.iloc[:0], JINAN, AS_OF)
    assert len(out) == 0 and "findings" in out


# -- the frame refuses exactly the rows the models refuse -------------------------------------

BAD_VALUES = {
    "assigned_on": ["2026-13-01", "20260501", 5, "2026-5-1"], "held_on": ["昨天"], "issued_on": [3.5],
    "source": ["不存在"], "kind": ["不存在", 7], "issuer": [""], "urgency": ["很急"],
    "complex": ["yes", 1], "external": ["true"], "attendees": [-1, "12", 1.5],
    "lead_unit": ["", 12], "explicit_deadline": ["2026-02-30"], "approvals": [["不存在"], "备案、不存在", 3],
    "reports": [["2026-02-30"], "x"], "char_count": [-5],
}


@st.composite
def corrupted(draw: st.DrawFn) -> list[dict[str, Any]]:
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    rows = draw(st.lists(st.one_of(matter(first, last), meeting(first, last), document(first, last)), min_size=1, max_size=12))
    for i, row in enumerate(rows):
        row["id"] = f"R{i}"
        if draw(st.booleans()):
            fields = [f for f in BAD_VALUES if f in row or f in ("approvals", "attendees", "complex", "external")]
            applicable = [f for f in fields if f in _fields(row["type"])]
            if applicable:
                name = draw(st.sampled_from(applicable))
                row[name] = draw(st.sampled_from(BAD_VALUES[name]))
        if draw(st.integers(0, 9)) == 0:
            row.pop(draw(st.sampled_from(sorted(k for k in row if k not in ("type", "id")))))
    return rows


def _fields(case_type: str) -> set[str]:
    from govrules.batch.schema import COLUMNS

    return set(COLUMNS[case_type])  # type: ignore[index]


@given(corrupted())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_bad_rows_are_the_rows_the_models_refuse(rows: list[dict[str, Any]]) -> None:
    refused = set()
    for i, row in enumerate(rows):
        try:
            parse_object(row)
        except InputError:
            refused.add(i)
    result = evaluate_frame(pd.DataFrame(rows), bundled_pack("tigao-xiaolv-yijian"), date(2025, 12, 31),
                            Options(allow_not_in_force=True), bad_rows="separate")
    assert set(result.problems["row"]) == refused
    assert len(result.evaluated) + len(result.bad_rows) == len(rows)
