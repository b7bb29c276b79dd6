"""The composition root: build applications, adapters, bus and projections once, from settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from threading import Event, Thread
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from tenacity import Retrying, retry_if_exception, wait_exponential_jitter

from commands.applications import APPLICATIONS, CampusApplication, Commerce, Identity, Sessions
from commands.bus import MessageBus, inject
from commands.courses.ports import BlobStore
from commands.handlers import HANDLERS, POLICIES
from commands.notifications.deliver_notification import DeliveryRules
from commands.payments.card_charges import CardCharges
from commands.payments.ports import CardGateway, Gateways, Paystack
from commands.reviews.rules import ReviewRules
from commands.users.ports import OAuthVerifier
from infra.analytics.factory import OnFirstUse, open_analytics_store
from infra.analytics.store import AnalyticsStore
from infra.blobs import open_blob_store
from infra.cache import MemoryQueryCache, QueryCache, RedisQueryCache
from infra.database import create_read_engine, ensure_tables, one_at_a_time, schema_lock
from infra.doorbell import Doorbell
from infra.eventstore.environment import event_store_env
from infra.eventstore.group_commit import GroupCommitter
from infra.faults import is_transient
from infra.metrics import Metrics
from infra.notifications.email import open_mailer
from infra.notifications.gettext_wording import GettextWording
from infra.notifications.push import open_push_sender
from infra.oauth import HttpOAuthVerifier
from infra.payments.card_cipher import open_card_cipher
from infra.payments.card_sandbox import open_card_gateway
from infra.payments.paystack import open_paystack
from infra.payments.promo_file import open_promo_provider
from infra.personal_data.events import revealed
from infra.personal_data.keys import PersonalDataKeys, open_personal_data_keys
from infra.production import refuse_unless_ready
from infra.security.caller_checks import CallerChecks, LocalCallerChecks, RedisCallerChecks
from infra.security.passwords import Argon2PasswordHasher
from infra.security.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from infra.security.revocations import (
    RedisAccessRevocations,
    RevocationStore,
    SqliteAccessRevocations,
)
from infra.security.tokens import JwtTokens
from infra.session_positions import (
    MemorySessionPositions,
    RedisSessionPositions,
    SessionPositions,
)
from infra.settings import Settings
from ops.workers.follower import GATHER_SECONDS, EventStoreFollower
from ops.workers.notifier import NOTIFIER, NotifierRunner
from ops.workers.relay import relay_metadata
from ops.workers.scheduler import report_refunds, run_schedule
from projections.analytics.runner import ANALYTICS, AnalyticsRunner, create_tables
from projections.base import Runner
from projections.queries.idle_enrollments import IdleEnrollmentsQuery
from projections.queries.lapsed_leases import LapsedQueuesQuery
from projections.queries.open_checkouts import OpenCheckoutsQuery
from projections.queries.refunded_enrollments import RefundedEnrollmentsQuery
from projections.queries.refunds_in_flight import RefundsInFlightQuery
from projections.registry import resolve
from projections.runner import ProjectionRunner
from schemas.events import PublishedEvent

if TYPE_CHECKING:
    import redis

# What the sender waits for more saves after a ring: nobody reads their mail within
# milliseconds. Analytics waits longer, unless a reader is waiting for it: ClickHouse takes
# inserts best in large batches, and a starting process opens chDB only when there is work.
BACKGROUND_GATHER_SECONDS = 0.1
ANALYTICS_GATHER_SECONDS = 1.0
log = logging.getLogger("campus")


@dataclass
class Campus:
    """Everything a process needs, built once."""

    settings: Settings
    apps: dict[str, CampusApplication]
    bus: MessageBus
    tokens: JwtTokens
    revocations: RevocationStore
    limiter: RateLimiter
    read_engine: Engine
    query_cache: QueryCache
    blobs: BlobStore
    paystack: Paystack
    cards: CardGateway
    analytics: AnalyticsStore  # opened by its first use (see infra.analytics.factory)
    session_positions: SessionPositions
    caller_checks: CallerChecks
    personal_data: PersonalDataKeys
    metrics: Metrics = field(default_factory=Metrics)
    doorbell: Doorbell = field(default_factory=Doorbell)
    analytics_wanted: Doorbell = field(default_factory=Doorbell)  # a reader waits for it
    workers: list[tuple[Event, Thread]] = field(default_factory=list)

    @property
    def identity(self) -> Identity:
        return self.apps["identity"]  # type: ignore[return-value]

    @property
    def sessions(self) -> Sessions:
        return self.apps["sessions"]  # type: ignore[return-value]

    def runner(self, name: str = "read-models") -> Runner:
        """The read models' runner for a projection or group; ``analytics`` for ClickHouse."""
        if name == ANALYTICS:
            return AnalyticsRunner(self.analytics, self.read_engine, self.settings.data_dir)
        return ProjectionRunner(
            self.read_engine,
            resolve(name),
            self.settings.data_dir,
            on_changed=self.query_cache.bump,
            reveal=self.reveal,
        )

    def reveal(self, events: Sequence[PublishedEvent]) -> list[PublishedEvent]:
        return revealed(events, self.personal_data)

    def retry_parked(self, name: str, aggregate_id: str | None = None) -> tuple[int, int]:
        """Apply projection ``name``'s parked events again (see projections.parking); answer
        how many applied and how many are still parked."""
        runner = NotifierRunner(self) if name == NOTIFIER else self.runner(name)
        return runner.retry_parked(name, aggregate_id)

    def follower(self, name: str = "read-models") -> EventStoreFollower:
        runner = self.runner(name)
        if name == ANALYTICS:
            return self.following(runner, ANALYTICS_GATHER_SECONDS, self.analytics_wanted)
        return self.following(runner, GATHER_SECONDS)

    def notifier(self) -> EventStoreFollower:
        return self.following(NotifierRunner(self), BACKGROUND_GATHER_SECONDS)

    def following(
        self, runner: Runner, gather_seconds: float, hurry: Doorbell | None = None
    ) -> EventStoreFollower:
        """A follower woken by this process's saves; its poll catches other processes'."""
        return EventStoreFollower(
            list(self.apps.values()),
            runner,
            self.settings.relay_batch_size,
            self.doorbell,
            gather_seconds,
            hurry,
        )

    def start_follower(self) -> None:
        """Project, notify and keep time in-process (the embedded default: no Kafka): read
        models, analytics and the sender follow apart, so reading one's own writes never waits
        for ClickHouse or a mail server."""
        poll = self.settings.follower_poll_interval_seconds
        for follower in (self.follower(), self.follower(ANALYTICS), self.notifier()):
            self.workers.append(follower.start(poll))
        report_refunds(self)
        self.workers.append(self.background(run_schedule, "campus-scheduler"))

    def background(self, work: Callable[[Campus, Event], None], name: str) -> tuple[Event, Thread]:
        stop = Event()
        thread = Thread(target=work, args=(self, stop), name=name, daemon=True)
        thread.start()
        return stop, thread

    def close(self) -> None:
        for stop, _ in self.workers:
            stop.set()
        self.doorbell.ring()  # wakes the followers to see they are stopped
        self.analytics_wanted.ring()
        for _, thread in self.workers:
            thread.join()  # before the stores close under a running query
        for app in self.apps.values():
            app.close()
        self.analytics.close()  # frees chDB's folder for whoever opens it next
        self.read_engine.dispose()
        self.personal_data.close()


