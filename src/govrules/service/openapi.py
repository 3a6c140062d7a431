"""The OpenAPI document's parts that FastAPI cannot infer: the service reads its bodies and query
parameters itself, so their schemas are declared here, from the same sources the code uses
(the input models' JSON Schema, the result dataclasses, the parameter table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from govrules.semantics.results import Evaluation, UnitAccountability
from govrules.models import cases_json_schema
from govrules.packs.coverage import ClauseCoverage
from govrules.packs.schema import Clause, Interpretation, Rule
from govrules.packs.summary import PackSummary
from govrules.service.errors import ERROR_SCHEMA
from govrules.service.limits import MAX_EVALUATIONS, MAX_OBJECTS
from govrules.service.params import Param

NOT_APPLIED = "Govrules-Not-Applied"
UNANSWERED = "Govrules-Unanswered"
_REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _rebase(node: Any) -> Any:
    """A schema's local ``#/$defs/X`` refs as refs into the document's components."""
    if isinstance(node, dict):
        return {k: (_REF + v.removeprefix("#/$defs/") if k == "$ref" and isinstance(v, str) else _rebase(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


def components() -> dict[str, Any]:
    """Every schema the operations refer to, by name."""
    inputs = cases_json_schema()
    out: dict[str, Any] = {name: _rebase(s) for name, s in inputs["$defs"].items()}
    adapters: list[tuple[str, TypeAdapter[Any]]] = [
        ("Evaluation", TypeAdapter(Evaluation)), ("UnitAccountability", TypeAdapter(UnitAccountability)),
        ("PackSummary", TypeAdapter(PackSummary)), ("Clause", TypeAdapter(Clause)),
        ("Interpretation", TypeAdapter(Interpretation)), ("Rule", TypeAdapter(Rule)),
        ("ClauseCoverage", TypeAdapter(ClauseCoverage)),
    ]
    # the packs' own serialisation (by alias, e.g. a condition's "in"), as GET /packs/{id} dumps them
    tops, defs = TypeAdapter.json_schemas([(n, "serialization", a) for n, a in adapters], by_alias=True,
                                          ref_template=_REF + "{model}")
    outputs: dict[str, Any] = dict(defs.get("$defs", {}))
    for (name, _mode), top in tops.items():
        if top.get("$ref") != _REF + name:  # e.g. Rule, a union: give it a name of its own
            outputs[name] = top
    clash = set(out) & set(outputs)
    if clash:  # an input and an output schema of the same name would silently replace one another
        raise RuntimeError(f"OpenAPI schema names used twice: {', '.join(sorted(clash))}")
    out |= outputs
    out["CaseObject"] = {"anyOf": [ref("Matter"), ref("Meeting"), ref("Document")]}
    out["PackDetail"] = {
        "type": "object", "title": "PackDetail", "additionalProperties": False,
        "properties": {
            "summary": ref("PackSummary"),
            "clauses": {"type": "array", "items": ref("Clause")},
            "interpretations": {"type": "array", "items": ref("Interpretation")},
            "rules": {"type": "array", "items": ref("Rule")},
            "coverage": {"type": "array", "items": ref("ClauseCoverage")},
        },
        "required": ["summary", "clauses", "interpretations", "rules", "coverage"],
    }
    out["Error"] = ERROR_SCHEMA
    return out


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "items": item, "minItems": 1, "maxItems": MAX_OBJECTS}]}


_ERRORS = {
    400: "malformed JSON (where: body:LINE:COLUMN), or a request that is not valid HTTP/1.1",
    404: "unknown pack",
    408: "the request's headers or body did not arrive in time (the connection is then closed)",
    413: f"body over the size limit, more than {MAX_OBJECTS} objects, or more than {MAX_EVALUATIONS} objects × packs",
    414: "request line (method, path and query) over the size limit",
    415: "not application/json",
    422: "invalid object or parameter, date outside the holiday data, pack not in force, unknown interpretation",
    431: "request headers over the size limit",
}
# answered by the server before any operation runs (govrules.service.doors), so every operation may
DOOR_ERRORS = (400, 408, 414, 431)


def operation(summary: str, params: Sequence[Param], ok: dict[str, Any], errors: Sequence[int],
              body: dict[str, Any] | None = None, path_params: Sequence[dict[str, Any]] = (),
              not_applied: bool = False) -> dict[str, Any]:
    """The openapi_extra of one route: its parameters, body and responses."""
    json_error = {"application/json": {"schema": ref("Error")}}
    success: dict[str, Any] = {"description": "OK", "content": {"application/json": {"schema": ok}}}
    if not_applied:
        success["headers"] = {NOT_APPLIED: {
            "description": "without pack: PACK=LEFT_OUT/GIVEN for each pack not applied to objects outside its time in force",
            "schema": {"type": "string"}},
            UNANSWERED: {
                "description": "UNANSWERED/GIVEN: the answers with status unknown (a matter's own deadline needs a year "
                               "without holiday data); absent when there are none",
                "schema": {"type": "string"}}}
    out: dict[str, Any] = {
        "summary": summary,
        "parameters": [*path_params, *(p.openapi() for p in params)],
        "responses": {"200": success, **{str(code): {"description": _ERRORS[code], "content": json_error} for code in sorted({*errors, *DOOR_ERRORS})}},
    }
    if body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": _one_or_many(body)}}}
    return out
