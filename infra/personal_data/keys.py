"""The data keys: one AES-256 key per person, in a table of its own beside the events.

A key is made the first time something personal about its person is stored, and destroyed when
that person is erased: the row stays, without its key, so nothing made later for the same
person can be read back either. Keys never travel: not in events, not on Kafka, not in logs.

Sealing and reading on the write side may use a key fetched a few seconds ago; projections ask
``fresh`` so that a read model never takes plain data from an erased person's key.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import Insert

from infra.settings import Settings

metadata = MetaData()
personal_data_keys = Table(
    "personal_data_keys",
    metadata,
    Column("subject_id", String(36), primary_key=True),
    Column("data_key", LargeBinary),  # null once erased
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("erased_at", DateTime(timezone=True)),
)

CACHE_SECONDS = 5.0
MAX_CACHED = 50_000
# Built once: every batch of every projection asks for its people's keys as they are now.
KEYS_OF = select(personal_data_keys.c.subject_id, personal_data_keys.c.data_key).where(
    personal_data_keys.c.subject_id.in_(bindparam("subjects", expanding=True))
)
ERASED_OF = select(personal_data_keys.c.subject_id).where(
    personal_data_keys.c.subject_id.in_(bindparam("subjects", expanding=True)),
    personal_data_keys.c.erased_at.is_not(None),
)


class PersonalDataKeys:
    def __init__(self, engine: Engine, cache_seconds: float = CACHE_SECONDS) -> None:
        self.engine = engine
        self.cache_seconds = cache_seconds
        self.cached: dict[str, tuple[bytes | None, float]] = {}
        self.lock = threading.Lock()
        metadata.create_all(engine)

    def for_sealing(self, subject: str) -> bytes | None:
        """The person's key, made now if they have none; None once they are erased."""
        # Only a key found is taken from the cache: a None cached for someone who had no key
        # yet would seal their data as erased.
        if (cached := self.recent([subject]).get(subject)) is not None:
            return cached
        query = select(personal_data_keys.c.data_key)
        with self.engine.connect() as conn:
            row = conn.execute(query.where(personal_data_keys.c.subject_id == subject)).first()
        if row is not None:  # most lookups: someone known, keyed or erased (a null key)
            with self.lock:
                self.cached[subject] = (row.data_key, time.monotonic())
            return row.data_key
        made = personal_data_keys.c.data_key
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # The event sealed with this key commits next, on the same server, and waits
                # for the log to be flushed past this row too: a second flush here buys nothing.
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            key = conn.execute(self.insert_missing(subject, os.urandom(32)).returning(made))
            key = key.scalar()
        if key is None:  # made meanwhile, by a concurrent first sight of them
            return self.keys([subject], fresh=True)[subject]
        with self.lock:
            self.cached[subject] = (key, time.monotonic())
        return key

    def keys(self, subjects: Iterable[str], fresh: bool = False) -> dict[str, bytes | None]:
        """Each person's key; None for an erased person (or one who never had a key)."""
        wanted = set(subjects)
        found = {} if fresh else self.recent(wanted)
        if missing := wanted - found.keys():
            with self.engine.connect() as conn:
                found_now = conn.execute(KEYS_OF, {"subjects": sorted(missing)})
                rows = {subject: key for subject, key in found_now}
            now = time.monotonic()
            with self.lock:
                if len(self.cached) > MAX_CACHED:
                    self.cached.clear()
                for subject in missing:
                    found[subject] = rows.get(subject)
                    self.cached[subject] = (found[subject], now)
        return found

    def erased(self, subjects: Iterable[str]) -> set[str]:
        """Those of ``subjects`` who were erased (someone who never had a key was not)."""
        wanted = sorted(set(subjects))
        if not wanted:
            return set()
        with self.engine.connect() as conn:
            return set(conn.execute(ERASED_OF, {"subjects": wanted}).scalars())

    def destroy(self, subject: str) -> None:
        """Erase the person's key for good (and mark them erased if they had none yet)."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(self.insert_missing(subject, None, erased_at=now))
            conn.execute(
                update(personal_data_keys)
                .where(personal_data_keys.c.subject_id == subject)
                .values(data_key=None, erased_at=now)
            )
        with self.lock:
            self.cached[subject] = (None, time.monotonic())

    def recent(self, subjects: Iterable[str]) -> dict[str, bytes | None]:
        """The keys of ``subjects`` fetched within the last few seconds."""
        since = time.monotonic() - self.cache_seconds
        with self.lock:
            hits = {s: self.cached.get(s) for s in subjects}
        return {s: hit[0] for s, hit in hits.items() if hit and hit[1] > since}

    def insert_missing(
        self, subject: str, key: bytes | None, erased_at: datetime | None = None
    ) -> Insert:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        row = {
            "subject_id": subject,
            "data_key": key,
            "created_at": datetime.now(UTC),
            "erased_at": erased_at,
        }
        return dialect.insert(personal_data_keys).values(row).on_conflict_do_nothing()

    def close(self) -> None:
        self.engine.dispose()


def open_personal_data_keys(settings: Settings, read_engine: Engine) -> PersonalDataKeys:
    """Beside the events: PostgreSQL's database, the embedded default's folder, or memory."""
    if settings.uses_postgres and not settings.read_database_url:
        # The read models' database is the events' own: its pool serves the lookups too, so a
        # role's connection budget (infra/roles.py) stays what it says.
        return PersonalDataKeys(read_engine)
    if settings.uses_postgres:
        url = settings.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        return PersonalDataKeys(create_engine(url, pool_size=1, max_overflow=0))
    if settings.database_url == "memory":
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        return PersonalDataKeys(engine)
    path = settings.data_dir / "personal-data-keys.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    return PersonalDataKeys(create_engine(f"sqlite:///{path}", connect_args={"timeout": 30}))