def bootstrap(settings: Settings | None = None, oauth: OAuthVerifier | None = None) -> Campus:
    settings = settings or Settings()
    refuse_unless_ready(settings)  # before anything connects, so no service is touched
    metrics = Metrics()
    with schema_lock(settings):
        apps = {cls.name: cls(env=event_store_env(settings, cls.name)) for cls in APPLICATIONS}
        if settings.group_commit and settings.database_url != "memory":
            for app in apps.values():
                batch_sizes = metrics.group_commit_batch.labels(app.name)
                app.committer = GroupCommitter(app.recorder, observe=batch_sizes.observe)
        read_engine = create_read_engine(settings)
        personal_data = open_personal_data_keys(settings, read_engine)
        for app in apps.values():
            app.mapper.personal_data = personal_data
        ProjectionRunner(read_engine, resolve("read-models"), settings.data_dir).create_tables()
        ensure_tables(read_engine, relay_metadata.sorted_tables)
        read_engine.dispose()  # the tables' connection: a role that reads nothing keeps none
    client = redis_client(settings)
    revocations = (
        RedisAccessRevocations(client, settings.access_token_ttl_seconds)
        if client
        else SqliteAccessRevocations(
            settings.data_dir / "access.sqlite", settings.access_token_ttl_seconds
        )
    )
    gateways = open_gateways(settings, apps["commerce"], utc_now)  # type: ignore[arg-type]
    dependencies = {
        "identity": apps["identity"],
        "catalog": apps["catalog"],
        "sessions": apps["sessions"],
        "commerce": apps["commerce"],
        "learning": apps["learning"],
        "clock": utc_now,
        "gateways": gateways,
        "hasher": Argon2PasswordHasher(settings),
        "revocations": revocations,
        "personal_data": personal_data,
        "oauth": oauth or HttpOAuthVerifier(settings),
        "blobs": open_blob_store(settings),
        "one_at_a_time": one_at_a_time(read_engine, settings.data_dir),
        "notifications": apps["notifications"],
        "mailer": open_mailer(settings),
        "push_sender": open_push_sender(settings),
        "wording": GettextWording(),
        "delivery_rules": DeliveryRules(
            settings.notification_attempts, settings.notification_backoff_seconds
        ),
        "idle_enrollments": IdleEnrollmentsQuery(read_engine),
        "reminder_after": timedelta(days=settings.reminder_inactive_days),
        "lapsed_queues": LapsedQueuesQuery(read_engine),
        "refunds_in_flight": RefundsInFlightQuery(read_engine),
        "refund_settle_after": timedelta(seconds=settings.refund_settle_after_seconds),
        "refunded_enrollments": RefundedEnrollmentsQuery(read_engine),
        "open_checkouts": OpenCheckoutsQuery(read_engine),
        "checkout_expires_after": timedelta(seconds=settings.checkout_expires_after_seconds),
        "review_rules": ReviewRules(
            timedelta(hours=settings.review_lease_hours), settings.reviews_per_submission
        ),
    }
    bus = MessageBus(
        {kind: inject(handler, dependencies) for kind, handler in HANDLERS.items()}, POLICIES
    )
    limiter = (
        RedisRateLimiter(client, settings.rate_limit_per_minute)
        if client
        else MemoryRateLimiter(settings.rate_limit_per_minute)
    )
    session_positions = (
        RedisSessionPositions(client, settings.redis_url) if client else MemorySessionPositions()
    )
    cache = (
        RedisQueryCache(client, settings.query_cache_seconds)
        if client
        else MemoryQueryCache(settings.query_cache_seconds)
    )
    doorbell = Doorbell()
    for app in apps.values():
        app.on_saved = doorbell.ring
    return Campus(
        settings,
        apps,
        bus,
        JwtTokens(settings),
        revocations,
        limiter,
        read_engine,
        cache,
        dependencies["blobs"],
        gateways.paystack,
        gateways.card_charges.cards,
        OnFirstUse(lambda: open_analytics(settings)),
        session_positions,
        caller_checks(settings, limiter, revocations, session_positions),
        personal_data,
        metrics,
        doorbell,
    )


