"""Secrets the embedded default generates once and keeps in its data directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from infra.settings import Settings


def configured_or_generated(
    settings: Settings, configured: str, filename: str, generate: Callable[[], str], name: str
) -> str:
    """``configured`` when set; else, in the embedded default only, a value generated into
    ``data_dir/filename`` on first use (readable by its owner alone) and read back after."""
    if configured:
        return configured
    if not settings.is_embedded:
        raise RuntimeError(f"{name} must be set outside the embedded default")
    path = Path(settings.data_dir) / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()
