"""The analytics projection: events into ClickHouse tables for the admin analytics."""
