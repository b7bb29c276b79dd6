"""JSON logs, one object per line, each stamped with the request's correlation id."""

from __future__ import annotations

import logging
import sys

import orjson

from infra import context
from schemas.envelope import now_iso


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": now_iso(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlationId": context.correlation_id.get(),
        }
        entry |= getattr(record, "fields", {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure_logging(level: str, as_json: bool) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter()
        if as_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = True  # our access log carries the request id
    logging.getLogger("kafka").setLevel(logging.WARNING)
