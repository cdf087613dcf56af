"""``tradewind bench routing``: last-mile VRPTW solver quality against best-known solutions.

Registered on ``tradewind bench`` by ``bench_routing.register(bench.app)`` in ``main.py``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tradewind.platform.cli.output import emit, err_console
from tradewind.transport.ports import RouteSolver
from tradewind.transport.routing import Objective, RoutingError
from tradewind_bench.routing.instances import find_instances, load_bks
from tradewind_bench.routing.runner import BenchSettings, run_bench


class SolverName(StrEnum):
    PYVRP = "pyvrp"
    CUOPT = "cuopt"


def _solver(name: SolverName) -> RouteSolver:
    if name is SolverName.CUOPT:
        from tradewind.transport.adapters.cuopt_solver import CuOptSolver

        return CuOptSolver.create()
    from tradewind.transport.adapters.pyvrp_solver import PyVRPSolver

    return PyVRPSolver()


def routing(
    instances: Annotated[Path, typer.Option("--instances", help="Folder of .txt/.vrp files.")],
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds per instance.")],
    bks: Annotated[
        Path | None,
        typer.Option("--bks", help="BKS.json; without it, each .vrp uses the .sol beside it."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N files.")] = None,
    every: Annotated[
        int, typer.Option("--every", min=1, help="Take every Nth file (sorted), before --limit.")
    ] = 1,
    objective: Annotated[Objective, typer.Option("--objective")] = Objective.DISTANCE,
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline/--no-baseline", help="Also run OR-Tools GLS under the same limit."
        ),
    ] = True,
    solver: Annotated[SolverName, typer.Option("--solver")] = SolverName.PYVRP,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Solve each instance, re-check it exactly, and print gaps to the best-known solutions."""
    try:
        paths = find_instances(instances)[::every][: limit if limit is not None else None]
        table = load_bks(bks) if bks is not None else None
        solvers = [_solver(solver)]
    except RoutingError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}", soft_wrap=True)
        raise typer.Exit(2) from None
    if baseline:
        from tradewind_bench.routing.ortools_solver import ORToolsSolver

        solvers.append(ORToolsSolver())
    if not paths:
        err_console.print(f"[red]error:[/red] no .txt or .vrp files in {instances}")
        raise typer.Exit(2)
    settings = BenchSettings(
        time_limit_s=time_limit,
        objective=objective,
        seed=seed,
        bks=table,
        extra={
            "instances_dir": str(instances),
            "bks_file": str(bks) if bks else None,
            "limit": limit,
            "every": every,
        },
    )
    err_console.print(
        f"routing bench: {len(paths)} instances x {len(solvers)} solvers, "
        f"{time_limit:g} s each, objective {objective.value}",
        soft_wrap=True,
    )
    report = run_bench(paths, solvers, settings, progress=_progress)
    if as_json:
        emit(report, as_json=True)
    else:
        emit(
            {**report["summary"], "settings": report["settings"]},
            as_json=False,
            title="bench routing",
        )
    problems = report["summary"]["problems"]
    if problems["bad_file"] or problems["infeasible_solution"]:
        raise typer.Exit(1)


def _progress(line: str) -> None:
    err_console.print(line, soft_wrap=True, highlight=False, markup=False)


def register(bench_app: typer.Typer) -> None:
    """Add the ``routing`` command to the ``tradewind bench`` sub-app."""
    bench_app.command("routing")(routing)
