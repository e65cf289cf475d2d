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


# --- the run in order: read -> solve -> check -> analyse -> write -----------------------------

#: The writers render an analysis; they never compute one.
WRITERS = ("output", "maps")
#: What only the solver and the analysis may import.
SOLVING = ("matcher.solver", "matcher.analysis.marginal", "matcher.analysis.analysis")
#: Modules at the top of the package: the ones everybody uses, and the run itself.
MAX_TOP_MODULES = 10


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The matcher modules a module imports when it runs (anywhere in it, functions included;
    not what it imports for type checkers only). ``from a import b`` counts as a.b when b is a
    module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for stmt in node.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                child = f"{node.module}.{a.name}"
                found.add(child if child in known else node.module)
    return found & known


def _import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in _modules()}
    known = set(paths)
    return {name: _runtime_imports(path, known) for name, path in paths.items()}


def test_the_writers_never_import_solver_code():
    """No module under matcher/output/ or matcher/maps/ imports the solver, the flow, the
    candidates, the value of one more place or the analysis that computes it: writers render."""
    offenders = [
        f"{name}: {sorted(bad)}" for name, imported in _import_graph().items()
        if name.split(".")[1:2] and name.split(".")[1] in WRITERS
        and (bad := {m for m in imported if m.startswith(SOLVING)})
    ]
    assert offenders == []


def test_no_import_circle_anywhere():
    """No module under matcher/ imports one that imports it back, directly or through others."""
    graph = _import_graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == []


def test_the_folders_show_the_stages():
    """At most ten modules stay at the top of matcher/; the stages each have their folder."""
    top = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(top) <= MAX_TOP_MODULES, top
    for stage in ("input", "solver", "analysis", "output"):
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


def test_the_public_api_is_importable_from_matcher():
    """What the README shows keeps working from ``matcher`` itself: read_instance, solve, check, run."""
    import matcher
    from matcher.analysis.check import check
    from matcher.input.source import read_instance
    from matcher.pipeline import run
    from matcher.solver.solve import solve

    assert (matcher.read_instance, matcher.solve, matcher.check, matcher.run) == (read_instance, solve, check, run)
    assert matcher.analyse.__module__ == "matcher.analysis.analysis"


def test_the_help_page_loads_no_solver_and_no_numpy():
    """``matcher --help`` imports each command's module for its short help: none of them may load
    the solver, the pipeline or numpy before it runs (the help page stays quick)."""
    import subprocess
    import sys

    probe = ("import sys\nfrom click.testing import CliRunner\nfrom matcher.cli import main\n"
             "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
             "print(sorted(m for m in ('numpy', 'matcher.pipeline', 'matcher.solver.solve', 'pandas') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
