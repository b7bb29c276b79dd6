"""The analytics store: ClickHouse, in-process (chDB) or as a server (clickhouse-connect)."""
