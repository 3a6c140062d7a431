"""Schemathesis against the live server's /openapi.json: generated valid and invalid requests for
every operation never get a 5xx, and every answer conforms to the status codes, media types and
schemas the document declares (and invalid data is rejected with a documented 4xx).

Schemathesis' lazy pytest loader (``schemathesis.pytest.from_fixture``) sets ``Node._nodeid``,
which pytest 9 no longer has, so each operation runs as a plain Hypothesis test over the
operation's strategy (schemathesis' documented way to use it with ``@given``).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
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
