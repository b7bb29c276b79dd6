"""The eventsourcing library's environment for one application, derived from settings."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from infra.roles import connection_name
from infra.settings import Settings

# Read by the shared pool (infra/eventstore/shared_pool.py), named here: that module loads
# PostgreSQL's driver, which a process on the embedded default never needs to import.
APPLICATION_NAME = "POSTGRES_APPLICATION_NAME"


def event_store_env(settings: Settings, app_name: str) -> dict[str, str]:
    env = {"MAPPER_TOPIC": "infra.eventstore.mapper:MetadataMapper"}
    if settings.aggregate_cache_size > 0:  # the library reads 0 as "unbounded"
        # Keep recently used aggregates; a load then reads only the events stored since
        # (fast-forward), instead of replaying a long history on every command.
        env |= {
            "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
            "AGGREGATE_CACHE_FASTFORWARD": "y",
        }
    if settings.event_cipher_key:
        env |= {
            "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "CIPHER_KEY": settings.event_cipher_key,
        }
    if settings.uses_postgres:
        return env | postgres_env(settings)
    if settings.database_url == "memory":
        return env | {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    events_dir = settings.data_dir / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    # SQLite table names are fixed, so each application gets a file of its own.
    return env | {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(events_dir / f"{app_name}.sqlite"),
        "SQLITE_LOCK_TIMEOUT": "10",
    }


def postgres_env(settings: Settings) -> dict[str, str]:
    # One pool for the whole process, opened on demand and no larger than the role's budget
    # (infra/roles.py): a read API or a projector that never writes events holds none.
    return postgres_connection_env(settings.database_url, 0) | {
        "PERSISTENCE_MODULE": "infra.eventstore.shared_pool:SharedPoolFactory",
        "POSTGRES_MAX_OVERFLOW": str(settings.pools.event_store),
        APPLICATION_NAME: connection_name(settings.role),
        "POSTGRES_LOCK_TIMEOUT": "5",
        # The library's 5 s ends a connection whose process stalled between two statements of
        # one short transaction (seen on a starved two-core machine, while the type adapters
        # were fetched at start); a leaked transaction still ends, only later.
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "30",
        "CREATE_TABLE": "y",
    }


def postgres_connection_env(database_url: str, pool_size: int) -> dict[str, str]:
    """The library's PostgreSQL settings for a ``postgresql://`` URL."""
    url = urlparse(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.path.lstrip("/"),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or ""),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
    }
