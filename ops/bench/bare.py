"""A bare FastAPI endpoint returning a constant envelope: the floor a read endpoint is compared to.

Served with the very uvicorn settings of ``campus serve`` (factory, workers, no access log),
and a plain ``def`` like Campus's endpoints, so the gap to the read endpoint is Campus's own
work: middleware, token checks, Redis, the read-model query.
"""

from __future__ import annotations

import sys

from fastapi import FastAPI

CONSTANT = {"status": "success", "data": {"message": "hello"}, "error": None, "timestamp": "-"}


def create() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    def constant() -> dict:
        """A constant answer."""
        return CONSTANT

    @app.get("/health")
    def health() -> dict:
        """Ready."""
        return CONSTANT

    return app


def main(port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        "ops.bench.bare:create",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
