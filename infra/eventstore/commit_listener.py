"""Wake a follower of the event store when events commit, instead of polling for them.

The library's PostgreSQL recorder sends ``NOTIFY <app>_events`` in the same transaction as
every insert, so a notification arrives only once the events are visible. One connection
LISTENs on every application's channel; waiting returns as soon as any commits, or after the
given seconds (the fallback poll, which finds what a lost notification would have announced).
A broken connection is logged, waited out like a timeout and opened again, and the first wait
after (re)connecting returns at once: commits made while nobody listened are then read.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Sequence

import psycopg
from eventsourcing.application import Application
from psycopg import sql

from infra.roles import connection_name
from infra.settings import Settings

log = logging.getLogger("campus.listener")

# Notifications read in one go after a wake-up: a burst of commits is one wake-up, not many.
DRAIN_AT_MOST = 10_000


class CommitListener:
    def __init__(self, database_url: str, channels: Sequence[str], name: str) -> None:
        self.database_url = database_url
        self.channels = list(channels)
        self.name = name  # application_name in pg_stat_activity
        self.conn: psycopg.Connection | None = None
        self.stop = threading.Event()  # set by close(): a wait in progress returns

    def wait(self, seconds: float) -> bool:
        """Until a commit is notified (True) or ``seconds`` pass (False)."""
        try:
            if self.conn is None:
                self.conn = self.listening()
                return True
            return self.notified(self.conn, seconds)
        except psycopg.Error as error:
            log.warning("not listening for commits (%r); polling until it reconnects", error)
            self.drop()
            self.stop.wait(seconds)
            return False

    def listening(self) -> psycopg.Connection:
        conn = psycopg.connect(self.database_url, autocommit=True, application_name=self.name)
        for channel in self.channels:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        return conn

    @staticmethod
    def notified(conn: psycopg.Connection, seconds: float) -> bool:
        if not any(True for _ in conn.notifies(timeout=seconds, stop_after=1)):
            return False
        for _ in range(DRAIN_AT_MOST):  # psycopg hands over one pending notification per call
            if not any(True for _ in conn.notifies(timeout=0, stop_after=1)):
                break
        return True

    def drop(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(psycopg.Error):
                self.conn.close()
            self.conn = None

    def close(self) -> None:
        self.stop.set()
        self.drop()


def listen_for_commits(settings: Settings, apps: Sequence[Application]) -> CommitListener | None:
    """A listener on the applications' event stores; None where they cannot notify (SQLite)."""
    if not settings.uses_postgres:
        return None
    channels = [app.recorder.channel_name for app in apps]  # type: ignore[attr-defined]
    return CommitListener(settings.database_url, channels, connection_name(settings.role))
