"""Helpers for payment tests: a course for sale, coupons, and checkouts over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.api import bearer, data
from tests.courses import create_course

APPROVED = "4242424242424242"
APPROVED_VERVE = "4084084084084081"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4084080000005408"
CVV = "408"


def course_for_sale(client: TestClient, admin: str, price: str = "5000.00") -> str:
    """A published course at ``price`` naira."""
    course_id, _ = create_course(client, admin, price=price, status="published")
    return course_id


def card(number: str = APPROVED, cvv: str = CVV, month: str = "12", year: str = "2099") -> dict:
    return {"number": number, "expiryMonth": month, "expiryYear": year, "cvv": cvv}


def pay(
    client: TestClient, token: str, course_id: str, key: str | None = None, **fields: Any
) -> Response:
    body = {"courseId": course_id, "method": "card", "cardDetails": card()} | fields
    headers = bearer(token) | ({"Idempotency-Key": key} if key else {})
    return client.post("/api/payments/initiate", json=body, headers=headers)


def create_coupon(client: TestClient, admin: str, code: str, **fields: Any) -> dict[str, Any]:
    body = {"code": code, "discountPercentage": 10, "validTo": "2099-01-01T00:00:00Z"} | fields
    created = client.post("/api/admin/coupons", json=body, headers=bearer(admin))
    assert created.status_code == 201, created.text
    return data(created)


def status(client: TestClient, token: str, transaction_id: str) -> Response:
    return client.get(f"/api/payments/status/{transaction_id}", headers=bearer(token))
