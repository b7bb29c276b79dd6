"""Concurrent registrations with one e-mail: exactly one wins, the others get 409."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from tests.api import register, unique_email

CONTENDERS = 12


def test_concurrent_registrations_of_one_email_yield_one_account_and_conflicts(backend):
    email, start = unique_email("race"), Barrier(CONTENDERS)

    def contend(_: int) -> int:
        start.wait()
        return register(backend.client, email=email).status_code

    with ThreadPoolExecutor(CONTENDERS) as pool:
        statuses = sorted(pool.map(contend, range(CONTENDERS)))
    assert statuses == [200] + [409] * (CONTENDERS - 1)
