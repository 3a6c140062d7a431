"""Schemathesis against the live server's /openapi.json: generated valid and invalid requests for
every operation never get a 5xx, and every answer conforms to the status codes, media types and
schemas the document declares (and invalid data is rejected with a documented 4xx).

Schemathesis' lazy pytest loader (``schemathesis.pytest.from_fixture``) sets ``Node._nodeid``,
which pytest 9 no longer has, so each operation runs as a plain Hypothesis test over the
operation's strategy (schemathesis' documented way to use it with ``@given``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance,
)

DOCUMENTED = {400, 404, 405, 408, 413, 414, 415, 422, 431}  # docs/service.md's table of errors


def ok_or_documented_error(ctx: object, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """200, or one of the documented statuses with exactly the error body; never a 5xx."""
    if response.status_code == 200:
        return
    assert response.status_code in DOCUMENTED, (response.status_code, response.content[:300])
    body = json.loads(response.content)
    assert isinstance(body, dict) and set(body) == {"error", "message", "where"}, body
    assert all(isinstance(v, str) and v for v in body.values()), body
    assert len(response.content) < 4096, "an error quotes the request without bound"


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, ok_or_documented_error]
OPERATIONS = [("GET", "/packs"), ("GET", "/packs/{pack_id}"), ("POST", "/evaluate"), ("POST", "/accountability"),
              ("GET", "/deadline")]
# GET /packs takes nothing, so there is nothing to make invalid
CASES = [(m, p, mode) for m, p in OPERATIONS for mode in GenerationMode if (p, mode) != ("/packs", GenerationMode.NEGATIVE)]


@pytest.fixture(scope="session")
def api_schema(client: httpx.Client) -> schemathesis.BaseSchema:
    """The document as the live server serves it."""
    return schemathesis.openapi.from_dict(client.get("/openapi.json").json())


@pytest.fixture(scope="session")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        s.trust_env = False  # loopback only, whatever proxy the environment names
        yield s


def test_every_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {mode.value}" for m, p, mode in CASES])
def test_operation_conforms_to_the_document(api_schema: schemathesis.BaseSchema, base_url: str, session: requests.Session,
                                            method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)

    run()


# query strings a caller might send by hand: declared names, near-misses and junk, each any number
# of times, with values valid for some parameter or none
NAMES = st.sampled_from(["pack", "as_of", "interpretation", "warning_days", "provisional", "allow_not_in_force",
                         "source", "assigned", "urgency", "complex", "explicit_deadline", "Pack", "as-of", "", "x"])
VALUES = st.one_of(st.sampled_from(["jinan-2016-30", "shaoxing-2008-185", "2026-05-11", "2026-02-30", "true", "3",
                                    "immediate=same-day", "immediate=next-working-day", "市领导批示", "紧急", ""]),
                   st.text(max_size=40))
QUERY = st.lists(st.tuples(NAMES, VALUES), max_size=12)
MATTER = {"type": "matter", "id": "M1", "source": "市领导批示", "assigned_on": "2026-04-30", "lead_unit": "市交通局"}


@pytest.mark.parametrize(("method", "path"), [("POST", "/evaluate"), ("POST", "/accountability"), ("GET", "/deadline")])
def test_hand_made_query_strings(base_url: str, session: requests.Session, method: str, path: str) -> None:
    """Repeated, unknown and malformed parameters get 200 or a documented error, never a 5xx."""

    @given(pairs=QUERY)
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(pairs: list[tuple[str, str]]) -> None:
        query = "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)
        body = [MATTER] if path == "/evaluate" else []
        r = session.request(method, f"{base_url}{path}?{query}", json=body if method == "POST" else None, timeout=30)
        ok_or_documented_error(None, schemathesis.Response.from_any(r), None)  # type: ignore[arg-type]
        names = [k for k, _ in pairs]
        once = {"as_of", "warning_days", "provisional", "allow_not_in_force", "source", "assigned", "urgency",
                "complex", "explicit_deadline"}
        if r.status_code == 200:
            assert not any(names.count(n) > 1 for n in once), query

    run()
