"""docs/api-spec.yaml is the OpenAPI document of the running code, never a stale copy."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ops.openapi import render

SPEC = Path(__file__).parent.parent / "docs" / "api-spec.yaml"


@cache
def committed() -> dict[str, Any]:
    """The committed document, parsed once (the tests below only read it)."""
    return yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_the_committed_api_spec_matches_the_application():
    assert SPEC.read_text() == render(), "docs/api-spec.yaml is stale: run `campus openapi`"


def test_the_api_spec_lists_the_spec_endpoints_with_their_methods():
    paths = committed()["paths"]
    assert {"post"} <= set(paths["/api/auth/user/register"])
    assert {"get", "put"} <= set(paths["/api/auth/user/profile"])
    assert {"get"} <= set(paths["/api/admin/users"])
    assert {"put"} <= set(paths["/api/admin/users/{user_id}/role"])


def test_no_operation_documents_the_framework_422_campus_never_answers():
    document = committed()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "422" not in operation["responses"], (method, path)
            assert "400" in operation["responses"], (method, path)


def test_the_public_catalog_takes_a_token_but_needs_none():
    operation = committed()["paths"]["/api/courses/catalog/list"]["get"]
    assert {} in operation["security"] and {"HTTPBearer": []} in operation["security"]


def test_every_error_an_operation_documents_comes_with_an_example_envelope():
    document = committed()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    example = response["content"]["application/json"]["example"]
                    assert example["error"]["errorCode"] == int(status), (method, path, status)
                    assert example["status"] == "error" and example["data"] is None
