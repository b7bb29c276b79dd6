"""The analytics store on a ClickHouse server, through clickhouse-connect (production).

The server binds ``{name:Type}`` parameters itself, and clickhouse-connect sends rows in
ClickHouse's Native format, so values never pass through SQL text. Datetimes come back aware
(UTC), as the chDB store answers them. No session is kept, so threads may share the client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import clickhouse_connect

from infra.settings import Settings


class ClickHouseStore:
    def __init__(self, settings: Settings) -> None:
        url = settings.clickhouse_url
        self.client = clickhouse_connect.get_client(dsn=url, tz_mode="aware", **options(url))

    def command(self, sql: str) -> None:
        self.client.command(sql)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            columns = list(rows[0])
            data = [[row[column] for column in columns] for row in rows]
            self.client.insert(table, data, column_names=columns)

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        answer = self.client.query(sql, parameters=dict(parameters or {}))
        return list(answer.named_results())

    def close(self) -> None:
        self.client.close()


def options(url: str) -> dict[str, Any]:
    scheme = urlsplit(url).scheme
    if not scheme.startswith("http"):
        return {}  # e.g. chdb://, clickhouse-connect's own in-process backend
    # A server session serves one query at a time; without one, threads query concurrently.
    return {"secure": scheme == "https", "autogenerate_session_id": False}
