"""The analytics store on chDB: ClickHouse's own engine inside this process (the embedded default).

chDB hosts one engine per process, bound to one folder, and a second process cannot open a
folder that one already holds. So every ``ChdbStore`` on a folder shares one session, its calls
take turns on one lock, and the session closes when the last store on it does. Parameters
are bound by the engine (``{name:Type}``), from values escaped here: a value is only ever data.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chdb.session import Session

from infra.analytics.store import AnalyticsStoreHeldError
from infra.analytics.values import bind, json_value, typed

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Shared:
    session: Session
    lock: threading.Lock
    users: int = 0


_shared: dict[Path, Shared] = {}
_registry = threading.Lock()


def acquire(path: Path) -> Shared:
    with _registry:
        if path not in _shared:
            if _shared:
                held = ", ".join(str(p) for p in _shared)
                raise RuntimeError(f"chDB already serves {held} in this process, not {path}")
            _shared[path] = Shared(open_session(path), threading.Lock())
        _shared[path].users += 1
        return _shared[path]


def open_session(path: Path) -> Session:
    path.mkdir(parents=True, exist_ok=True)
    try:  # UTC: a DateTime without its own zone then reads the same on every machine
        return Session(f"{path}?session_timezone=UTC")
    except RuntimeError as error:
        raise AnalyticsStoreHeldError(
            f"cannot open chDB on {path}, which serves one process at a time (is another "
            f"Campus process using it? set CAMPUS_CLICKHOUSE_URL to share a server): {error}"
        ) from error


def release(path: Path) -> None:
    with _registry:
        shared = _shared[path]
        shared.users -= 1
        if shared.users == 0:
            with shared.lock:  # after the call in flight, if any
                shared.session.close()
            del _shared[path]


class ChdbStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self.shared: Shared | None = acquire(self.path)

    def command(self, sql: str) -> None:
        with self.session() as session:
            session.query(sql)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        if not IDENTIFIER.fullmatch(table):
            raise ValueError(f"not a table name: {table!r}")
        lines = "\n".join(json.dumps(dict(row), default=json_value) for row in rows)
        with self.session() as session:
            session.query(f"INSERT INTO `{table}` FORMAT JSONEachRow\n{lines}")

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        params = {name: bind(value) for name, value in (parameters or {}).items()}
        with self.session() as session:
            answer = session.query(sql, "JSON", params=params).bytes()
        if not answer:
            return []
        result = json.loads(answer)
        types = {column["name"]: column["type"] for column in result["meta"]}
        return [{k: typed(v, types[k]) for k, v in row.items()} for row in result["data"]]

    def close(self) -> None:
        if self.shared is not None:
            self.shared = None
            release(self.path)

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self.shared is None:
            raise RuntimeError(f"the analytics store on {self.path} is closed")
        with self.shared.lock:  # one call at a time: the engine's connection is not shared
            yield self.shared.session
