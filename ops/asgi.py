"""ASGI entry point for uvicorn (``ops.asgi:app`` as a factory), configured from the environment."""

from __future__ import annotations

from fastapi import FastAPI

from infra.logging import configure_logging
from infra.settings import Settings
from ops.app import create_app
from ops.bootstrap import bootstrap_when_ready


def app() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    # `campus serve --role` sets CAMPUS_ROLE, which also sizes the pools (infra/roles.py).
    return create_app(bootstrap_when_ready(settings), role=settings.role)  # type: ignore[arg-type]
