"""Which analytics store a process uses, and opening it only when something needs it.

An empty ``clickhouse_url`` means chDB under ``data_dir / "analytics"``; anything else is a
ClickHouse server. Opening waits for the first call: a process that never touches analytics
(the write API, the relay) neither holds chDB's folder nor needs the server to be up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from infra.analytics.store import AnalyticsStore
from infra.settings import Settings


def open_analytics_store(settings: Settings) -> AnalyticsStore:
    if settings.clickhouse_url:
        from infra.analytics.clickhouse_store import ClickHouseStore

        return ClickHouseStore(settings)
    from infra.analytics.chdb_store import ChdbStore

    return ChdbStore(Path(settings.data_dir) / "analytics")


class OnFirstUse:
    """The store ``opener`` answers, opened by the first call; closing it is final."""

    def __init__(self, opener: Callable[[], AnalyticsStore]) -> None:
        self.opener = opener
        self.store: AnalyticsStore | None = None
        self.closed = False
        self.lock = threading.Lock()

    def opened(self) -> AnalyticsStore:
        with self.lock:
            if self.closed:
                raise RuntimeError("the analytics store is closed")
            if self.store is None:
                self.store = self.opener()
            return self.store

    def command(self, sql: str) -> None:
        self.opened().command(sql)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.opened().insert(table, rows)

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.opened().query(sql, parameters)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            if self.store is not None:
                self.store.close()
                self.store = None
