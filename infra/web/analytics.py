"""The analytics store as a dependency of the routers that read or write it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from infra.analytics.store import AnalyticsStore


def analytics_store(request: Request) -> AnalyticsStore:
    return request.app.state.analytics


Analytics = Annotated[AnalyticsStore, Depends(analytics_store)]
