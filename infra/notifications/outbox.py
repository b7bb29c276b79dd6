"""The embedded default's outbox: each message a file in a folder, written whole or not at all,
named after its notification so a retry overwrites rather than duplicates it."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


def safe_name(message_id: str) -> str:
    """The id as a file name that cannot reach outside the folder."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", message_id)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
