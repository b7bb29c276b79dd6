"""Production mode refuses to start with any stand-in left, naming every one at once; the sandbox
checkout and the demo data do not exist there; development (the default) changes nothing.

No service is needed: every refusal comes before anything connects.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.faults import is_transient
from infra.notifications.email import open_mailer
from infra.notifications.push import open_push_sender
from infra.production import ProductionConfigurationError, problems, refuse_unless_ready
from infra.settings import Settings
from ops.app import create_app
from ops.bootstrap import bootstrap, bootstrap_when_ready
from ops.cli import cli
from tests.client import Client
from tests.conftest import TEST_CARD_KEY, embedded_settings

EVERY_SETTING_PRODUCTION_NEEDS = [
    "CAMPUS_CARD_GATEWAY",
    "CAMPUS_PAYSTACK_BASE_URL",
    "CAMPUS_PAYSTACK_SECRET_KEY",
    "CAMPUS_CARD_DETAILS_KEY",
    "CAMPUS_SMTP_HOST",
    "CAMPUS_FCM_PROJECT_ID",
    "CAMPUS_FCM_CREDENTIALS_FILE",
    "CAMPUS_JWT_SECRET",
    "CAMPUS_PUBLIC_BASE_URL",
    "CAMPUS_DATABASE_URL",
    "CAMPUS_KAFKA_BOOTSTRAP_SERVERS",
    "CAMPUS_REDIS_URL",
]


def ready(tmp_path: Path, **overrides: object) -> Settings:
    """Production settings with nothing missing (no service is reached by checking them)."""
    key = tmp_path / "fcm-service-account.json"
    key.write_text("{}")
    values = {
        "mode": "production",
        "data_dir": tmp_path / "var",
        "database_url": "postgresql+psycopg://campus:campus@db.internal/campus",
        "kafka_bootstrap_servers": "kafka.internal:9092",
        "redis_url": "redis://redis.internal:6379/0",
        "card_gateway": "paystack",
        "paystack_base_url": "https://api.paystack.co",
        "paystack_secret_key": "sk_live_campus",
        "card_details_key": TEST_CARD_KEY,
        "smtp_host": "smtp.example.com",
        "fcm_project_id": "campus-production",
        "fcm_credentials_file": key,
        "jwt_secret": "a-long-random-production-secret",
        "public_base_url": "https://campus.example.com",
    }
    return Settings(_env_file=None, **(values | overrides))


def refusal(tmp_path: Path, **overrides: object) -> str:
    return "\n".join(problems(ready(tmp_path, **overrides)))


def production_env(tmp_path: Path) -> dict[str, str]:
    return {"CAMPUS_MODE": "production", "CAMPUS_DATA_DIR": str(tmp_path / "var")}


def test_a_fully_configured_production_passes(tmp_path):
    assert problems(ready(tmp_path)) == []
    refuse_unless_ready(ready(tmp_path))


def test_production_refuses_the_sandbox_card_gateway(tmp_path):
    assert "CAMPUS_CARD_GATEWAY" in refusal(tmp_path, card_gateway="sandbox")


def test_production_refuses_the_built_in_paystack_sandbox(tmp_path):
    assert "CAMPUS_PAYSTACK_BASE_URL" in refusal(tmp_path, paystack_base_url="")


def test_production_refuses_a_missing_paystack_secret_key(tmp_path):
    assert "CAMPUS_PAYSTACK_SECRET_KEY" in refusal(tmp_path, paystack_secret_key="")


def test_the_missing_secret_key_is_named_as_the_webhook_secret_too(tmp_path):
    assert "webhook secret" in refusal(tmp_path, paystack_secret_key="")


def test_production_refuses_a_missing_card_details_key(tmp_path):
    assert "CAMPUS_CARD_DETAILS_KEY" in refusal(tmp_path, card_details_key="")


def test_production_refuses_a_reconciler_that_could_overtake_a_refund_still_waiting(tmp_path):
    # One refund call and three questions of ten seconds each, with backoff between: 44 s.
    slow_gateway = {"gateway_timeout_seconds": 10, "gateway_retries": 3}
    assert "CAMPUS_REFUND_SETTLE_AFTER_SECONDS" in refusal(
        tmp_path, refund_settle_after_seconds=44, **slow_gateway
    )
    assert problems(ready(tmp_path, refund_settle_after_seconds=45, **slow_gateway)) == []


def test_production_refuses_giving_up_checkouts_learners_may_still_be_paying(tmp_path):
    assert "CAMPUS_CHECKOUT_EXPIRES_AFTER_SECONDS" in refusal(
        tmp_path, checkout_expires_after_seconds=600
    )
    assert problems(ready(tmp_path, checkout_expires_after_seconds=3600)) == []


def test_production_refuses_e_mail_written_to_an_outbox(tmp_path):
    assert "CAMPUS_SMTP_HOST" in refusal(tmp_path, smtp_host="")


def test_production_refuses_pushes_written_to_an_outbox(tmp_path):
    assert "CAMPUS_FCM_PROJECT_ID" in refusal(tmp_path, fcm_project_id="")


def test_production_refuses_push_without_a_credentials_file(tmp_path):
    assert "CAMPUS_FCM_CREDENTIALS_FILE" in refusal(tmp_path, fcm_credentials_file=None)


def test_production_refuses_a_credentials_file_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere.json"
    assert "CAMPUS_FCM_CREDENTIALS_FILE" in refusal(tmp_path, fcm_credentials_file=missing)


def test_production_refuses_a_generated_jwt_secret(tmp_path):
    assert "CAMPUS_JWT_SECRET" in refusal(tmp_path, jwt_secret="")


def test_production_refuses_the_development_public_base_url(tmp_path):
    local = "http://127.0.0.1:8000/"
    assert "CAMPUS_PUBLIC_BASE_URL" in refusal(tmp_path, public_base_url=local)


def test_production_refuses_an_empty_public_base_url(tmp_path):
    assert "CAMPUS_PUBLIC_BASE_URL" in refusal(tmp_path, public_base_url="")


def test_production_refuses_the_embedded_event_store(tmp_path):
    assert "CAMPUS_DATABASE_URL" in refusal(tmp_path, database_url="")


def test_production_refuses_read_models_outside_postgresql(tmp_path):
    sqlite = f"sqlite:///{tmp_path}/read.sqlite"
    assert "CAMPUS_READ_DATABASE_URL" in refusal(tmp_path, read_database_url=sqlite)


def test_production_refuses_the_in_process_pipeline(tmp_path):
    assert "CAMPUS_KAFKA_BOOTSTRAP_SERVERS" in refusal(tmp_path, kafka_bootstrap_servers="")


def test_production_refuses_in_process_limits_and_caches(tmp_path):
    assert "CAMPUS_REDIS_URL" in refusal(tmp_path, redis_url="")


def test_every_problem_is_listed_at_once(tmp_path):
    nothing = Settings(_env_file=None, mode="production", data_dir=tmp_path)
    with pytest.raises(ProductionConfigurationError) as refused:
        refuse_unless_ready(nothing)
    assert [name for name in EVERY_SETTING_PRODUCTION_NEEDS if name not in str(refused.value)] == []


def test_development_is_the_default_mode_and_refuses_nothing(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert settings.mode == "development"
    refuse_unless_ready(settings)


def test_bootstrap_refuses_production_before_creating_anything(tmp_path):
    settings = Settings(_env_file=None, mode="production", data_dir=tmp_path / "var")
    with pytest.raises(ProductionConfigurationError):
        bootstrap(settings)
    assert not (tmp_path / "var").exists()


def test_a_refused_configuration_is_not_retried_as_a_service_outage(tmp_path):
    settings = Settings(_env_file=None, mode="production", data_dir=tmp_path)
    with pytest.raises(ProductionConfigurationError) as refused:
        bootstrap_when_ready(settings)
    assert not is_transient(refused.value)


def test_the_mailer_refuses_its_outbox_in_production_mode(tmp_path):
    with pytest.raises(ProductionConfigurationError, match="CAMPUS_SMTP_HOST"):
        open_mailer(ready(tmp_path, smtp_host=""))


def test_the_push_sender_refuses_its_outbox_in_production_mode(tmp_path):
    with pytest.raises(ProductionConfigurationError, match="CAMPUS_FCM_PROJECT_ID"):
        open_push_sender(ready(tmp_path, fcm_project_id=""))


def test_a_command_prints_every_problem_and_exits_non_zero(tmp_path):
    result = CliRunner().invoke(cli, ["projections", "status"], env=production_env(tmp_path))
    assert result.exit_code == 1
    assert [name for name in EVERY_SETTING_PRODUCTION_NEEDS if name not in result.stderr] == []


def test_serve_refuses_before_starting_the_server(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--port", "0"], env=production_env(tmp_path))
    assert result.exit_code == 1 and "CAMPUS_SMTP_HOST" in result.stderr


def test_seed_demo_refuses_in_production_mode(tmp_path):
    result = CliRunner().invoke(cli, ["seed-demo"], env=production_env(tmp_path))
    assert result.exit_code == 1 and "seed-demo refuses" in result.stderr
    assert not (tmp_path / "var").exists()


def sandbox_pay(campus_mode: str, tmp_path: Path):
    campus = bootstrap(embedded_settings(tmp_path))
    campus = replace(campus, settings=campus.settings.model_copy(update={"mode": campus_mode}))
    with Client(create_app(campus), raise_server_exceptions=False) as client:
        return client.post("/sandbox/paystack/checkout/ac_unknown/pay")


def test_production_has_no_sandbox_checkout(tmp_path):
    answer = sandbox_pay("production", tmp_path)
    assert answer.status_code == 404
    assert answer.json()["status"] == "error" and answer.json()["error"]["errorCode"] == 404


def test_development_keeps_the_sandbox_checkout(tmp_path):
    answer = sandbox_pay("development", tmp_path)
    assert answer.status_code == 404 and "Checkout not found" in answer.text
