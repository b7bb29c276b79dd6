"""Group commit: concurrent saves share transactions, yet each stays atomic with its own answer."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from eventsourcing.persistence import IntegrityError

from domain.users.unique_key import UniqueKey
from domain.users.user import User


def new_user(n: int) -> User:
    return User(f"group{n}@example.com", None, f"User {n}", None, None, "student")


@pytest.fixture
def held_back(backend):
    """Hold the first transaction until ``release`` is set, so the next saves pile up into
    one batch; count how many events each transaction carried."""
    committer = backend.campus.identity.committer
    insert, release, batches = committer.recorder.insert_events, threading.Event(), []

    def gated_insert(events, **kwargs):
        release.wait(10)
        batches.append(len(events))
        return insert(events, **kwargs)

    committer.recorder.insert_events = gated_insert
    yield backend.campus.identity, release, batches
    committer.recorder.insert_events = insert


def test_concurrent_saves_share_a_transaction_and_each_gets_its_own_positions(held_back):
    identity, release, batches = held_back
    users = [new_user(n) for n in range(20)]
    with ThreadPoolExecutor(20) as pool:
        saving = [pool.submit(identity.save, user) for user in users]
        time.sleep(0.3)  # let them queue behind the held first transaction
        release.set()
        positions = [r.notification.id for f in saving for r in f.result()]
    assert len(set(positions)) == 20
    assert len(batches) < 20 and sum(batches) == 20
    assert all(identity.get_user(u.id).name == u.name for u in users)


def test_a_save_that_loses_a_race_fails_alone_while_its_batch_commits(held_back):
    identity, release, _ = held_back
    owner, rival_owner = uuid.uuid4(), uuid.uuid4()
    users = [new_user(n) for n in range(5)]
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(identity.save, UniqueKey("email", "taken@example.com", owner))
        time.sleep(0.1)  # the first claim is in the held transaction; the rest queue behind it
        rival = pool.submit(identity.save, UniqueKey("email", "taken@example.com", rival_owner))
        others = [pool.submit(identity.save, user) for user in users]
        time.sleep(0.3)
        release.set()
        first.result()
        with pytest.raises(IntegrityError):
            rival.result()
        assert all(f.result() for f in others)
    assert identity.find_key_owner("email", "taken@example.com") == owner
    assert all(identity.get_user(u.id).name == u.name for u in users)
