"""The embedded follower: a save in this process rings for its own log, and every log is still
read once per poll interval, for what other processes write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from commands.courses.author_course import CreateCourse
from commands.users.register_user import RegisterUser
from domain.actor import Actor
from ops.bootstrap import Campus, bootstrap
from projections.users import users
from tests.conftest import embedded_settings

POLL_SECONDS = 0.2


@pytest.fixture
def campus(tmp_path: Path) -> Iterator[Campus]:
    campus = bootstrap(embedded_settings(tmp_path, follower_poll_interval_seconds=POLL_SECONDS))
    yield campus
    campus.close()


def projected(campus: Campus, user_id: UUID) -> bool:
    with campus.read_engine.connect() as conn:
        return conn.execute(users.select().where(users.c.id == str(user_id))).first() is not None


def test_a_log_that_rang_no_bell_is_read_within_a_poll_while_other_logs_keep_ringing(
    campus: Campus,
):
    campus.workers.append(campus.follower().start(POLL_SECONDS))
    time.sleep(0.1)  # the follower's first turn, which reads every log, is over
    campus.identity.on_saved = None  # as if another process registered the user
    user_id = campus.bus.handle(RegisterUser("someone@example.com", "pw-123456789", "Some One"))
    author = Actor(uuid4(), "instructor")
    deadline = time.monotonic() + 10 * POLL_SECONDS
    while not projected(campus, user_id) and time.monotonic() < deadline:
        # The catalog rings every few milliseconds: the follower never idles for a whole poll.
        campus.bus.handle(CreateCourse(author, "Busy", "", "C", "Beginner", 1, 0))
        time.sleep(0.01)
    assert projected(campus, user_id)


def test_a_save_in_this_process_is_projected_without_waiting_for_a_poll(campus: Campus):
    campus.workers.append(campus.follower().start(poll_interval=60))
    time.sleep(0.1)  # the follower's first turn, which reads every log, is over
    user_id = campus.bus.handle(RegisterUser("someone@example.com", "pw-123456789", "Some One"))
    deadline = time.monotonic() + 5
    while not projected(campus, user_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert projected(campus, user_id)
