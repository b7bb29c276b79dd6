"""The setup phase: users registered through the command bus, each with an access token.

Registered without a password (as ``campus users create-admin`` might be, for OAuth-only
accounts), so setting up hundreds of users costs no argon2 time; the tokens are minted with
the servers' secret, exactly as the write API mints them after a registration.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from commands.sessions.start_session import StartSession
from commands.users.register_user import RegisterUser
from ops.bootstrap import Campus


def sign_up_one(campus: Campus, email: str) -> tuple[UUID, str]:
    user_id = campus.bus.handle(RegisterUser(email, None, "Bench user"))
    grant = campus.bus.handle(StartSession(user_id, "bench"))
    return user_id, campus.tokens.issue_access(grant.user_id, grant.role.value, grant.session_id)


def sign_up_users(campus: Campus, count: int, threads: int = 8) -> list[tuple[UUID, str]]:
    """Register ``count`` users; answer each one's id and access token."""
    tag = uuid.uuid4().hex[:8]
    emails = [f"bench-{tag}-{n}@example.com" for n in range(count)]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda email: sign_up_one(campus, email), emails))


def sign_up(campus: Campus, count: int, threads: int = 8) -> list[str]:
    """Register ``count`` users; answer one access token each."""
    return [token for _, token in sign_up_users(campus, count, threads)]
