"""What the platform tells its users, and when: each fact that deserves a notice reaches the
user's inbox (in-app; e-mail goes to the embedded outbox here), once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commands.payments.expire_checkouts import ExpireCheckouts, expire_checkouts
from projections.queries.open_checkouts import OpenCheckoutsQuery
from tests.api import admin_token, bearer, data
from tests.commerce import DECLINED, card, pay
from tests.conftest import Running
from tests.learning import graduate, learner, published_course
from tests.notifications import kinds, notices, settled, wait_for_log
from tests.peer_reviews import cohort, sweep_lapsed_leases
from tests.sweeps import found, swept_tomorrow


def test_a_declined_card_tells_the_learner_their_payment_failed(embedded: Running):
    client = embedded.client
    course = published_course(client, admin_token(embedded), title="Rust for Rustaceans")
    student = learner(client)
    declined = pay(client, student.token, course.id, cardDetails=card(DECLINED))
    assert declined.status_code == 402, declined.text

    [failed] = notices(client, student.token, kinds("payment_failed"))
    assert failed["subject"] == "Payment failed"
    assert "Rust for Rustaceans" in failed["message"]
    assert "not been charged" in failed["message"]


def test_a_learner_who_paid_twice_is_told_the_second_payment_is_refunded(embedded: Running):
    client, campus = embedded.client, embedded.campus
    course = published_course(client, admin_token(embedded))
    student = learner(client)
    given_up = data(pay(client, student.token, course.id, method="paystack", cardDetails=None))
    assert found(OpenCheckoutsQuery(campus.read_engine))
    swept_tomorrow(campus, ExpireCheckouts(), expire_checkouts)
    replacement = data(pay(client, student.token, course.id, method="paystack", cardDetails=None))
    for paid in (replacement, given_up):  # Paystack's page of the first was still open
        body, signature = campus.paystack.complete(paid["accessCode"])
        headers = {"x-paystack-signature": signature}
        client.post("/api/payments/webhooks/paystack", content=body, headers=headers)

    told = notices(client, student.token, kinds("second_payment_refunded", "refund_processed"))
    assert sorted(n["kind"] for n in told) == [
        "payment_failed",  # the checkout given up
        "payment_succeeded",  # the one that replaced it: the second tells nothing else
        "refund_processed",  # the sandbox pays refunds back at once
        "second_payment_refunded",
    ]
    refunding = next(n for n in told if n["kind"] == "second_payment_refunded")
    assert refunding["subject"] == "Your second payment is being refunded"
    assert given_up["transactionId"] in refunding["message"]


def test_a_refund_paid_back_is_announced_to_the_payer(embedded: Running):
    client, admin = embedded.client, admin_token(embedded)
    course = published_course(client, admin, price="100.00", title="Kitchen Chemistry")
    student = learner(client)
    paid = data(pay(client, student.token, course.id))
    url = f"/api/admin/payments/{paid['paymentId']}/refund"
    assert client.post(url, json={"amount": "40"}, headers=bearer(admin)).status_code == 200

    found = notices(client, student.token, kinds("refund_processed"))
    [refund] = [n for n in found if n["kind"] == "refund_processed"]
    assert refund["subject"] == "Your refund was paid"
    assert "NGN40.00" in refund["message"] and "Kitchen Chemistry" in refund["message"]


def test_a_promo_code_applied_at_checkout_is_announced(embedded: Running, tmp_path: Path):
    promo = {"code": "SPRING", "discountPercentage": 20}
    (tmp_path / "promo-codes.json").write_text(json.dumps({"promoCodes": [promo]}))
    client = embedded.client
    course = published_course(client, admin_token(embedded), price="100.00")
    student = learner(client)
    assert pay(client, student.token, course.id, promoCode="SPRING").status_code == 201

    found = notices(client, student.token, kinds("payment_succeeded", "promo_applied"))
    promo_notice = next(n for n in found if n["kind"] == "promo_applied")
    assert "SPRING took NGN20.00 off" in promo_notice["message"]
    paid = next(n for n in found if n["kind"] == "payment_succeeded")
    assert "NGN80.00" in paid["message"]


def test_a_certificate_issued_comes_with_its_verification_link(embedded: Running):
    client = embedded.client
    admin = admin_token(embedded)
    course = published_course(client, admin)
    student = graduate(client, admin, course)
    generated = client.post(
        "/api/certificates/generate",
        json={"courseId": course.id},
        headers=student.headers(),
    )
    assert generated.status_code == 201, generated.text

    found = notices(client, student.token, kinds("certificate_issued"))
    issued = next(n for n in found if n["kind"] == "certificate_issued")
    unique_id = issued["data"]["uniqueId"]
    assert issued["data"]["url"].endswith(f"/api/certificates/verify/{unique_id}")
    assert client.get(f"/api/certificates/verify/{unique_id}").status_code == 200


def test_a_certificate_notice_names_the_learner_in_plain_words(embedded: Running):
    client = embedded.client
    admin = admin_token(embedded)
    course = published_course(client, admin)
    student = graduate(client, admin, course)
    generated = client.post(
        "/api/certificates/generate", json={"courseId": course.id}, headers=student.headers()
    )
    assert generated.status_code == 201, generated.text

    found = notices(client, student.token, kinds("certificate_issued"))
    issued = next(n for n in found if n["kind"] == "certificate_issued")
    assert "Congratulations, Ada Lovelace!" in issued["message"]


def test_reviewers_hear_of_their_assignment_and_submitters_of_their_review(embedded: Running):
    group = cohort(embedded)
    author, reviewer = group.learner(), group.learner()
    assert group.submit_work(author).status_code == 201
    assignment = data(group.pull(reviewer))["assignmentId"]

    [assigned] = [
        n
        for n in notices(group.client, reviewer.token, kinds("review_assigned"))
        if n["kind"] == "review_assigned"
    ]
    assert assigned["data"]["assignmentId"] == assignment
    assert group.review(reviewer, assignment, rating=4.5).status_code == 200
    received = next(
        n
        for n in notices(group.client, author.token, kinds("review_received"))
        if n["kind"] == "review_received"
    )
    assert "rated it 4.5" in received["message"]


def test_a_reviewer_whose_lease_lapsed_hears_the_work_went_back(embedded: Running):
    group = cohort(embedded)
    author, reviewer = group.learner(), group.learner()
    assert group.submit_work(author).status_code == 201
    start = datetime.now(UTC)
    group.at(start)
    assignment = data(group.pull(reviewer))["assignmentId"]

    sweep_lapsed_leases(embedded, reviewer, start + timedelta(hours=9))

    lapsed = next(
        n
        for n in notices(group.client, reviewer.token, kinds("review_expired"))
        if n["kind"] == "review_expired"
    )
    assert lapsed["data"]["assignmentId"] == assignment
    assert "went back to the queue" in lapsed["message"]


def test_replaying_the_event_stream_notifies_nobody_twice(embedded: Running):
    client = embedded.client
    course = published_course(client, admin_token(embedded))
    student = learner(client)
    assert pay(client, student.token, course.id).status_code == 201
    wait_for_log(client, student.token, settled(kinds=1))
    notifications = embedded.campus.apps["notifications"].recorder
    recorded = notifications.max_notification_id()
    outbox = sorted((embedded.campus.settings.data_dir / "outbox" / "email").iterdir())

    replay = embedded.campus.notifier()
    replay.runner.reset()  # forget how far the sender got: every event comes again
    assert replay.catch_up() > 0

    assert notifications.max_notification_id() == recorded  # nothing requested or attempted
    assert sorted((embedded.campus.settings.data_dir / "outbox" / "email").iterdir()) == outbox
