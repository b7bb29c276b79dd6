"""ASGI entry point for uvicorn (``ops.asgi:app`` as a factory), configured from the environment."""

from __future__ import annotations

import os

from fastapi import FastAPI

from infra.logging import configure_logging
from infra.settings import Settings
from ops.app import create_app
from ops.bootstrap import bootstrap_when_ready


def app() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    return create_app(bootstrap_when_ready(settings), role=os.environ.get("CAMPUS_ROLE", "all"))  # type: ignore[arg-type]
