"""Production mode: what a deployment that takes real money must have configured.

In development every missing piece has a stand-in that keeps Campus working with nothing set up:
sandbox payments that approve test cards, outbox folders that count e-mail and pushes as sent,
SQLite and in-process services, a generated signing key. In production each stand-in would be a
silent lie (courses given away, mail reaching no one), so Campus refuses to start while any is
left, and names them all at once so an operator fixes the configuration in one pass.
"""

from __future__ import annotations

from pathlib import Path

from infra.payments.paystack import longest_refund_wait
from infra.settings import Settings

DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"
# A learner may take a while on Paystack's page (a bank's OTP, a transfer); an hour is ample.
SHORTEST_CHECKOUT_SECONDS = 3600.0
NO_MAIL_SERVER = (
    "CAMPUS_SMTP_HOST is not set: e-mail would be written to an outbox folder and count as "
    "sent while reaching no one"
)
NO_PUSH_PROJECT = (
    "CAMPUS_FCM_PROJECT_ID is not set: pushes would be written to an outbox folder and count "
    "as sent while reaching no one"
)


class ProductionConfigurationError(Exception):
    """Production mode with a stand-in or a missing setting; ``problems`` names every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"Campus refuses to start in production mode (CAMPUS_MODE):\n{listed}")


def problems(settings: Settings) -> list[str]:
    """Everything that keeps ``settings`` from running in production; empty when ready."""
    return [message for wrong, message in checks(settings) if wrong]


def refuse_unless_ready(settings: Settings) -> None:
    """Raise ``ProductionConfigurationError`` in production mode when anything is missing."""
    if settings.mode == "production" and (found := problems(settings)):
        raise ProductionConfigurationError(found)


def refuse_in_production(settings: Settings, problem: str) -> None:
    """For an adapter about to fall back to its development stand-in."""
    if settings.mode == "production":
        raise ProductionConfigurationError([problem])


def checks(settings: Settings) -> list[tuple[bool, str]]:
    return payments(settings) + notifications(settings) + secrets(settings) + services(settings)


def payments(settings: Settings) -> list[tuple[bool, str]]:
    return [
        (
            settings.card_gateway == "sandbox",
            "CAMPUS_CARD_GATEWAY is the sandbox: it approves test cards and charges no one",
        ),
        (
            not settings.paystack_base_url,
            "CAMPUS_PAYSTACK_BASE_URL is not set: checkouts would go to the built-in Paystack "
            "sandbox, where a learner pays without paying",
        ),
        (
            not settings.paystack_secret_key,
            "CAMPUS_PAYSTACK_SECRET_KEY is not set: Paystack's API needs it, and it is also the "
            "webhook secret (Paystack signs webhooks with it), so no webhook could be verified",
        ),
        (
            not settings.card_details_key,
            "CAMPUS_CARD_DETAILS_KEY is not set: stored card details need a fixed encryption key",
        ),
        (
            settings.refund_settle_after_seconds <= longest_refund_wait(settings),
            f"CAMPUS_REFUND_SETTLE_AFTER_SECONDS ({settings.refund_settle_after_seconds:g} s) is "
            f"not above the longest a refund request waits on the gateway "
            f"({longest_refund_wait(settings):g} s, from CAMPUS_GATEWAY_TIMEOUT_SECONDS and "
            "CAMPUS_GATEWAY_RETRIES): the reconciler could withdraw a refund the gateway then "
            "pays, and the payment could be refunded twice",
        ),
        (
            settings.checkout_expires_after_seconds < SHORTEST_CHECKOUT_SECONDS,
            f"CAMPUS_CHECKOUT_EXPIRES_AFTER_SECONDS ({settings.checkout_expires_after_seconds:g} "
            f"s) is under {SHORTEST_CHECKOUT_SECONDS:g} s: checkouts would be given up while "
            "learners are still paying on Paystack's page, and the coupon uses they held given "
            "to others, so a limited coupon could be redeemed past its limit",
        ),
    ]


def notifications(settings: Settings) -> list[tuple[bool, str]]:
    credentials = settings.fcm_credentials_file
    # An empty variable reads as Path("."): not set either.
    unset = credentials is None or str(credentials) in ("", ".")
    return [
        (not settings.smtp_host, NO_MAIL_SERVER),
        (not settings.fcm_project_id, NO_PUSH_PROJECT),
        (
            unset,
            "CAMPUS_FCM_CREDENTIALS_FILE is not set: pushes need a Firebase service account's "
            "JSON key",
        ),
        (
            not unset and not Path(str(credentials)).is_file(),
            f"CAMPUS_FCM_CREDENTIALS_FILE names no file: {credentials}",
        ),
    ]


def secrets(settings: Settings) -> list[tuple[bool, str]]:
    base_url = settings.public_base_url.rstrip("/")
    return [
        (
            not settings.jwt_secret,
            "CAMPUS_JWT_SECRET is not set: tokens need a fixed signing key",
        ),
        (
            not base_url or base_url == DEVELOPMENT_BASE_URL,
            f"CAMPUS_PUBLIC_BASE_URL is not set (or left at {DEVELOPMENT_BASE_URL}): links "
            "must reach Campus as learners' browsers see it",
        ),
    ]


def services(settings: Settings) -> list[tuple[bool, str]]:
    read_models = settings.read_models_url
    return [
        (
            not settings.uses_postgres,
            "CAMPUS_DATABASE_URL is not PostgreSQL: the event store would be SQLite or memory",
        ),
        (
            settings.uses_postgres and not read_models.startswith("postgres"),
            "CAMPUS_READ_DATABASE_URL is not PostgreSQL",
        ),
        (
            not settings.uses_kafka,
            "CAMPUS_KAFKA_BOOTSTRAP_SERVERS is not set: the pipeline would run in-process",
        ),
        (
            not settings.uses_redis,
            "CAMPUS_REDIS_URL is not set: rate limits, revocations and caches would be per process",
        ),
    ]
