"""The rows the vector path leaves to the reference evaluator: rebuilt as models, evaluated one by
one with ``evaluate``, plus the quota rules that count across cases (as ``evaluate_all`` does)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import ValidationError

from govrules.batch.columns import Dates, Table
from govrules.batch.schema import EXTENSION_COLUMNS, MODELS, CaseType
from govrules.semantics.compiled import CompiledPack
from govrules.engine.evaluate import evaluate
from govrules.semantics.findings import Case
from govrules.engine.options import Options
from govrules.engine.quotas import quota_findings
from govrules.semantics.results import Evaluation
from govrules.errors import GovrulesError
from govrules.models.parse import explain_validation

FLAT_EXTENSION = set(EXTENSION_COLUMNS.values())


def case_at(table: Table, i: int) -> Case:
    """Row i of the table as the model the reference evaluator takes."""
    data: dict[str, Any] = {"type": table.case_type}
    for name, col in table.columns.items():
        if name not in FLAT_EXTENSION:
            data[name] = col.value(i)
    requested = table.columns.get("extension_requested_on")
    if isinstance(requested, Dates) and requested.value(i) is not None:
        data["extension"] = {part: table.columns[flat].value(i) for part, flat in EXTENSION_COLUMNS.items()}
    model = MODELS[table.case_type]  # type: ignore[index]  # a Table's case_type is a CaseType
    case: Case = model.model_validate({k: v for k, v in data.items() if v is not None})  # type: ignore[assignment]
    return case


def evaluate_rows(table: Table, rows: list[int], as_of: date, cp: CompiledPack, options: Options
                  ) -> tuple[dict[int, tuple[Case, Evaluation]], dict[int, str]]:
    """(results, errors): each row evaluated, or the reference's error for it."""
    results: dict[int, tuple[Case, Evaluation]] = {}
    errors: dict[int, str] = {}
    for i in rows:
        try:
            case = case_at(table, i)
            # a row whose own deadline needs an unknown year is that row's status "unknown", not a refusal
            results[i] = case, evaluate(case, as_of, cp, options, unknown_deadline="report")
        except GovrulesError as exc:
            errors[i] = str(exc)
        except ValidationError as exc:  # a row the frame's checks passed and the model does not
            errors[i] = explain_validation(exc, MODELS[table.case_type])  # type: ignore[index]
    return results, errors


def add_quotas(cp: CompiledPack, evaluated: list[tuple[CaseType, int, Case, Evaluation]], as_of: date
               ) -> dict[tuple[CaseType, int], Evaluation]:
    """evaluate_all's quota findings over the cases given (in frame order): only the cases some
    quota applies to can count, and those are all among the rows evaluated here."""
    cases = [case for _, _, case, _ in evaluated]
    extra = quota_findings(cp, cases, as_of)
    out = {}
    for k, found in extra.items():
        case_type, i, _, result = evaluated[k]
        out[(case_type, i)] = replace(result, findings=result.findings + tuple(found))
    return out
