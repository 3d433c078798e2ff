"""Every module on its floor: the import graph of Cadence's application code.

Floors, from the ground up (docs/architecture.md). An application module may import its
own app and the apps on lower floors, at module top. The test reads every module's source
(AST, nothing is imported), the way the access matrix reads every route, and fails on:
- an import that runs up (or sideways, to another app on the same floor);
- an import circle between modules;
- a cross-app import inside a function, beyond the few deliberate ones that say why with a
  `# layer:` comment on the import line;
- `apps.get_model`, `import_module` or `except ImportError` standing in for an import.
Tests and migrations are not application code and are not walked.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "cadence"

FLOORS: dict[str, int] = {
    "rules": 1,
    "security": 1,
    "audit": 2,
    "accounts": 3,
    "patients": 4,
    "treatments": 5,
    "diary": 6,
    "scheduling": 7,
    "intake": 7,
    "outcomes": 8,
    "candidacy": 9,  # reads the baseline, whose owner is outcomes
    "surgery": 10,  # reads treatments, diary, outcomes and candidacy
    "interop": 11,
    "demo": 12,
}
MAX_DELIBERATE_INNER_IMPORTS = 3
FORBIDDEN_CALLS = ("get_model", "import_module")


@dataclass(frozen=True)
class ImportLine:
    module: str
    target: str
    line: int
    at_top: bool
    deliberate: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "cadence" and len(parts) > 1 else None


def application_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if not node.level:
        base = node.module or ""
        return [f"{base}.{alias.name}" for alias in node.names] + [base]
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - node.level + 1]
    base = ".".join([*parts, node.module] if node.module else parts)
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def imports_of(path: Path, module: str | None = None) -> tuple[list[ImportLine], list[str]]:
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    module = module or _module_name(path)
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # imports guarded by `if TYPE_CHECKING:` count as top-level
        if isinstance(node, ast.If):
            top_level.update(id(child) for child in node.body)
    found: list[ImportLine] = []
    forbidden: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            targets = _resolve(module, path.name == "__init__.py", node)
        else:
            if isinstance(node, ast.Attribute | ast.Name):
                name = node.attr if isinstance(node, ast.Attribute) else node.id
                if name in FORBIDDEN_CALLS:
                    forbidden.append(f"{module}:{node.lineno} uses {name}")
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = ast.unparse(node.type)
                if "ImportError" in caught or "ModuleNotFoundError" in caught:
                    forbidden.append(f"{module}:{node.lineno} catches {caught}")
            continue
        source_line = lines[node.lineno - 1]
        for target in targets:
            if target.startswith("cadence"):
                found.append(
                    ImportLine(
                        module=module,
                        target=target,
                        line=node.lineno,
                        at_top=id(node) in top_level,
                        deliberate="# layer:" in source_line,
                    )
                )
    return found, forbidden


def _all_imports() -> tuple[list[ImportLine], list[str], set[str]]:
    every: list[ImportLine] = []
    forbidden: list[str] = []
    modules: set[str] = set()
    for path in application_modules():
        found, bad = imports_of(path)
        every.extend(found)
        forbidden.extend(bad)
        modules.add(_module_name(path))
    return every, forbidden, modules


def test_every_app_has_a_floor():
    apps = {
        path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()
    }
    assert apps - set(FLOORS) == set(), "give each new app a floor in FLOORS and the docs"


def test_no_import_runs_up_or_sideways():
    every, _, _ = _all_imports()
    wrong = []
    for line in every:
        source_app, target_app = _app_of(line.module), _app_of(line.target)
        if source_app is None or target_app is None or source_app == target_app:
            continue
        if FLOORS[target_app] >= FLOORS[source_app]:
            wrong.append(f"{line.module}:{line.line} -> {line.target}")
    assert sorted(set(wrong)) == []


def test_cross_app_imports_sit_at_module_top():
    every, _, _ = _all_imports()
    inner = {
        (line.module, line.line, line.deliberate)
        for line in every
        if not line.at_top and _app_of(line.module) != _app_of(line.target)
    }
    undeclared = sorted(f"{m}:{n}" for m, n, deliberate in inner if not deliberate)
    assert undeclared == [], "move the import to the module top, or say why with `# layer:`"
    deliberate = [f"{m}:{n}" for m, n, ok in inner if ok]
    assert len(deliberate) <= MAX_DELIBERATE_INNER_IMPORTS, deliberate


def test_no_hidden_imports():
    _, forbidden, _ = _all_imports()
    assert forbidden == []


def test_rules_import_no_django():
    every_rules = [p for p in application_modules() if "rules" in p.relative_to(PACKAGE).parts]
    for path in every_rules:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_no_import_circle():
    every, _, modules = _all_imports()
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for line in every:
        if not line.at_top:
            continue
        # `from cadence.x import y` names either a module or a name in cadence.x
        target = line.target if line.target in modules else line.target.rpartition(".")[0]
        if target in modules and target != line.module:
            graph[line.module].add(target)
    circles = _strongly_connected(graph)
    assert [sorted(c) for c in circles if len(c) > 1] == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[set[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components


def test_the_walker_sees_a_wrong_import(tmp_path):
    """The walker itself: an upward import inside a function of a scratch module is seen."""
    scratch = tmp_path / "probe.py"
    scratch.write_text("import os\n\ndef f():\n    from ..outcomes import selectors\n")
    found, _ = imports_of(scratch, module="cadence.accounts.probe")
    assert [(line.target, line.at_top) for line in found] == [
        ("cadence.outcomes.selectors", False),
        ("cadence.outcomes", False),
    ]
