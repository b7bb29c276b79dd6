"""Which failures are retried where they happened (the world's) and which are set aside (the
data's): the drivers' connection faults are the world's, a malformed value is the data's."""

from __future__ import annotations

import psycopg
import pytest
import redis
import sqlalchemy.exc

from infra.faults import is_transient


@pytest.mark.parametrize(
    "fault",
    [
        psycopg.OperationalError("server closed the connection unexpectedly"),
        redis.ConnectionError("Connection refused"),
        redis.TimeoutError("Timeout reading from socket"),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("database is locked")),
        ConnectionResetError(),
        TimeoutError(),
    ],
    ids=lambda fault: type(fault).__name__,
)
def test_a_server_away_or_busy_is_transient(fault):
    assert is_transient(fault)


def test_kafka_away_or_slow_is_transient():
    # Imported here, not at collection: Kafka's client costs every test process a tenth of a
    # second, and this is the only fast test that needs it.
    from kafka.errors import KafkaConnectionError, KafkaTimeoutError

    assert is_transient(KafkaConnectionError("socket disconnected"))
    assert is_transient(KafkaTimeoutError("Failed to update metadata after 60.0 secs."))


@pytest.mark.parametrize(
    "failure",
    [
        ValueError("not a decimal: 'ten'"),
        KeyError("course_id"),
        psycopg.errors.UniqueViolation("duplicate key"),
        sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")),
        redis.ResponseError("WRONGTYPE"),
    ],
    ids=lambda failure: type(failure).__name__,
)
def test_a_failure_of_the_data_is_not_transient(failure):
    assert not is_transient(failure)


def test_a_connection_the_pool_invalidated_is_transient_whatever_its_error():
    lost = sqlalchemy.exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True)

    assert is_transient(lost)
