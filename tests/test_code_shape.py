"""The package keeps the shape docs/architecture.md describes: layers that import one way, and
functions small enough to read (issue: one way through the code)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "matcher"
MAX_PARAMETERS = 7
MAX_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _parameters(node: ast.FunctionDef) -> int:
    a = node.args
    names = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
    n = len(names) + (a.vararg is not None) + (a.kwarg is not None)
    return n - (names[:1] in (["self"], ["cls"]))


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_only_the_cli_imports_the_commands():
    """No library module reaches up into the click layer: only matcher/cli.py imports commands."""
    offenders = []
    for path in _modules():
        rel = path.relative_to(PACKAGE.parent)
        if rel.parts[1] == "commands" or rel.name == "cli.py":
            continue
        ups = {m for m in _imported_modules(path) if m.startswith(("matcher.commands", "matcher.cli"))}
        if ups:
            offenders.append(f"{rel}: {sorted(ups)}")
    assert offenders == []


@pytest.mark.parametrize("limit", ["parameters", "lines"])
def test_functions_stay_small(limit):
    """No function under matcher/ takes more than 7 parameters or runs over 80 lines."""
    offenders = []
    for path in _modules():
        for node in _functions(path):
            size = _parameters(node) if limit == "parameters" else node.end_lineno - node.lineno + 1
            if size > (MAX_PARAMETERS if limit == "parameters" else MAX_LINES):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({size} {limit})")
    assert offenders == []
