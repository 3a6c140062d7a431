"""A pack's example cases: sentences of the regulation, with input, date and expected result.

They live beside the pack (``<id>.cases.yaml``), run in the test suite, and feed the rule
catalog, in the spirit of OpenFisca's YAML tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from govrules.errors import PackError
from govrules.packs.loader import error_path, explain_error
from govrules.packs.yaml_source import read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedFinding(_Strict):
    rule: str  # local rule id, e.g. deadline/city-leader-instruction
    kind: str
    due: date | None = None


class ExpectedEvaluation(_Strict):
    deadline: date | None
    status: str | None
    findings: list[ExpectedFinding]  # exactly these (rule, kind, due), in this order


class ExpectedUnit(_Strict):
    unit: str
    level: int
    outcome: str | None
    counted: int


class ExampleCase(_Strict):
    name: str = Field(min_length=4)  # reads as a sentence of the regulation
    clause: str  # the clause it illustrates
    as_of: date
    interpretations: dict[str, str] = {}
    allow_not_in_force: bool = False  # for packs whose time in force is unknown or over
    input: dict[str, Any] | None = None
    events: list[dict[str, Any]] | None = None
    expect: ExpectedEvaluation | None = None
    expect_accountability: list[ExpectedUnit] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ExampleCase:
        if (self.input is None) == (self.events is None):
            raise ValueError("a case has either input (with expect) or events (with expect_accountability)")
        if (self.input is not None) != (self.expect is not None):
            raise ValueError("input goes with expect")
        if (self.events is not None) != (self.expect_accountability is not None):
            raise ValueError("events go with expect_accountability")
        return self


class ExampleFile(_Strict):
    pack: str
    cases: list[ExampleCase] = Field(min_length=1)


def load_examples(path: str | Path) -> ExampleFile:
    data, positions = read_yaml(path)
    try:
        return ExampleFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise PackError(positions.at(error_path(data, err["loc"])), explain_error(err)) from None
