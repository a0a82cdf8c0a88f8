"""The house's load-bearing rules, read from the imports themselves: ``core`` is the ground floor
and stands on no app but ``audit``; the demo is the top floor and no app stands on it."""

from __future__ import annotations

import ast
from pathlib import Path

import openmarac

ROOT = Path(openmarac.__file__).parent


def _modules(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def _project_apps_imported(path: Path) -> set[str]:
    """The ``openmarac`` apps a module imports, at the top or inside a function."""
    apps: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "openmarac" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def test_core_imports_no_app_of_the_project_but_audit():
    found = {
        str(path.relative_to(ROOT)): sorted(_project_apps_imported(path) - {"core", "audit"})
        for path in _modules("core")
    }
    offenders = {module: apps for module, apps in found.items() if apps}
    assert not offenders, f"core must stand on no app but audit: {offenders}"


def test_no_app_imports_the_demo():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "demo" not in path.relative_to(ROOT).parts[:1]
        and "migrations" not in path.parts
        and "demo" in _project_apps_imported(path)
    ]
    assert not offenders, f"only the demo app may import the demo: {offenders}"


def test_the_rule_reader_sees_imports_inside_functions():
    # The reader must not miss a lazy import, or the two tests above could not fail.
    sample = ROOT / "demo" / "partnership.py"
    assert {"licences", "referrals"} <= _project_apps_imported(sample)  # both inside functions
