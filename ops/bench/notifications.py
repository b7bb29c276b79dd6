"""``campus bench notifications``: e-mail delivered by the sender, beside plain smtplib.

A local SMTP sink (aiosmtpd, from the dev extras) takes every message. For each worker count N:
an admin sends ``messages`` e-mails through the command bus (the requests), then the sender
catches up with the event store on PostgreSQL and delivers them all, N at a time: what is timed
is the catch-up, so the figure is the sender's delivery rate with everything it records (an
attempt's events, its position). The anchor is N threads handing the same number of messages
straight to the sink with smtplib, a connection each, as the sender's mailer does.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from uuid import UUID

from rich.console import Console

from commands.notifications.ports import Email
from commands.notifications.send_notification import SendNotification
from commands.users.register_user import RegisterUser
from domain.actor import Actor
from infra.notifications.email import SmtpMailer
from infra.settings import Settings
from ops.bench.checkouts import campus_on
from ops.bench.database import fresh_database
from ops.bench.report import Row, relative_to, show
from ops.bootstrap import Campus
from ops.workers.follower import EventStoreFollower
from ops.workers.notifier import NotifierRunner

ADMIN = Actor(uuid.uuid4(), "admin")
FAST_HASHING = {"CAMPUS_ARGON2_TIME_COST": "1", "CAMPUS_ARGON2_MEMORY_COST_KIB": "1024"}


@dataclass(frozen=True)
class NotificationsOptions:
    postgres_url: str
    workers: list[int]
    messages: int
    env: dict[str, str]


class SmtpSink:
    """Accepts every message and counts them."""

    def __init__(self) -> None:
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        with self.lock:
            self.received += 1
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[tuple[int, SmtpSink]]:
    """A sink on a free loopback port: (port, sink)."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        raise SystemExit(
            "campus bench notifications needs aiosmtpd: pip install -e '.[dev]'"
        ) from None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, sink
    finally:
        controller.stop()


def learners(campus: Campus, count: int) -> list[UUID]:
    return [
        campus.bus.handle(
            RegisterUser(f"bench-{uuid.uuid4().hex[:10]}@example.com", "bench-password", "Bench")
        )
        for _ in range(count)
    ]


def smtplib_rate(settings: Settings, threads: int, messages: int) -> Row:
    mailer = SmtpMailer(settings)
    per_thread = messages // threads

    def send_some() -> None:
        for _ in range(per_thread):
            mailer.send(Email(str(uuid.uuid4()), "learner@example.com", "Learner", "Hi", "Hello"))

    workers = [threading.Thread(target=send_some) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return Row(
        "smtplib straight to the sink",
        threads,
        per_thread * threads,
        time.perf_counter() - started,
        unit="msg",
    )


def sender_rate(campus: Campus, recipients: list[UUID], workers: int, messages: int) -> Row:
    for user_id, n in zip(cycle(recipients), range(messages), strict=False):
        campus.bus.handle(SendNotification(ADMIN, user_id, "email", f"Bench message {n}"))
    runner = NotifierRunner(campus)
    runner.workers = workers
    follower = EventStoreFollower(list(campus.apps.values()), runner, 1000)
    started = time.perf_counter()
    follower.catch_up()
    return Row(
        "sender: requested -> sent", workers, messages, time.perf_counter() - started, unit="msg"
    )


def run(options: NotificationsOptions, console: Console) -> None:
    rows: list[Row] = []
    with (
        fresh_database(options.postgres_url) as database,
        tempfile.TemporaryDirectory() as tmp,
        smtp_sink() as (port, sink),
    ):
        env = FAST_HASHING | {"CAMPUS_SMTP_HOST": "127.0.0.1", "CAMPUS_SMTP_PORT": str(port)}
        campus = campus_on(database, tmp, env | options.env)
        try:
            recipients = learners(campus, 100)
            console.print(f"measuring {len(options.workers)} worker counts ...")
            for workers in options.workers:
                anchor = smtplib_rate(campus.settings, workers, options.messages)
                group = [anchor, sender_rate(campus, recipients, workers, options.messages)]
                relative_to(group, anchor)
                rows += group
        finally:
            campus.close()
        expected = sum(row.count for row in rows)
        delivered = sink.received
    notes = [
        "PostgreSQL event store; a local aiosmtpd sink; one SMTP connection per message",
        f"the sink received {delivered:,} of {expected:,} messages",
    ] + [f"--env {k}={v}" for k, v in options.env.items()]
    show(console, "notifications", "notifications: e-mail delivered beside smtplib", rows, notes)
