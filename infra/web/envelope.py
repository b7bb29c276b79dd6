"""Build enveloped JSON responses."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel
from starlette.responses import JSONResponse

from schemas.envelope import now_iso


class EnvelopeResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=str)


def success(
    data: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> EnvelopeResponse:
    body = {
        "status": "success",
        "data": encode(data),
        "error": None,
        "timestamp": now_iso(),
    }
    return EnvelopeResponse(body, status_code=status_code, headers=headers)


def encode(data: Any) -> Any:
    if isinstance(data, BaseModel):  # the common case, without the generic encoder's walk
        return data.model_dump(mode="json", by_alias=True)
    if isinstance(data, orjson.Fragment):  # JSON already (a cached page): embedded as it is
        return data
    return jsonable_encoder(data, by_alias=True)


def failure(
    status_code: int, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> EnvelopeResponse:
    error: dict[str, Any] = {"errorCode": status_code, "message": message}
    if details is not None:
        error["details"] = jsonable_encoder(details)
    body = {"status": "error", "data": None, "error": error, "timestamp": now_iso()}
    return EnvelopeResponse(body, status_code=status_code, headers=headers)
