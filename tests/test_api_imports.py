"""The API folders answer from handlers' results and from read models, never from an aggregate:
no module of write_api/ or read_api/ imports an aggregate module.

An aggregate module is a module of domain/ that defines a class deriving from eventsourcing's
``Aggregate`` (found by importing domain/, so an aggregate derived from another counts too).
What the API may speak of besides (errors, value enums, ids) lives in modules beside them,
such as ``domain.commerce.payment_terms``.
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
# Imports older than this rule: values and errors these modules take from a module that also
# holds an aggregate. Each goes when its values move beside the aggregate; none may be added.
NOT_YET_MOVED = {
    ("write_api/admin_users.py", "domain.users.user"),
    ("write_api/certificate_templates.py", "domain.courses.certificate_template"),
    ("read_api/certificate_templates.py", "domain.courses.certificate_template"),
    ("read_api/certificates.py", "domain.learning.certificate"),
    ("read_api/queries/certificate_templates.py", "domain.courses.certificate_template"),
    ("read_api/media.py", "domain.courses.media_library"),
}


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
    assert sorted(api_imports_of_aggregates() - NOT_YET_MOVED) == []


def test_an_import_moved_off_an_aggregate_module_leaves_the_list_of_those_not_yet_moved():
    assert sorted(NOT_YET_MOVED - api_imports_of_aggregates()) == []
