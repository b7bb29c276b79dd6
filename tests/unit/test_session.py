"""The Session aggregate: refresh-token rotation and reuse detection."""

from __future__ import annotations

import uuid

import pytest

from domain.users.session import Session, SessionRevokedError, TokenReuseError


def test_rotation_replaces_the_current_token():
    session = Session(uuid.uuid4(), "t1", "password")
    session.rotate("t1", "t2")
    assert session.token_id == "t2" and not session.is_revoked


def test_presenting_a_retired_token_revokes_the_family():
    session = Session(uuid.uuid4(), "t1", "password")
    session.rotate("t1", "t2")
    with pytest.raises(TokenReuseError):
        session.rotate("t1", "t3")
    assert session.is_revoked
    with pytest.raises(SessionRevokedError):
        session.rotate("t2", "t4")  # the legitimate holder is out too


def test_a_revoked_session_records_its_revocation_once():
    session = Session(uuid.uuid4(), "t1", "password")
    session.collect_events()
    session.revoke("logout")
    session.revoke("logout again")
    assert [type(e).__name__ for e in session.collect_events()] == ["Revoked"]
