"""Races across processes: two write APIs on one PostgreSQL, as a deployment scales them.

In one process, checkouts of one coupon take turns on a striped lock; across processes nothing
serializes them but the event store's optimistic concurrency, so this is where a lost race
must be retried and a limit must still hold. Clients go over HTTP to both APIs at once, and
cards go through Paystack's Charge API to one local Paystack that counts every call, so a
reference charged twice would show.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from threading import Barrier

import httpx

from commands.users.register_user import RegisterUser
from domain.users.roles import Role
from ops.bootstrap import Campus, bootstrap
from tests.commerce import APPROVED_VERVE, card
from tests.courses import course_body
from tests.e2e.processes import production
from tests.paystack import PaystackState, serving_paystack

CHECKOUTS = 1_000
USES = 10
CLIENTS = 48
APIS = 2


@contextmanager
def write_apis(tmp_path) -> Iterator[tuple[Campus, list[str], PaystackState]]:
    with serving_paystack() as paystack, production(tmp_path) as prod, ExitStack() as stack:
        prod.env |= {
            "CAMPUS_RATE_LIMIT_PER_MINUTE": "1000000",  # every client is on 127.0.0.1
            "CAMPUS_CARD_GATEWAY": "paystack",
            "CAMPUS_PAYSTACK_BASE_URL": paystack.base_url,
            "CAMPUS_PAYSTACK_SECRET_KEY": paystack.secret_key,
        }
        campus = bootstrap(prod.settings)
        stack.callback(campus.close)
        yield campus, [prod.serve("write") for _ in range(APIS)], paystack


def signed_in(campus: Campus, role: Role = Role.STUDENT) -> tuple[str, str]:
    """A user made on the write side, and an access token for them (signed as the APIs sign)."""
    email = f"{role.value}-{uuid.uuid4().hex[:10]}@example.com"
    user = campus.bus.handle(RegisterUser(email, None, "Racer", role=role))
    return str(user), campus.tokens.issue_access(user, role.value, uuid.uuid4())


def post(url: str, token: str, body: dict) -> httpx.Response:
    return httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def published_course(campus: Campus, api: str, price: str) -> str:
    _, admin = signed_in(campus, Role.ADMIN)
    created = post(f"{api}/api/admin/courses", admin, course_body(status="published", price=price))
    assert created.status_code == 201, created.text
    return created.json()["data"]["courseId"]


def test_a_thousand_checkouts_of_a_ten_use_coupon_across_processes_redeem_ten(tmp_path):
    with write_apis(tmp_path) as (campus, apis, paystack):
        course = published_course(campus, apis[0], "100.00")
        _, admin = signed_in(campus, Role.ADMIN)
        coupon = {"code": "RACE10", "discountPercentage": 10, "maxRedemptions": USES}
        coupon["validTo"] = "2099-01-01T00:00:00Z"
        assert post(f"{apis[0]}/api/admin/coupons", admin, coupon).status_code == 201
        buyers = [signed_in(campus)[1] for _ in range(CHECKOUTS)]
        start = Barrier(CLIENTS)

        def checkout(n: int) -> tuple[int, str]:
            if n < CLIENTS:
                start.wait()
            body = {"courseId": course, "method": "card", "cardDetails": card(APPROVED_VERVE)}
            body["couponCode"] = "RACE10"
            answer = post(f"{apis[n % APIS]}/api/payments/initiate", buyers[n], body)
            error = answer.json()["error"]
            return answer.status_code, error["message"] if error else "paid"

        with ThreadPoolExecutor(CLIENTS) as pool:
            outcomes = Counter(pool.map(checkout, range(CHECKOUTS)))

        assert outcomes[(201, "paid")] == USES, outcomes
        assert outcomes[(400, "This coupon has been fully redeemed")] == CHECKOUTS - USES, outcomes
        held = campus.apps["commerce"].get_coupon("RACE10")
        assert (held.redemptions, len(held.holds)) == (USES, 0)
        assert paystack.calls["POST /charge"] == USES  # only the winners reached the gateway
        assert paystack.double_charges() == []


def test_a_hundred_enrollments_of_one_learner_across_processes_enroll_once(tmp_path):
    with write_apis(tmp_path) as (campus, apis, _):
        course = published_course(campus, apis[0], "0")
        _, learner = signed_in(campus)
        start = Barrier(20)

        def enroll(n: int) -> int:
            if n < 20:
                start.wait()
            answer = post(f"{apis[n % APIS]}/api/enrollments/enroll", learner, {"courseId": course})
            return answer.status_code

        with ThreadPoolExecutor(20) as pool:
            outcomes = Counter(pool.map(enroll, range(100)))

        assert outcomes == {201: 1, 409: 99}


def test_retries_of_one_checkout_across_processes_charge_the_card_once(tmp_path):
    with write_apis(tmp_path) as (campus, apis, paystack):
        course = published_course(campus, apis[0], "100.00")
        _, buyer = signed_in(campus)
        body = {"courseId": course, "method": "card", "cardDetails": card(APPROVED_VERVE)}
        start = Barrier(20)

        def retry(n: int) -> tuple[int, str | None]:
            start.wait()
            answer = httpx.post(
                f"{apis[n % APIS]}/api/payments/initiate",
                json=body,
                headers={"Authorization": f"Bearer {buyer}", "Idempotency-Key": "one-click"},
                timeout=60,
            )
            paid = answer.json()["data"]
            return answer.status_code, paid["transactionId"] if paid else None

        with ThreadPoolExecutor(20) as pool:
            outcomes = list(pool.map(retry, range(20)))

        assert {status for status, _ in outcomes} <= {201, 409}  # 409: "still processing"
        assert len({tx for _, tx in outcomes if tx}) == 1
        assert paystack.calls["POST /charge"] == 1
        assert paystack.double_charges() == []
