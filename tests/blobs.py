"""A real S3-compatible HTTP server on loopback for tests: moto's server, one bucket per test."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

CREDENTIALS = {"s3_access_key_id": "campus-test", "s3_secret_access_key": "campus-test-secret"}


@contextmanager
def s3_server() -> Iterator[str]:
    """An S3 API on a free loopback port; answers its endpoint URL."""
    # moto and boto3 are imported when a test asks for S3, not when every test process collects
    # the modules that use this one.
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def new_bucket(endpoint: str) -> dict[str, str]:
    """Create a bucket; answer the settings that point Campus's S3 adapter at it."""
    import boto3

    bucket = f"campus-media-{uuid.uuid4().hex[:10]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["s3_access_key_id"],
        aws_secret_access_key=CREDENTIALS["s3_secret_access_key"],
    )
    client.create_bucket(Bucket=bucket)
    return {"media_store": "s3", "s3_endpoint_url": endpoint, "s3_bucket": bucket} | CREDENTIALS
