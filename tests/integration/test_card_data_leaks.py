"""No card number, CVV, PIN or OTP anywhere after card payments in production shape: not in
the event store, the read models, the relay's tables, the Kafka topic, the log or the data
dir (with the sandbox gateway, and with Paystack's Charge API asking for a PIN and an OTP)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import psycopg

from infra.logging import JsonFormatter
from tests.api import admin_token, bearer, signed_up
from tests.commerce import APPROVED, DECLINED, card, course_for_sale, pay
from tests.conftest import services_campus
from tests.paystack import serving_paystack
from tests.paystack_charge import OTP, PIN
from tests.pipeline import settled
from tests.services import KAFKA_SERVERS

CVV = "731"
INVALID = "4242424242424241"  # fails Luhn: refused before any gateway
NUMBERS = (DECLINED, INVALID, APPROVED)
PIN_AND_OTP_CARD = "507850785078507812"
SECRET_NUMBERS = (*NUMBERS, PIN_AND_OTP_CARD)


def secrets_in(text: str) -> list[str]:
    """Card numbers (with or without spaces), and the CVV, PIN and OTP as stored values."""
    found = [n for n in SECRET_NUMBERS if n in text or " ".join([n[:4], n[4:8]]) in text]
    found += [f'"{CVV}"'] if f'"{CVV}"' in text or f"'{CVV}'" in text else []
    # As a word: sealed values, keys and signatures are random letters that may spell it.
    found += ["cvv"] if re.search(r"(?<![a-z0-9])cvv(?![a-z0-9])", text, re.IGNORECASE) else []
    found += [s for s in (PIN, OTP) if f'"{s}"' in text or f"'{s}'" in text]
    found += [key for key in ('"pin"', '"otp"', "'pin'", "'otp'") if key in text.lower()]
    return found


def database_text(url: str) -> str:
    """Every row of every table, events' bytes decoded, as one text."""
    chunks = []
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        for schema, table in tables:
            for row in connection.execute(f'SELECT * FROM "{schema}"."{table}"'):
                chunks += [v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in row]
    assert len(tables) > 5, tables
    return "\n".join(chunks)


def topic_text(topic: str) -> str:
    from kafka import KafkaConsumer  # imported by the tests that read Kafka, not at collection

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=KAFKA_SERVERS,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
        enable_auto_commit=False,
    )
    try:
        return "\n".join(m.value.decode() + str(m.headers) for m in consumer)
    finally:
        consumer.close()


def files_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("latin-1") for p in folder.rglob("*") if p.is_file())


def test_card_payments_leave_no_card_number_or_cvv_behind(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with services_campus(tmp_path) as running:
        admin = admin_token(running)
        learner = signed_up(running.client)[0]["token"]
        course_id = course_for_sale(running.client, admin)
        statuses = [
            pay(
                running.client,
                learner,
                course_id,
                key=f"try-{n}",
                cardDetails=card(number, cvv=CVV),
            )
            for n, number in enumerate(NUMBERS)
        ]
        assert [s.status_code for s in statuses] == [402, 400, 201]
        refunded = running.client.post(
            "/api/payments/initiate",
            json={
                "courseId": course_id,
                "method": "card",
                "cardDetails": card("4242 4242 4242 4242", cvv="7311"),
            },
            headers=bearer(learner),
        )
        assert refunded.status_code == 400  # a four-digit CVV on a Visa card
        settled(running.campus, ("read-models", "analytics"))  # the rows to scan are there
        settings = running.campus.settings
        stored = database_text(settings.database_url)
        published = topic_text(settings.kafka_topic)

    assert "Payment.Succeeded" in stored and "Payment.Failed" in stored  # the runs happened
    assert "Payment.Succeeded" in published
    assert secrets_in(stored) == []
    assert secrets_in(published) == []
    assert secrets_in("\n".join(JsonFormatter().format(r) for r in caplog.records)) == []
    assert secrets_in(files_text(tmp_path)) == []


def test_a_pin_and_an_otp_sent_to_paystack_leave_nothing_behind(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with (
        serving_paystack() as paystack,
        services_campus(tmp_path, **paystack.settings(card_gateway="paystack")) as running,
    ):
        admin = admin_token(running)
        learner = signed_up(running.client)[0]["token"]
        course_id = course_for_sale(running.client, admin)
        started = pay(running.client, learner, course_id, cardDetails=card(PIN_AND_OTP_CARD, CVV))
        url = f"/api/payments/{started.json()['data']['transactionId']}/authorize"
        running.client.post(url, json={"pin": PIN}, headers=bearer(learner))
        paid = running.client.post(url, json={"otp": OTP}, headers=bearer(learner))
        assert paid.json()["data"]["status"] == "success", paid.text
        # Reading our own writes waits until the projector, hence the topic, has them.
        assert running.client.get("/api/payments", headers=bearer(learner)).status_code == 200
        settings = running.campus.settings
        stored = database_text(settings.database_url)
        published = topic_text(settings.kafka_topic)

    assert "Payment.AuthorizationRequested" in stored and "Payment.Succeeded" in published
    assert secrets_in(stored) == []
    assert secrets_in(published) == []
    assert secrets_in("\n".join(JsonFormatter().format(r) for r in caplog.records)) == []
    assert secrets_in(files_text(tmp_path)) == []
