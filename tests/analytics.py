"""Helpers for analytics tests: a chDB store with the analytics tables, and facts to put in it.

Facts are written the way the analytics projector writes them (``projections.analytics.schema``
describes each): one row per measurable fact, keyed by its event's place in the log.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from projections.analytics.runner import create_tables

if TYPE_CHECKING:
    from infra.analytics.chdb_store import ChdbStore


def analytics_store(path: Path) -> ChdbStore:
    """chDB on ``path``, with the analytics tables."""
    # chDB (with pyarrow and numpy) is imported by the tests that use it, not by every test
    # process that collects their modules.
    from infra.analytics.chdb_store import ChdbStore

    store = ChdbStore(path)
    create_tables(store)
    return store


@dataclass
class Facts:
    """Writes facts, dimensions and duplicates into a store, each event at the next position."""

    store: Any
    positions: itertools.count = field(default_factory=lambda: itertools.count(1))

    def course(self, course_id: str, title: str, category: str = "Programming") -> str:
        row = {"course_id": course_id, "title": title, "category": category}
        defaults = {"instructor_id": "", "price": 500_000, "currency": "NGN", "version": 1}
        self.store.insert("analytics_courses", [row | defaults])
        return course_id

    def user(self, user_id: str, name: str, role: str = "student", day: date | None = None) -> str:
        registered = datetime.combine(day or date(2025, 1, 1), time(9), UTC)
        row = {"user_id": user_id, "name": name, "email": f"{user_id}@example.com", "role": role}
        self.store.insert("analytics_users", [row | {"registered_at": registered, "version": 1}])
        return user_id

    def fact(self, kind: str, day: date, course_id: str, user_id: str, **fields: Any) -> dict:
        """Record one fact; answer its row (insert it again to redeliver the event)."""
        at = datetime.combine(day, time(12), UTC).replace(microsecond=next(self.positions))
        row = {
            "application": "learning",
            "position": at.microsecond,
            "fact": kind,
            "at": at,
            "day": day,
            "course_id": course_id,
            "user_id": user_id,
            "amount": 0,
            "currency": "",
            "value": 0.0,
            "code": "",
        } | fields
        self.store.insert("analytics_facts", [row])
        return row

    def paid(self, day: date, course_id: str, user_id: str, kobo: int, code: str = "") -> dict:
        fields = {"application": "commerce", "amount": kobo, "currency": "NGN", "code": code}
        return self.fact("payment", day, course_id, user_id, **fields)

    def refunded(self, day: date, course_id: str, user_id: str, kobo: int) -> dict:
        fields = {"application": "commerce", "amount": kobo, "currency": "NGN"}
        return self.fact("refund", day, course_id, user_id, **fields)

    def rated(self, day: date, course_id: str, user_id: str, stars: int) -> dict:
        return self.fact("rating", day, course_id, user_id, amount=stars, value=float(stars))

    def progressed(self, day: date, course_id: str, user_id: str, progress: float) -> dict:
        return self.fact("progress", day, course_id, user_id, amount=60, value=progress)
