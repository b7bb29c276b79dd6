"""The tests run on the locked dependencies, so a result never depends on the day of the install."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

LOCK = Path(__file__).parent.parent / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.MULTILINE)


def locked_versions() -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(LOCK.read_text())}


def installed_versions() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def test_every_locked_package_is_installed_at_its_locked_version():
    installed = installed_versions()
    drift = {
        name: (version, installed.get(name))
        for name, version in locked_versions().items()
        if installed.get(name) != version
    }
    assert not drift, f"not the locked environment (run ops/install.sh): {drift}"


def test_the_lock_pins_the_packages_that_shape_the_api_document():
    assert {"fastapi", "starlette", "pydantic", "pydantic-core"} <= set(locked_versions())
