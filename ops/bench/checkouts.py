"""``campus bench checkouts``: card checkouts through the command bus on PostgreSQL, beside the
library's ``save()``.

A checkout is two units of work (initiate: payment, purchase, key and coupon hold in one
transaction; settle: payment, purchase and redemption) around a sandbox card charge. Measured
per concurrency N from N threads in-process (no HTTP, so the figure is the write path's own):
checkouts by distinct learners without a coupon, and checkouts that all use one unlimited
coupon, which makes every checkout a new version of the same aggregate.
"""

from __future__ import annotations

import base64
import secrets
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from rich.console import Console

from commands.coupons.manage_coupon import CreateCoupon
from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.payments.initiate_payment import CardInput, InitiatePayment
from domain.actor import Actor
from domain.commerce.payment_terms import Method
from domain.commerce.pricing import Discount
from infra.settings import Settings
from ops.bench import rawsave
from ops.bench.database import fresh_database
from ops.bench.report import Row, percentile, relative_to, show
from ops.bootstrap import Campus, bootstrap

CARD = CardInput("4242424242424242", "12", "2099", "123")
ADMIN = Actor(uuid.uuid4(), "admin")


@dataclass(frozen=True)
class CheckoutsOptions:
    postgres_url: str
    concurrency: list[int]
    seconds: float
    env: dict[str, str]


def course_for_sale(campus: Campus) -> UUID:
    lesson = LessonDraft("Welcome", "ARTICLE", None, "Hello", "published")
    module = ModuleDraft("Start", "published", (lesson,))
    command = CreateCourse(
        ADMIN,
        "Bench course",
        "",
        "Bench",
        "Beginner",
        60,
        5_000_00,
        "NGN",
        modules=(module,),
        publish=True,
        instructor_id=ADMIN.user_id,
    )
    return campus.bus.handle(command)


def checkout_until(
    campus: Campus, course_id: UUID, coupon: str | None, deadline: float, latencies: list[float]
) -> None:
    while (started := time.perf_counter()) < deadline:
        learner = uuid.uuid4()
        command = InitiatePayment(
            Actor(learner, "student"),
            learner,
            course_id,
            Method.CARD,
            card=CARD,
            coupon_code=coupon,
        )
        campus.bus.handle(command)
        latencies.append((time.perf_counter() - started) * 1000)


def checkout_rate(
    campus: Campus, course_id: UUID, coupon: str | None, threads: int, seconds: float
) -> Row:
    per_thread: list[list[float]] = [[] for _ in range(threads)]
    started = time.perf_counter()
    workers = [
        threading.Thread(
            target=checkout_until, args=(campus, course_id, coupon, started + seconds, mine)
        )
        for mine in per_thread
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = [ms for mine in per_thread for ms in mine]
    name = "card checkout, one hot coupon" if coupon else "card checkout, no coupon"
    return Row(
        name,
        threads,
        len(latencies),
        elapsed,
        percentile(latencies, 50),
        percentile(latencies, 99),
        0,
        "checkout",
    )


def campus_on(database: str, data_dir: str, env: dict[str, str]) -> Campus:
    values = {
        "database_url": database,
        "data_dir": data_dir,
        "jwt_secret": secrets.token_urlsafe(32),
        "card_details_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "paystack_secret_key": "sk_test_bench_" + secrets.token_hex(8),
    }
    overrides = {k[7:].lower(): v for k, v in env.items() if k.startswith("CAMPUS_")}
    return bootstrap(Settings(_env_file=None, **(values | overrides)))


def measure(campus: Campus, database: str, options: CheckoutsOptions) -> list[Row]:
    course_id = course_for_sale(campus)
    now = datetime.now(UTC)
    campus.bus.handle(
        CreateCoupon(ADMIN, "BENCH", Discount.percentage(10), now, now + timedelta(days=1))
    )
    rows: list[Row] = []
    for n in options.concurrency:
        anchor = rawsave.save_rate(database, n, options.seconds)
        group = [
            anchor,
            checkout_rate(campus, course_id, None, n, options.seconds),
            checkout_rate(campus, course_id, "BENCH", n, options.seconds),
        ]
        relative_to(group, anchor)
        rows += group
    return rows


def run(options: CheckoutsOptions, console: Console) -> None:
    with fresh_database(options.postgres_url) as database, tempfile.TemporaryDirectory() as tmp:
        campus = campus_on(database, tmp, options.env)
        try:
            console.print(f"measuring {len(options.concurrency)} concurrency levels ...")
            rows = measure(campus, database, options)
        finally:
            campus.close()
    notes = [
        "in-process through the command bus, N threads, a new learner per checkout; "
        "sandbox card gateway; each checkout is two saves (initiate, settle)",
        f"group commit: {campus.settings.group_commit}",
    ] + [f"--env {k}={v}" for k, v in options.env.items()]
    show(console, "checkouts", "checkouts: card payments beside the library's save()", rows, notes)
