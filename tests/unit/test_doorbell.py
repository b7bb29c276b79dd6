"""The doorbell tells each follower which applications saved since it last looked."""

from __future__ import annotations

import threading

from infra.doorbell import Doorbell


def test_a_listener_hears_which_applications_rang_since_it_last_asked():
    bell = Doorbell()
    listener = bell.listener()
    bell.ring("identity")
    bell.ring("catalog")
    bell.ring("identity")
    assert listener.news() == {"identity", "catalog"}
    assert listener.news() == set()
    bell.ring("learning")
    assert listener.news() == {"learning"}


def test_a_listener_hears_nothing_rung_before_it_began():
    bell = Doorbell()
    bell.ring("identity")
    assert bell.listener().news() == set()


def test_each_listener_keeps_its_own_news():
    bell = Doorbell()
    first, second = bell.listener(), bell.listener()
    bell.ring("commerce")
    assert first.news() == {"commerce"}
    assert second.news() == {"commerce"}


def test_a_ring_while_the_follower_was_busy_wakes_its_next_wait_at_once():
    bell = Doorbell()
    listener = bell.listener()
    bell.ring("identity")
    woken = threading.Event()
    waiter = threading.Thread(target=lambda: (listener.wait(30), woken.set()))
    waiter.start()
    waiter.join(timeout=5)
    assert woken.is_set()
    assert listener.news() == {"identity"}
