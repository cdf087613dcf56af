"""Routing benchmark runner: solve instances, re-check every solution, compute gaps to BKS.

Used by ``tradewind bench routing``; kept apart from the CLI so it can be called from scripts.
A gap is only reported for a solution that :func:`tradewind.transport.feasibility.check` accepts,
with the distance the checker recomputed (never the solver's own figure).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from tradewind.shared.clock import Clock, SystemClock
from tradewind.transport.feasibility import check, instance_infeasibility
from tradewind.transport.ports import RouteSolver
from tradewind.transport.routing import NoSolutionFound, Objective, Problem, gap_pct
from tradewind_bench.routing.instances import (
    BestKnown,
    InstanceFormatError,
    best_known_for,
    read_cvrplib_solution,
    read_instance,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BenchSettings:
    """What one benchmark run does; recorded verbatim in the output."""

    time_limit_s: float
    objective: Objective = Objective.DISTANCE
    seed: int = 0
    bks: dict[str, BestKnown] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _bks_for(path: Path, problem: Problem, settings: BenchSettings) -> BestKnown | None:
    if settings.bks is not None:
        return best_known_for(settings.bks, problem.name, settings.objective) or best_known_for(
            settings.bks, path.stem, settings.objective
        )
    sol = path.with_suffix(".sol")
    return read_cvrplib_solution(sol) if sol.exists() else None


def _matches(bks: BestKnown, path: Path, settings: BenchSettings) -> bool:
    """Whether the record was set under the objective being run (see ``best_known_for``).

    ``*_distance`` keys and CVRPLIB ``.sol`` files are distance-only records; other BKS.json
    keys are vehicles-first (Homberger has no distance-only keys).
    """
    distance_record = bks.key.lower().endswith("_distance") or settings.bks is None
    return distance_record == (settings.objective is Objective.DISTANCE)


def _solve_one(
    solver: RouteSolver, problem: Problem, bks: BestKnown | None, settings: BenchSettings
) -> dict[str, Any]:
    """Solve, check and score one instance with one solver."""
    try:
        solution = solver.solve(
            problem,
            time_limit_s=settings.time_limit_s,
            seed=settings.seed,
            objective=settings.objective,
        )
    except NoSolutionFound as exc:
        return {"status": "no_solution", "detail": exc.detail}
    report = check(problem, solution)
    row: dict[str, Any] = {
        "status": "feasible" if report.feasible else "infeasible_solution",
        "distance": round(report.distance, 4),
        "vehicles": report.num_vehicles,
        "time_s": round(solution.runtime_s, 3),
        "gap_pct": None,
    }
    if not report.feasible:
        row["violations"] = [f"{v.kind.value}: {v.detail}" for v in report.violations[:10]]
    elif bks is not None:
        row["gap_pct"] = round(gap_pct(report.distance, bks.cost), 4)
    return row


def run_instance(
    path: Path, solvers: Sequence[RouteSolver], settings: BenchSettings
) -> dict[str, Any]:
    """One output row: the instance, its BKS, and one result per solver (first = primary)."""
    row: dict[str, Any] = {"instance": path.stem}
    try:
        problem = read_instance(path)
        bks = _bks_for(path, problem, settings)
    except InstanceFormatError as exc:
        return {**row, "status": "bad_file", "detail": exc.detail}
    row.update(
        instance=problem.name,
        clients=problem.num_clients,
        fleet_limit=problem.fleet_size,
        distance_convention=problem.distances.value,
        bks_key=bks.key if bks else None,
        bks_matches_objective=_matches(bks, path, settings) if bks else None,
        bks=bks.cost if bks else None,
        bks_vehicles=bks.vehicles if bks else None,
    )
    reasons = instance_infeasibility(problem)
    if reasons:
        return {**row, "status": "infeasible_instance", "detail": reasons[:10]}
    results = [_solve_one(s, problem, bks, settings) for s in solvers]
    row.update(
        status=results[0]["status"], **{k: v for k, v in results[0].items() if k != "status"}
    )
    if len(results) > 1:
        row["baseline"] = results[1]
    return row


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def _score(result: dict[str, Any], objective: Objective) -> tuple[float, ...]:
    """Comparable score of one result: (vehicles, gap) for the fleet objective, else gap."""
    if objective is Objective.VEHICLES_THEN_DISTANCE:
        return (result["vehicles"], result["gap_pct"])
    return (result["gap_pct"],)


def summarise(
    rows: list[dict[str, Any]], objective: Objective = Objective.DISTANCE
) -> dict[str, Any]:
    """Totals over the rows: only checked-feasible solutions with a BKS count toward gaps.

    ``instances_better_than_baseline`` compares (vehicles, distance) lexicographically under
    ``vehicles-then-distance`` and distance alone under ``distance``.
    """
    ok = [r for r in rows if r.get("status") == "feasible"]
    gaps = [r["gap_pct"] for r in ok if r["gap_pct"] is not None]
    with_bks_vehicles = [r for r in ok if r.get("bks_vehicles")]
    base = [r["baseline"] for r in rows if r.get("baseline", {}).get("status") == "feasible"]
    base_gaps = [b["gap_pct"] for b in base if b["gap_pct"] is not None]
    both = [
        r
        for r in ok
        if r.get("baseline", {}).get("gap_pct") is not None and r["gap_pct"] is not None
    ]
    return {
        "instances": len(rows),
        "solved_feasible": len(ok),
        "mean_gap_pct": _mean(gaps),
        "max_gap_pct": max(gaps) if gaps else None,
        "mean_time_s": _mean([r["time_s"] for r in ok]),
        "vehicles": sum(r["vehicles"] for r in ok),
        "bks_vehicles": sum(r["bks_vehicles"] for r in with_bks_vehicles),
        "instances_at_or_below_bks_vehicles": sum(
            r["vehicles"] <= r["bks_vehicles"] for r in with_bks_vehicles
        ),
        "baseline_mean_gap_pct": _mean(base_gaps),
        "baseline_max_gap_pct": max(base_gaps) if base_gaps else None,
        "baseline_vehicles": sum(b["vehicles"] for b in base) if base else None,
        "baseline_solved_feasible": len(base) if rows and "baseline" in rows[0] else None,
        "instances_better_than_baseline": sum(
            _score(r, objective) < _score(r["baseline"], objective) for r in both
        )
        if both
        else None,
        "instances_worse_than_baseline": sum(
            _score(r, objective) > _score(r["baseline"], objective) for r in both
        )
        if both
        else None,
        "bks_not_matching_objective": sum(r.get("bks_matches_objective") is False for r in rows),
        "problems": {
            s: sum(r.get("status") == s for r in rows)
            for s in ("bad_file", "infeasible_instance", "no_solution", "infeasible_solution")
        },
    }


def machine_info(clock: Clock | None = None) -> dict[str, Any]:
    """CPU, cores usable by this process, load average and library versions."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    versions: dict[str, str | None] = {}
    for package in ("pyvrp", "ortools", "vrplib"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "at": (clock or SystemClock()).now().isoformat(timespec="seconds"),
        "cpu": model,
        "cpu_count": os.cpu_count(),
        "cores_usable": affinity,
        "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "nice": os.nice(0),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
    }


def run_bench(
    paths: Sequence[Path],
    solvers: Sequence[RouteSolver],
    settings: BenchSettings,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every instance with every solver and return the full report."""
    start_machine = machine_info()
    rows = []
    for done, path in enumerate(paths, start=1):
        row = run_instance(path, solvers, settings)
        rows.append(row)
        if progress is not None:
            progress(_progress_line(done, len(paths), row))
    return {
        "summary": summarise(rows, settings.objective),
        "settings": {
            "time_limit_s": settings.time_limit_s,
            "objective": settings.objective.value,
            "seed": settings.seed,
            "solvers": [s.name for s in solvers],
            **settings.extra,
        },
        "machine": {
            "start": start_machine,
            "end_loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        },
        "instances": rows,
    }


def _progress_line(done: int, total: int, row: dict[str, Any]) -> str:
    head = f"[{done}/{total}] {row['instance']}: {row['status']}"
    if row.get("status") != "feasible":
        return head
    text = f"{head} veh {row['vehicles']} (bks {row.get('bks_vehicles')}) gap {row['gap_pct']}%"
    base = row.get("baseline")
    if base:
        text += (
            f" | baseline {base['status']} veh {base.get('vehicles')} gap {base.get('gap_pct')}%"
        )
    return text
