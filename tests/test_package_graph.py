"""The folders import each other only as README.md's table of the shape allows, with no cycle:
the layering is checked, not only described."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("domain", "schemas", "commands", "infra", "projections", "write_api", "read_api", "ops")


def allowed() -> dict[str, set[str]]:
    """Each folder's "may import" column of README.md's table."""
    table: dict[str, set[str]] = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (folder := re.fullmatch(r"`(\w+)/`", cells[0])):
            named = set(re.findall(r"`(\w+)`", cells[2]))
            table[folder[1]] = set(FOLDERS) if cells[2] == "everything" else named
    return table


def imports(folder: str) -> Iterator[tuple[str, str]]:
    """(module file, folder it imports) for every import of another of our folders."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if (top := name.split(".")[0]) in FOLDERS and top != folder:
                    yield str(path.relative_to(ROOT)), top


def test_the_table_names_every_folder():
    assert set(allowed()) == set(FOLDERS)


def test_each_folder_imports_only_what_the_table_allows():
    table = allowed()
    refused = [(file, top) for folder in FOLDERS for file, top in imports(folder)]
    assert [(f, t) for f, t in refused if t not in table[f.split("/")[0]]] == []


def test_no_two_folders_import_each_other_even_through_others():
    graph = {folder: {top for _, top in imports(folder)} for folder in FOLDERS}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(
            nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt}))
            for nxt in graph[start]
        )

    assert [folder for folder in FOLDERS if reaches(folder, folder, {folder})] == []
