"""Count a stream's bytes as they are read and refuse it past a size limit.

A declared length (Content-Length, a multipart header) is the sender's claim; only the bytes
actually read are counted, so a limit holds whatever the client says.
"""

from __future__ import annotations

from typing import BinaryIO

from domain.errors import TooLargeError

CHUNK = 1024 * 1024


class SizeLimitedReader:
    """Reads through to ``source``; raises ``TooLargeError`` once more than ``max_bytes`` came."""

    def __init__(self, source: BinaryIO, max_bytes: int) -> None:
        self.source, self.max_bytes, self.size = source, max_bytes, 0

    def read(self, size: int = -1) -> bytes:
        """Exactly ``size`` bytes unless the stream ends first (a request body gives less per
        read; boto3 takes a short read for the end of the file)."""
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        parts, wanted = [], size
        while wanted > 0 and (chunk := self.source.read(wanted)):
            parts.append(chunk)
            wanted -= len(chunk)
        self.size += size - wanted
        if self.size > self.max_bytes:
            raise TooLargeError(f"The file is larger than the limit of {self.max_bytes} bytes")
        return b"".join(parts)

    def readable(self) -> bool:
        return True
