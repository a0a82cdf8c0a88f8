"""The house's load-bearing rules, read from the imports themselves: ``core`` is the ground floor
and stands on no app but ``audit``; the demo is the top floor and no app stands on it; no two
modules import each other, however indirectly; each floor stands only on the floors below it, but
for the exceptions listed here (docs/architecture.md); each app has one line of migrations."""

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


# --- The module graph -------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {
    _module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts
}


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imported_modules(name: str) -> set[str]:
    """The project modules ``name`` imports when it runs: at the top or inside a function, relative
    imports resolved, ``from package import module`` counted as the module; imports made only for
    the type checker (under ``if TYPE_CHECKING:``) are left out, since they never run."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    stack: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while stack:
        node = stack.pop()
        if _is_type_checking_block(node):
            continue
        stack.extend(ast.iter_child_nodes(node))
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
                for alias in node.names
            ]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


GRAPH = {name: _imported_modules(name) for name in MODULES}


def test_no_two_modules_import_each_other_even_through_others():
    assert _cycles(GRAPH) == [], (
        "import cycles between modules (break each one; see docs/architecture.md)"
    )


def test_the_cycle_finder_finds_a_cycle_three_modules_long():
    # The rule above could not fail if the finder missed indirect cycles.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_the_graph_reader_resolves_relative_imports_and_skips_type_checking_ones():
    # accounts.views imports ``from .forms import ...``; a relative import must become an edge.
    assert "openmarac.accounts.forms" in GRAPH["openmarac.accounts.views"]
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n"
    tree = ast.parse(source)
    assert any(_is_type_checking_block(node) for node in tree.body)


# --- The floors -------------------------------------------------------------------------------

# Each app's floor (docs/architecture.md). An app may import apps on its own floor or below.
FLOORS = {
    "core": 0,
    "audit": 0,
    "notifications": 1,
    "jobs": 1,
    "partnerships": 2,
    "agencies": 2,
    "accounts": 2,
    "drafts": 2,
    "checklists": 2,
    "licences": 2,
    "people": 3,
    "cases": 3,
    "caseaccess": 3,
    "referrals": 4,
    "triage": 4,
    "meetings": 4,
    "research": 4,
    "proceedings": 4,
    "actions": 4,
    # Emergency MARACs run a pathway over meetings, research and actions (same floor); triage
    # starts a request when it accepts a referral that asks for one, so it sits beside them.
    "emergencies": 4,
    # The IDVA clock reads cases and referrals; triage opens it on acceptance and reads the
    # stored engagement, and the meeting screen shows it.
    "idva": 4,
    "reports": 5,
    # Retention disposes of every workflow app's rows (found through the models, not imported)
    # and reads their records for the archive, so it stands above them all; no app below may
    # depend on it (archiving and un-archiving a case are ``cases.archive``, for triage).
    "retention": 5,
    # Subject access and court disclosure read every workflow app's records about a person or
    # a case to copy them into a request; nothing depends on them.
    "disclosure": 5,
    # Letters read whether a meeting heard the case (meetings, proceedings).
    "letters": 5,
    # Search reads cases, people and referrals through their scoping selectors.
    "search": 5,
    # Each role's home reads the work lists of every workflow app; it never writes.
    "workspace": 5,
    # The case record reads every workflow app's records about one case to tell its story;
    # nothing depends on it (the case app links to it by URL name only).
    "caserecord": 5,
    "demo": 5,
}

# The imports that still reach up a floor, each with why. The list may only shrink: a new upward
# import fails the test below, and so does an entry that is no longer needed.
KNOWN_UPWARD = {
    # The audit log is ground floor; its reports for the hub (who saw what, by user or case) read
    # users, cases, licences and restricted-case grants, and its anchor sweep e-mails the
    # partnership's security contact through the job and notice machinery.
    ("audit", "accounts"),
    ("audit", "cases"),
    ("audit", "licences"),
    ("audit", "caseaccess"),
    ("audit", "jobs"),
    ("audit", "notifications"),
    ("audit", "partnerships"),
    # A licence can cover named cases as well as areas, so licences know the Case model.
    ("licences", "cases"),
    # The partnership settings page counts the cases an area change would affect.
    ("partnerships", "cases"),
    # Linking a referral's person to a stored person updates the referral's participant.
    ("people", "referrals"),
}


def _upward_imports() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for name, targets in GRAPH.items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in FLOORS:
            continue
        for target in targets:
            other = target.split(".")[1] if target.count(".") else ""
            if other in FLOORS and FLOORS[other] > FLOORS[parts[1]]:
                found.setdefault((parts[1], other), []).append(f"{name} -> {target}")
    return found


def test_every_app_has_a_floor():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= set(FLOORS), f"give each new app a floor: {sorted(apps - set(FLOORS))}"


def test_no_app_reaches_up_a_floor_but_the_known_exceptions():
    found = _upward_imports()
    new = {pair: found[pair] for pair in set(found) - KNOWN_UPWARD}
    assert not new, f"imports reaching up a floor: {new}"
    stale = KNOWN_UPWARD - set(found)
    assert not stale, f"no longer needed, remove from KNOWN_UPWARD: {sorted(stale)}"


# --- Migrations -------------------------------------------------------------------------------


def test_each_app_has_one_line_of_migrations_and_no_merges():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {key for key in loader.disk_migrations if key[0] in FLOORS}
    apps = {app for app, _ in ours}
    leaves = {app: loader.graph.leaf_nodes(app) for app in apps}
    assert all(len(nodes) == 1 for nodes in leaves.values()), leaves
    merges = [
        key
        for key in ours
        if sum(dep[0] == key[0] for dep in loader.disk_migrations[key].dependencies) > 1
        or "merge" in key[1].split("_")
    ]
    assert not merges, f"merge migrations: rebase the migration instead ({merges})"


# --- Module size ------------------------------------------------------------------------------

LONGEST_MODULE = 500  # lines; past this a module becomes a package named by sub-concept


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }
    assert not long, f"split these into modules named for what they hold: {long}"
