"""The port the analytics projector and queries use: run ClickHouse SQL, insert rows, read rows.

Two adapters speak the same SQL: ``ChdbStore`` (ClickHouse's engine in this process, the
embedded default and the tests) and ``ClickHouseStore`` (a ClickHouse server through
clickhouse-connect, in production). Nothing above this port knows which one runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class AnalyticsStoreHeldError(RuntimeError):
    """Another process holds the analytics store (chDB serves one process per folder)."""


class AnalyticsStore(Protocol):
    def command(self, sql: str) -> None:
        """Run a statement that answers nothing (DDL, ``OPTIMIZE``, ``TRUNCATE``)."""

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows (dicts keyed by column name; every row has the same keys)."""

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a ``SELECT``; ``{name:Type}`` placeholders are bound from ``parameters``."""

    def close(self) -> None: ...
