"""competitions sits on top: it may import innovations and jipp, and no other app of the project
(docs/architecture.md); neither innovations nor jipp imports it."""

import ast
from pathlib import Path

from django.conf import settings

PROJECT_APPS = {"jipp", "innovations", "catalog", "competitions"}


def project_imports(app: str, root: Path = settings.BASE_DIR) -> dict[str, set[str]]:
    """Each project app imported by the modules of `app` (migrations aside), with the files importing it."""
    found: dict[str, set[str]] = {}
    for module in sorted((root / app).rglob("*.py")):
        if "migrations" in module.parts:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PROJECT_APPS and top != app:
                    found.setdefault(top, set()).add(str(module.relative_to(root)))
    return found


def test_competitions_imports_only_innovations_and_jipp():
    assert sorted(project_imports("competitions")) == ["innovations", "jipp"]


def test_innovations_and_jipp_never_import_competitions():
    assert [app for app in ("innovations", "jipp") if "competitions" in project_imports(app)] == []
