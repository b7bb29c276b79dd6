"""Blob storage for uploaded media: a local folder (the embedded default) or S3-compatible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.blobs.local import LocalBlobStore
from infra.settings import Settings

if TYPE_CHECKING:
    from infra.blobs.s3 import S3BlobStore


def open_blob_store(settings: Settings) -> LocalBlobStore | S3BlobStore:
    if settings.media_store == "s3":
        # Imported here: boto3 takes a noticeable part of a second to load, and the
        # embedded default never needs it.
        from infra.blobs.s3 import S3BlobStore

        return S3BlobStore.from_settings(settings)
    return LocalBlobStore(settings.data_dir / "media", settings.media_max_bytes)
