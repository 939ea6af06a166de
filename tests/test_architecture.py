"""The package's shape, as docs/architecture.md describes it: stages as sub-packages whose imports
only point down, no import cycle (type-only imports included), small modules, and every
sub-package saying what it takes, what it makes and what it must not know."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "gkml_ssg"
# Each layer may import the layers below it, never its own rank's other packages or those above.
LAYERS: dict[str, float] = {
    "keys": 0,
    "theme": 0,
    "content": 1,
    "tables": 1.5,
    "form": 1.6,
    "importing": 1.7,
    "export": 1.7,
    "numbering": 1.7,
    "audit": 1.9,
    "site": 2,
    "render": 3,
    "search": 3,
    "build": 4,
    "check": 5,
    "publish": 5,
    "serve": 5,
    "scaffold": 5,
    "cli": 6,
    "__main__": 7,
    "__init__": 7,
}
MODULE_LINES = 300


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def imports_of(path: Path) -> set[str]:
    """The gkml_ssg modules a module imports, anywhere in it (type-only imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gkml_ssg"):
            assert node.level == 0, f"{path}: relative import"
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists() else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("gkml_ssg")}
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {module: imports_of(path) - {module} for module, path in MODULES.items()}


def test_imports_only_point_down():
    wrong = []
    for module, imported in GRAPH.items():
        for target in imported:
            if layer(target) != layer(module) and LAYERS[layer(target)] >= LAYERS[layer(module)]:
                wrong.append(f"{module} → {target}")
    assert not wrong, wrong


def test_there_is_no_import_cycle():
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " → ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for target in sorted(GRAPH.get(module, ())):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in GRAPH:
        visit(module)


def test_modules_are_small():
    large = {module: lines for module, path in MODULES.items() if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES}
    assert not large, large


def test_every_stage_says_what_it_takes_makes_and_must_not_know():
    for package in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
        for part in ("Input:", "Output:", "Must not know:"):
            assert part in doc, f"{package.name}/__init__.py lacks “{part}”"


def test_no_stage_loads_content_but_the_build_state():
    """Only the build state (and the commands that check or load content themselves) read content."""
    callers = {module for module, imported in GRAPH.items() if "gkml_ssg.content.load" in imported and "load_content" in MODULES[module].read_text(encoding="utf-8")}
    assert callers <= {"gkml_ssg.content.load", "gkml_ssg.build.state", "gkml_ssg.check.command", "gkml_ssg.cli.numbers", "gkml_ssg.cli.coverage"}, callers
