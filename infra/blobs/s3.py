"""A blob store in an S3-compatible bucket (AWS S3, MinIO, Ceph…): production media storage.

Uploads go through boto3's managed transfer, which switches to a multipart upload for large
files and aborts it on failure, so a refused upload never becomes an object. Byte ranges are
read with GetObject's ``Range``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from infra.blobs.limits import CHUNK, SizeLimitedReader
from infra.settings import Settings

PART = 8 * 1024 * 1024
# In the caller's thread: the upload stream is read from the request as it arrives, and a
# part at a time bounds the memory one upload takes.
TRANSFER = TransferConfig(multipart_threshold=PART, multipart_chunksize=PART, use_threads=False)
MISSING = {"NoSuchKey", "404", "NotFound"}


class S3BlobStore:
    def __init__(self, client: Any, bucket: str, max_bytes: int) -> None:
        self.client, self.bucket, self.max_bytes = client, bucket, max_bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> S3BlobStore:
        if not settings.s3_bucket:
            raise ValueError("CAMPUS_S3_BUCKET is required with CAMPUS_MEDIA_STORE=s3")
        endpoint = settings.s3_endpoint_url or None
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=settings.s3_region or None,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
            # S3-compatible servers at an address of their own serve buckets by path.
            config=Config(s3={"addressing_style": "path"} if endpoint else {}),
        )
        return cls(client, settings.s3_bucket, settings.media_max_bytes)

    def put(self, key: str, stream: BinaryIO, content_type: str) -> int:
        limited = SizeLimitedReader(stream, self.max_bytes)
        try:
            self.client.upload_fileobj(
                limited,
                self.bucket,
                key,
                ExtraArgs={"ContentType": content_type},
                Config=TRANSFER,
            )
        except BaseException:
            # Should the server have kept anything, it must not stay; the refusal still stands.
            with contextlib.suppress(Exception):
                self.delete(key)
            raise
        return limited.size

    def open_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        try:
            answer = self.client.get_object(
                Bucket=self.bucket, Key=key, Range=f"bytes={start}-{end}"
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                raise FileNotFoundError(key) from error
            raise
        return read_body(answer["Body"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)


def read_body(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()
