"""Group commit: concurrent saves share transactions, yet each stays atomic with its own answer."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from eventsourcing.persistence import IntegrityError

from commands.applications import Identity
from domain.users.unique_key import UniqueKey
from domain.users.user import User


def new_user(n: int) -> User:
    return User(f"group{n}@example.com", None, f"User {n}", None, None, "student")


@dataclass
class HeldBack:
    """The first transaction waits for ``release``; ``holding`` is set once it waits, so the
    next saves pile up behind it; ``batches`` counts the events of each transaction."""

    identity: Identity
    release: threading.Event = field(default_factory=threading.Event)
    holding: threading.Event = field(default_factory=threading.Event)
    batches: list[int] = field(default_factory=list)


@pytest.fixture
def held_back(backend):
    committer = backend.campus.identity.committer
    insert, held = committer.recorder.insert_events, HeldBack(backend.campus.identity)

    def gated_insert(events, **kwargs):
        held.holding.set()
        held.release.wait(10)
        held.batches.append(len(events))
        return insert(events, **kwargs)

    committer.recorder.insert_events = gated_insert
    yield held
    committer.recorder.insert_events = insert


def test_concurrent_saves_share_a_transaction_and_each_gets_its_own_positions(held_back):
    identity, users = held_back.identity, [new_user(n) for n in range(20)]
    with ThreadPoolExecutor(20) as pool:
        saving = [pool.submit(identity.save, user) for user in users]
        assert held_back.holding.wait(10)
        time.sleep(0.3)  # let the others queue behind the held first transaction
        held_back.release.set()
        positions = [r.notification.id for f in saving for r in f.result()]
    assert len(set(positions)) == 20
    assert len(held_back.batches) < 20 and sum(held_back.batches) == 20
    assert all(identity.get_user(u.id).name == u.name for u in users)


def test_a_save_that_loses_a_race_fails_alone_while_its_batch_commits(held_back):
    identity = held_back.identity
    owner, rival_owner = uuid.uuid4(), uuid.uuid4()
    users = [new_user(n) for n in range(5)]
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(identity.save, UniqueKey("email", "taken@example.com", owner))
        # The first claim is in the held transaction before the rival is sent: a fixed sleep
        # let a loaded machine send the rival first, which then rightly won.
        assert held_back.holding.wait(10)
        rival = pool.submit(identity.save, UniqueKey("email", "taken@example.com", rival_owner))
        others = [pool.submit(identity.save, user) for user in users]
        time.sleep(0.3)  # let them queue behind it
        held_back.release.set()
        first.result()
        with pytest.raises(IntegrityError):
            rival.result()
        assert all(f.result() for f in others)
    assert identity.find_key_owner("email", "taken@example.com") == owner
    assert all(identity.get_user(u.id).name == u.name for u in users)
