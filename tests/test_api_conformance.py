"""Every operation answers only what docs/api-spec.yaml says it answers: a documented status,
the documented content type, a body matching the documented schema, and never a 500.

Schemathesis generates requests from the document, sent by an admin, a student and an
anonymous caller, to Campus on the embedded backend. The suite sends one valid request per
operation; ``ops/conformance.sh`` sends ``CAMPUS_CONFORMANCE_EXAMPLES`` valid and as many invalid
ones per operation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ops.app import create_app
from ops.bootstrap import bootstrap
from tests.api import admin_token, token_for
from tests.client import Client
from tests.conftest import Running, embedded_settings

# schemathesis is imported by this module's one test, not at collection: every test process
# collects this module, and importing schemathesis cost each of them a quarter of a second.
if TYPE_CHECKING:
    import schemathesis
    from schemathesis import APIOperation

EXAMPLES = int(os.environ.get("CAMPUS_CONFORMANCE_EXAMPLES", "0"))
MODES = ("positive", "negative") if EXAMPLES else ("positive",)

# A run sends far more requests than a person would, and checks what a read answers, not how
# fresh it is: the limiter lets every request through, and a read waits little for its writes.
UNHURRIED = {"rate_limit_per_minute": 10**6, "consistency_wait_seconds": 0.1}


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[schemathesis.BaseSchema, dict]]:
    """The API document loaded from a running Campus, and a bearer header per kind of caller."""
    import schemathesis
    from schemathesis.python.asgi import shutdown_lifespans

    # Imported here, before any request: the embedded analytics store (chDB, and through it
    # pyarrow and numpy) is otherwise first imported by a follower thread while hypothesis, in
    # this thread, looks numpy up half-initialized.
    import infra.analytics.chdb_store  # noqa: F401

    app = create_app(bootstrap(embedded_settings(tmp_path_factory.mktemp("api"), **UNHURRIED)))
    running = Running(app.state.campus, Client(app), "embedded")
    callers = {
        "admin": bearer(admin_token(running)),
        "student": bearer(token_for(running, "student")),
        "anonymous": {},
    }
    yield schemathesis.openapi.from_asgi("/openapi.json", app), callers
    shutdown_lifespans()  # schemathesis started the app's lifespan: this closes the Campus


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def mismatches(operation: APIOperation, mode: str, callers: dict) -> list[str]:
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup

    found: list[str] = []
    checks = conformance_checks()

    @given(
        case=operation.as_strategy(GenerationMode(mode)), caller=st.sampled_from(sorted(callers))
    )
    @settings(
        max_examples=EXAMPLES or 1,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: schemathesis.Case, caller: str) -> None:
        headers = callers[caller]
        try:
            case.validate_response(case.call(headers=headers), checks=checks, headers=headers)
        except FailureGroup as failures:
            found.append(f"{operation.label} ({mode}, {caller}): {failures.message}")

    send()
    return found


def conformance_checks() -> list:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def test_every_operation_answers_as_the_api_document_says(served) -> None:
    schema, callers = served
    found = [
        mismatch
        for operation in (result.ok() for result in schema.get_all_operations())
        for mode in MODES
        for mismatch in mismatches(operation, mode, callers)
    ]
    assert not found, f"{len(found)} answers differ from docs/api-spec.yaml:\n" + "\n".join(found)
