"""A blob store in a local folder: the embedded default.

Each blob is written to a temporary file in the same folder tree and renamed into place only
once complete and flushed, so a reader never sees half a file and a refused or interrupted
upload leaves nothing behind. Content types are not kept: the media read model has them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from infra.blobs.limits import CHUNK, SizeLimitedReader

KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")


class LocalBlobStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root, self.max_bytes = Path(root), max_bytes
        self.incoming = self.root / ".incoming"  # same file system: the rename is atomic

    def path_of(self, key: str) -> Path:
        # Keys are ours, but a key must never reach outside the folder whatever it holds.
        if not KEY.fullmatch(key):
            raise ValueError(f"invalid blob key: {key!r}")
        return self.root / key

    def put(self, key: str, stream: BinaryIO, content_type: str) -> int:
        path = self.path_of(key)
        self.incoming.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.incoming)
        try:
            limited = SizeLimitedReader(stream, self.max_bytes)
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(limited, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())  # the event recorded next must not outlive the bytes
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return limited.size

    def open_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        handle = open(self.path_of(key), "rb")  # noqa: SIM115 - closed by the generator
        handle.seek(start)
        return read_chunks(handle, end - start + 1)

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)


def read_chunks(handle: BinaryIO, remaining: int) -> Iterator[bytes]:
    with handle:
        while remaining > 0 and (chunk := handle.read(min(CHUNK, remaining))):
            remaining -= len(chunk)
            yield chunk
