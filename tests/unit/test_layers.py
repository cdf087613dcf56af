"""The layer rules of ARCHITECTURE.md, checked on the source: a context's pure core imports only
the standard library and other pure cores; the product never imports the evaluation harness.

A failure names the module and the import, so a new violation is found where it is written.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "tradewind"
CONTEXTS = (
    "catalog",
    "marketplace",
    "orders",
    "fulfillment",
    "transport",
    "customs",
    "tracking",
    "governance",
    "economics",
)
# Pure packages: the contexts' cores, the shared kernel and the simulated world's core.
PURE = (*CONTEXTS, "shared", "simulation")
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Every module imported anywhere in the file (top level, functions, TYPE_CHECKING)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _is_adapter(module: str) -> bool:
    return ".adapters" in module or module.startswith("tradewind.platform")


def _pure_modules() -> list[Path]:
    out: list[Path] = []
    for package in PURE:
        for path in sorted((SRC / package).rglob("*.py")):
            if "adapters" not in path.relative_to(SRC).parts:
                out.append(path)
    return out


@pytest.mark.parametrize("path", _pure_modules(), ids=lambda p: _module(p))
def test_pure_core_imports_only_stdlib_and_other_cores(path: Path) -> None:
    bad = []
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "tradewind":
            if _is_adapter(name) or name in ("tradewind.bootstrap",):
                bad.append(name)
        elif top not in STDLIB:
            bad.append(name)
    assert not bad, f"{_module(path)} is pure and may not import {bad}"


def test_the_product_never_imports_the_harness() -> None:
    bad = [
        f"{_module(path)} imports {name}"
        for path in sorted(SRC.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] == "tradewind_bench"
    ]
    assert not bad, bad


# Edges that exist today, each a known debt: this set may only shrink (the test fails on a new
# edge, and on a listed edge that no longer exists, so that it is taken off the list).
KNOWN_CROSS_CONTEXT = {
    "tradewind.catalog.adapters.routes imports tradewind.orders.adapters.cart_quote_json",
    "tradewind.fulfillment.adapters.linehaul_planner imports "
    "tradewind.transport.adapters.network_loader",
    "tradewind.fulfillment.adapters.linehaul_planner imports tradewind.transport.adapters.tracking",
    "tradewind.fulfillment.adapters.inbound_repository imports tradewind.transport.adapters",
    "tradewind.governance.adapters.pages_cases imports tradewind.catalog.adapters.pages",
}


def test_no_context_reaches_into_another_contexts_adapters() -> None:
    """Contexts talk through events or a small ``api.py``: X's code imports Y's adapters only
    from the composition root, the platform and the simulation (which wire everything)."""
    bad = set()
    for context in CONTEXTS:
        for path in sorted((SRC / context).rglob("*.py")):
            for name in _imports(path):
                parts = name.split(".")
                if (
                    len(parts) > 2
                    and parts[0] == "tradewind"
                    and parts[1] in CONTEXTS
                    and parts[1] != context
                    and parts[2] == "adapters"
                ):
                    bad.add(f"{_module(path)} imports {name}")
    assert not bad - KNOWN_CROSS_CONTEXT, "new: " + "\n".join(sorted(bad - KNOWN_CROSS_CONTEXT))
    assert not KNOWN_CROSS_CONTEXT - bad, "gone, take off the list: " + str(
        sorted(KNOWN_CROSS_CONTEXT - bad)
    )


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports, counting imports inside functions and under
    TYPE_CHECKING too (a cycle hidden in a function is still a cycle)."""
    roots = [SRC, SRC.parents[1] / "benchmarks" / "src" / "tradewind_bench"]
    paths = {}
    for root in roots:
        for path in root.rglob("*.py"):
            parts = path.relative_to(root.parent).with_suffix("").parts
            paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {m: set() for m in paths}
    for module, path in paths.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            graph[module] |= {n for n in names if n in paths and n != module}
    return graph


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_the_product_needs_none_of_the_harness_dependencies() -> None:
    import tomllib

    project = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text())["project"]
    product = {d.split(">")[0].split("[")[0].split("=")[0].strip() for d in project["dependencies"]}
    harness_only = {"scipy", "scikit-learn", "ortools", "threadpoolctl"}
    assert not product & harness_only, product & harness_only
    assert harness_only <= {
        d.split(">")[0].strip() for d in project["optional-dependencies"]["bench"]
    }


def test_bench_without_the_harness_says_how_to_install_it(monkeypatch) -> None:
    import importlib.metadata

    import typer
    from typer.testing import CliRunner

    from tradewind.platform.cli import main

    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [])
    assert main.bench_app() is None
    cli = typer.Typer()
    cli.command(
        "bench", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(main.bench_not_installed)
    cli.command("other")(lambda: None)
    out = CliRunner().invoke(cli, ["bench", "routing", "--time-limit", "5"])
    assert out.exit_code == 2 and "pip install -e '.[bench]' -e benchmarks" in out.output
