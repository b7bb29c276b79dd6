"""The API folders answer from handlers' results and from read models, never from an aggregate:
no module of write_api/ or read_api/ imports an aggregate module.

An aggregate module is a module of domain/ that defines a class deriving from eventsourcing's
``Aggregate`` (found by importing domain/, so an aggregate derived from another counts too).
What the API may speak of besides (errors, value enums, ids) lives in modules beside them,
such as ``domain.commerce.payment_terms`` or ``domain.learning.enrollment_terms``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

from eventsourcing.domain import Aggregate

ROOT = Path(__file__).resolve().parent.parent
API_FOLDERS = ("write_api", "read_api")


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def aggregate_modules() -> set[str]:
    """The modules of domain/ that define (not merely import) an Aggregate subclass."""
    found = set()
    for path in sorted((ROOT / "domain").rglob("*.py")):
        module = importlib.import_module(module_name(path))
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Aggregate) and value.__module__ == module.__name__:
                found.add(module.__name__)
    return found


def imported_modules(path: Path) -> Iterator[str]:
    """Every module an import in ``path`` names, ``from a import b`` counting as a and a.b."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def api_imports_of_aggregates() -> set[tuple[str, str]]:
    aggregates = aggregate_modules()
    return {
        (str(path.relative_to(ROOT)), name)
        for folder in API_FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        for name in imported_modules(path)
        if name in aggregates
    }


def test_the_aggregate_modules_are_found():
    assert {
        "domain.commerce.payment",
        "domain.commerce.coupon",
        "domain.learning.certificate",
    } <= aggregate_modules()
    assert "domain.commerce.payment_terms" not in aggregate_modules()


def test_no_api_module_imports_an_aggregate_module():
    assert sorted(api_imports_of_aggregates()) == []