def redis_client(settings: Settings) -> redis.Redis | None:
    """The shared stores' client; None in the embedded default, which keeps them in the process
    and so never imports redis (a twelfth of a second of every process's start)."""
    if not settings.uses_redis:
        return None
    import redis

    return redis.Redis.from_url(settings.redis_url)


def utc_now() -> datetime:
    return datetime.now(UTC)


def open_gateways(
    settings: Settings, commerce: Commerce, clock: Callable[[], datetime]
) -> Gateways:
    """The checkout's gateways, from settings: sandboxes in the embedded default."""
    cards = CardCharges(commerce, open_card_gateway(settings), open_card_cipher(settings), clock)
    return Gateways(
        cards,
        open_paystack(settings),
        open_promo_provider(settings),
        settings.paystack_callback_url or None,
    )


def caller_checks(
    settings: Settings,
    limiter: RateLimiter,
    revocations: RevocationStore,
    session_positions: SessionPositions,
) -> CallerChecks:
    if settings.uses_redis:
        return RedisCallerChecks(settings.redis_url, settings.rate_limit_per_minute)
    return LocalCallerChecks(limiter, revocations, session_positions)


def bootstrap_when_ready(settings: Settings) -> Campus:
    """Bootstrap, waiting (with backoff, each try logged) for services that are not up yet:
    a process started before PostgreSQL, Redis or Kafka waits for them instead of exiting.
    A configuration refused in production is not transient: it raises at once."""
    retrying = Retrying(
        retry=retry_if_exception(is_transient),
        wait=wait_exponential_jitter(multiplier=0.5, max=10),
        before_sleep=lambda state: log.warning(
            "services not ready (%r); waiting", state.outcome and state.outcome.exception()
        ),
        reraise=True,
    )
    return retrying(bootstrap, settings)


def open_analytics(settings: Settings) -> AnalyticsStore:
    store = open_analytics_store(settings)
    try:
        create_tables(store)
    except Exception:
        store.close()  # or chDB's folder stays taken by a store nobody holds
        raise
    return store
