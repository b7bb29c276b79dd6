"""Settings: one object, read from CAMPUS_* environment variables (and a .env file).

Nothing configured means the embedded default: SQLite under ``data_dir``, in-process
pipeline, limiter and revocations. A PostgreSQL URL, Kafka servers or a Redis URL switch the
matching part to its production service. ``mode`` says which stand-ins are allowed at all: in
production none is (see infra/production.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.roles import POOLS, PoolSizes, Role


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAMPUS_", env_file=".env", extra="ignore")

    # "production": Campus refuses to start with a sandbox, an outbox or an embedded service,
    # since each would look like it works while taking no money or reaching no one.
    mode: Literal["development", "production"] = "development"
    data_dir: Path = Path("./var")
    database_url: str = ""
    read_database_url: str = ""
    # What this process is (each command sets it): which pools it opens and how large
    # (infra/roles.py), and the name its connections show in pg_stat_activity.
    role: Role = "all"
    # Most connections in the process's event-store pool (shared by every application) and in
    # its read-model pool; 0: the role's budget (infra/roles.py). Both open on demand.
    event_store_pool_size: int = Field(default=0, ge=0)
    read_pool_size: int = Field(default=0, ge=0)
    event_cipher_key: str = ""
    # Concurrent saves of one application share a transaction (see infra/eventstore/group_commit).
    group_commit: bool = True
    # Aggregates kept in memory per application (0: replay from the store on every load).
    aggregate_cache_size: int = 10_000

    kafka_bootstrap_servers: str = ""
    kafka_topic: str = "campus.events"
    kafka_consumer_group_prefix: str = "campus"
    # How long a dead projector keeps its partitions before the group hands them over.
    kafka_session_timeout_ms: int = 10_000
    # How often the relay reads the logs when it cannot listen (an event store other than
    # PostgreSQL). On PostgreSQL each commit wakes it (LISTEN/NOTIFY), and it reads them
    # unprompted only every relay_fallback_poll_seconds, in case a notification went missing.
    relay_poll_interval_seconds: float = 0.02
    relay_fallback_poll_seconds: float = 1.0
    relay_batch_size: int = 500
    # The follower wakes when this process saves; polling only catches other processes' writes.
    follower_poll_interval_seconds: float = 0.25

    redis_url: str = ""

    # A ClickHouse server for analytics (http://user:password@host:8123/database); empty: chDB,
    # ClickHouse's engine in this process, under data_dir / "analytics".
    clickhouse_url: str = ""

    # Where uploaded media is kept: a folder under data_dir, or an S3-compatible bucket.
    media_store: Literal["local", "s3"] = "local"
    media_max_bytes: int = 500 * 1024 * 1024
    s3_endpoint_url: str = ""  # empty: AWS itself
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""  # both empty: boto3's usual credential chain
    s3_secret_access_key: str = ""

    jwt_secret: str = ""
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "campus"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 14 * 24 * 3600

    argon2_time_cost: int = 3
    argon2_memory_cost_kib: int = 65536
    argon2_parallelism: int = 4

    rate_limit_per_minute: int = 100
    # Commands one API worker runs at once; past it a command is a 429 with Retry-After, so a
    # burst beyond the machine's pace is refused at once instead of queued for everyone.
    max_commands_in_flight: int = 64
    consistency_wait_seconds: float = 2.0
    # How long a cached catalog page may live; the projector invalidates it on every change.
    query_cache_seconds: int = 60

    google_tokeninfo_url: str = "https://oauth2.googleapis.com/tokeninfo"
    google_client_ids: str = ""
    facebook_graph_url: str = "https://graph.facebook.com"
    facebook_app_id: str = ""
    facebook_app_secret: str = ""
    oauth_timeout_seconds: float = 5.0

    # --- payments: an empty URL means the embedded sandbox (no account, no internet) ---------
    paystack_base_url: str = ""  # e.g. https://api.paystack.co
    paystack_secret_key: str = ""  # required with a base URL; the sandbox generates its own
    paystack_callback_url: str = ""  # where Paystack sends the learner after checkout
    # Where the sandbox's checkout pages are served, as the learner's browser reaches Campus.
    # (`campus serve` makes it the address it serves when this is not set.)
    public_base_url: str = "http://127.0.0.1:8000"
    # Proxies whose X-Forwarded-For/-Proto are believed (addresses or networks, comma-separated;
    # "*" only where nothing but the proxy reaches the API). Empty: the peer is the client.
    trusted_proxies: str = ""
    # "paystack": cards go through Paystack's Charge API at paystack_base_url.
    card_gateway: Literal["sandbox", "paystack"] = "sandbox"
    # base64 of a 16/24/32-byte AES key for card_details; the embedded default generates one.
    card_details_key: str = ""
    gateway_timeout_seconds: float = 10.0
    gateway_retries: int = 3
    currency: str = "NGN"
    # The third-party promo API; empty: promo codes are read from promo_codes_file.
    promo_api_url: str = ""
    promo_api_key: str = ""
    promo_timeout_seconds: float = 3.0
    promo_retries: int = 3
    promo_codes_file: Path | None = None  # default: data_dir / "promo-codes.json"
    # How often refunds left in flight (a crash, a gateway that could not be asked) are
    # settled from the gateway's refunds, and how old a claim must be: older than any request
    # still waiting on the gateway (one refund call, then a few retried questions).
    refund_reconcile_seconds: float = Field(default=300.0, gt=0)
    refund_settle_after_seconds: float = Field(default=60.0, ge=0)
    # How often checkouts nobody finished are given up (each holds a coupon use and
    # the learner's open purchase), and how old one must be: a day leaves any learner who
    # walked away time to come back and pay.
    checkout_sweep_seconds: float = Field(default=600.0, gt=0)
    checkout_expires_after_seconds: float = Field(default=86_400.0, ge=0)

    # --- peer review ---------------------------------------------------------------------------
    # How long a reviewer holds work pulled from a module's queue before it goes back to it.
    review_lease_hours: float = Field(default=8.0, gt=0)
    # How many reviews the queue seeks for each submission.
    reviews_per_submission: int = Field(default=2, ge=1)
    # How often lapsed leases are taken back, so the work waits for the next reviewer.
    review_sweep_seconds: float = Field(default=60.0, gt=0)

    # --- notifications ---------------------------------------------------------------------
    # An SMTP server for e-mail; empty: messages are written to data_dir / "outbox" / "email".
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Campus <no-reply@campus.local>"
    # Firebase Cloud Messaging (HTTP v1) for push: the project and a service account's JSON
    # key file; empty: pushes are written to data_dir / "outbox" / "push".
    fcm_project_id: str = ""
    fcm_credentials_file: Path | None = None
    fcm_base_url: str = "https://fcm.googleapis.com"
    push_timeout_seconds: float = 10.0
    # Delivery attempts per notification before it is failed, waiting backoff x 2^n between.
    notification_attempts: int = Field(default=4, ge=1)
    notification_backoff_seconds: float = Field(default=1.0, ge=0)
    notification_workers: int = Field(default=8, ge=1)
    # A learner who has not opened an in-progress course for this many days gets a reminder.
    reminder_inactive_days: float = Field(default=7.0, gt=0)
    reminder_check_seconds: float = Field(default=3600.0, gt=0)

    log_level: str = "INFO"
    log_json: bool = True
    # The port a worker (relay, project, notify, schedule) serves Prometheus' /metrics on;
    # 0: none. The APIs answer /metrics on their own HTTP port whatever this says.
    metrics_port: int = Field(default=0, ge=0, le=65535)
    # Browser origins allowed to call the API (JSON list); empty: no cross-origin access.
    cors_origins: list[str] = Field(default_factory=list)

    @property
    def uses_postgres(self) -> bool:
        return self.database_url.startswith("postgres")

    @property
    def pools(self) -> PoolSizes:
        """This process's connection budget: its role's, or the sizes configured."""
        budget = POOLS[self.role]
        return PoolSizes(
            self.event_store_pool_size or budget.event_store,
            self.read_pool_size or budget.read_models,
            budget.listening,
        )

    @property
    def uses_kafka(self) -> bool:
        return bool(self.kafka_bootstrap_servers)

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)

    @property
    def read_models_url(self) -> str:
        return self.read_database_url or self.database_url

    @property
    def is_embedded(self) -> bool:
        return not (self.uses_postgres or self.uses_kafka or self.uses_redis)
