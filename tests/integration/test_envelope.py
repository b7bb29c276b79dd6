"""Every answer is an envelope and carries a request id (spec §0, API conventions).

Framework-made errors (404, 405, validation, malformed JSON, unhandled exceptions) are wrapped
like domain errors; validation is 400 with the failing fields, never FastAPI's 422. The
X-Request-ID a client sends is echoed when well-formed and is the correlation id of the events
its write records. The interactive docs work offline.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from infra.eventstore.audit import history
from ops.app import create_app
from ops.bootstrap import bootstrap
from tests.api import PASSWORD, data, error, register, unique_email
from tests.client import Client
from tests.conftest import embedded_settings

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_an_unknown_path_is_404_in_the_envelope(embedded):
    error(embedded.client.get("/api/no/such/thing"), 404)


def test_a_wrong_method_is_405_in_the_envelope_with_the_allowed_ones(embedded):
    wrong = embedded.client.delete("/api/auth/user/register")
    error(wrong, 405)
    assert wrong.headers["Allow"] == "POST"


def test_invalid_input_is_400_naming_the_field_never_422(embedded):
    invalid = register(embedded.client, email="not-an-email")
    failed = error(invalid, 400)
    assert failed["message"] == "Invalid input data"
    assert [d["field"] for d in failed["details"]] == ["email"]


def test_a_malformed_json_body_is_400(embedded):
    malformed = embedded.client.post(
        "/api/auth/user/register",
        content=b'{"email": "a@example.com", ',
        headers={"Content-Type": "application/json"},
    )
    assert error(malformed, 400)["details"]


def test_an_unhandled_exception_is_a_500_that_reveals_nothing(exploding):
    crashed = exploding.get("/boom")
    assert error(crashed, 500)["message"] == "Server error occurred"
    assert "Traceback" not in crashed.text and "hidden detail" not in crashed.text


def test_a_500_still_carries_the_request_id(exploding):
    crashed = exploding.get("/boom", headers={"X-Request-ID": "trace-500"})
    assert crashed.headers.get("X-Request-ID") == "trace-500"


def test_a_well_formed_request_id_is_echoed(embedded):
    answered = embedded.client.get("/health", headers={"X-Request-ID": "client-42.retry:1"})
    assert answered.headers["X-Request-ID"] == "client-42.retry:1"


def test_a_request_without_an_id_is_given_a_uuid(embedded):
    answered = embedded.client.get("/health")
    assert UUID(answered.headers["X-Request-ID"])


@pytest.mark.parametrize("malformed", ["x" * 300, "has spaces in it", 'quote"d', ""])
def test_a_malformed_request_id_is_replaced_with_a_uuid(embedded, malformed):
    # The id lands in logs and event metadata: it must not carry a log-injection payload.
    answered = embedded.client.get("/health", headers={"X-Request-ID": malformed})
    assert UUID(answered.headers["X-Request-ID"])


def test_a_writes_request_id_is_the_correlation_id_of_its_events(backend):
    body = {"email": unique_email(), "password": PASSWORD, "name": "Ada Lovelace"}
    registered = backend.client.post(
        "/api/auth/user/register", json=body, headers={"X-Request-ID": "trace-abc"}
    )
    user_id = UUID(data(registered)["userId"])
    assert history(backend.campus.identity, user_id)[0].correlation_id == "trace-abc"


def test_the_docs_load_their_assets_from_this_server(embedded):
    docs = embedded.client.get("/docs")
    assert docs.status_code == 200 and "text/html" in docs.headers["Content-Type"]
    assets = ASSET.findall(docs.text)
    assert assets, "the docs page names no scripts or stylesheets"
    # Relative to this server: the docs must work where no CDN can be reached.
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert "cdn" not in docs.text.lower()
    for asset in assets:
        assert embedded.client.get(asset).status_code == 200, asset


@pytest.fixture
def exploding(tmp_path: Path) -> Iterator[TestClient]:
    """Campus with one extra route that fails the way a bug would."""
    app = create_app(bootstrap(embedded_settings(tmp_path)))
    app.add_api_route("/boom", explode)
    with Client(app, raise_server_exceptions=False) as client:
        yield client


def explode() -> None:
    raise RuntimeError(f"hidden detail {uuid.uuid4()}")


def test_a_405_allows_every_method_of_the_path_read_and_write_side_alike(embedded):
    wrong = embedded.client.delete("/api/admin/coupons")
    error(wrong, 405)
    assert {"GET", "POST"} <= set(wrong.headers["Allow"].split(", "))
