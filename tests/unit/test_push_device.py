"""A device's push token reaches one user: whoever registered it last."""

from __future__ import annotations

from uuid import uuid4

from domain.users.push_device import PushDevice


def test_the_same_token_always_names_the_same_device():
    assert PushDevice.create_id("token-a") == PushDevice("token-a", uuid4()).id
    assert PushDevice.create_id("token-a") != PushDevice.create_id("token-b")


def test_handing_a_device_to_another_user_makes_them_its_owner():
    first, second = uuid4(), uuid4()
    device = PushDevice("token", first)

    device.hand_to(second)

    assert device.owner_id == second
    assert [type(e).__name__ for e in device.collect_events()] == ["Registered", "HandedOver"]


def test_handing_a_device_to_its_owner_records_nothing():
    owner = uuid4()
    device = PushDevice("token", owner)
    device.collect_events()

    device.hand_to(owner)

    assert device.collect_events() == []


def test_the_token_is_never_published():
    assert "token" in PushDevice.Registered.private_fields
