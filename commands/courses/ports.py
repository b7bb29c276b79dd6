"""Ports the course use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import BinaryIO, Protocol


class BlobStore(Protocol):
    """Where uploaded files live: written once under a key, read back by byte range.

    Adapters: ``LocalBlobStore`` (a folder, the embedded default) and ``S3BlobStore``.
    """

    max_bytes: int

    def put(self, key: str, stream: BinaryIO, content_type: str) -> int:
        """Store everything ``stream`` yields under ``key``; answer its size in bytes.

        The size is counted while streaming (a declared length is never trusted): past
        ``max_bytes`` the write stops, nothing stays stored and ``TooLargeError`` is raised.
        A reader never sees a half-written blob.
        """

    def open_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start``..``end`` (inclusive) of the blob, in chunks.

        Raises ``FileNotFoundError`` at once (not while iterating) for an unknown key.
        """

    def delete(self, key: str) -> None:
        """Remove the blob; an unknown key is not an error."""


class OneAtATime(Protocol):
    """A section that runs in one command at a time across every process of the deployment:
    an advisory lock on PostgreSQL, a file lock in the embedded default's data folder."""

    def __call__(self, name: str) -> AbstractContextManager[None]: ...
