"""Solver adapters on a small real instance, always re-checked by the feasibility checker."""

from __future__ import annotations

import pytest

from tradewind.transport.adapters.cuopt_solver import CuOptSolver, SolverUnavailable
from tradewind.transport.adapters.pyvrp_solver import PyVRPSolver, to_problem_data
from tradewind.transport.feasibility import check
from tradewind.transport.ports import RouteSolver
from tradewind.transport.routing import NoSolutionFound, Objective, Problem
from tradewind_bench.routing.instances import read_solomon
from tradewind_bench.routing.ortools_solver import ORToolsSolver, _Data, _try_fleet

from .conftest import DATA

R101 = DATA / "solomon" / "R101.txt"
needs_data = pytest.mark.skipif(not R101.exists(), reason="no shared routing data")


@pytest.fixture(scope="module")
def r101_25() -> Problem:
    return read_solomon(R101).head(25)


@needs_data
@pytest.mark.parametrize("objective", list(Objective))
def test_pyvrp_small_solve_is_feasible(r101_25: Problem, objective: Objective) -> None:
    """PyVRP on the first 25 clients of R101 in 1 s returns a checked-feasible solution."""
    solver: RouteSolver = PyVRPSolver()
    solution = solver.solve(r101_25, time_limit_s=1.0, seed=0, objective=objective)
    report = check(r101_25, solution)
    assert report.feasible, report.summary()
    assert sorted(c for r in solution.routes for c in r.visits) == list(range(1, 26))


@needs_data
def test_fleet_objective_uses_no_more_vehicles(r101_25: Problem) -> None:
    """vehicles-then-distance never needs more vehicles than the distance-only run."""
    solver = PyVRPSolver()
    by_distance = solver.solve(r101_25, time_limit_s=0.5, seed=0)
    by_fleet = solver.solve(
        r101_25, time_limit_s=1.0, seed=0, objective=Objective.VEHICLES_THEN_DISTANCE
    )
    assert by_fleet.num_vehicles <= by_distance.num_vehicles


@needs_data
def test_ortools_baseline_is_feasible(r101_25: Problem) -> None:
    """The OR-Tools GLS baseline returns a checked-feasible solution within 1 s."""
    solution = ORToolsSolver().solve(r101_25, time_limit_s=1.0)
    assert check(r101_25, solution).feasible


@needs_data
def test_ortools_fleet_stage_serves_everyone_with_fewer_vehicles(r101_25: Problem) -> None:
    """Under vehicles-then-distance the baseline gets PyVRP's fleet stage: it returns a checked
    solution with every client, on no more vehicles than its distance run; a try with one
    vehicle fewer succeeds where a solution exists and is refused (None, never a solution
    dropping a client) where none does."""
    solver = ORToolsSolver()
    by_distance = solver.solve(r101_25, time_limit_s=0.5)
    by_fleet = solver.solve(r101_25, time_limit_s=1.0, objective=Objective.VEHICLES_THEN_DISTANCE)
    assert check(r101_25, by_fleet).feasible
    assert sorted(c for r in by_fleet.routes for c in r.visits) == list(range(1, 26))
    assert by_fleet.num_vehicles <= by_distance.num_vehicles
    data = _Data.of(r101_25, solver.scale)
    routes = [list(r.visits) for r in by_fleet.routes]
    longest = max(routes, key=len)
    routes.append([longest.pop()])  # one van more than the fleet stage's own answer
    fewer = _try_fleet(data, routes, 2.0)
    assert fewer is not None and len(fewer) <= len(routes) - 1
    assert sorted(c for r in fewer for c in r) == list(range(1, 26))
    two = [[c for r in routes[k::2] for c in r] for k in (0, 1)]  # R101 windows: > 1 van
    assert _try_fleet(data, two, 0.2) is None


def test_ortools_reports_no_solution(line_problem: Problem) -> None:
    """A fleet too small for the demand raises NoSolutionFound under both objectives."""
    tiny_fleet = line_problem.replace(fleet_size=1)
    for objective in Objective:
        with pytest.raises(NoSolutionFound):
            ORToolsSolver().solve(tiny_fleet, time_limit_s=0.2, objective=objective)


@needs_data
def test_scaling_rounds_times_conservatively(r101_25: Problem) -> None:
    """Travel times are rounded up and due times down, so PyVRP cannot over-promise."""
    data = to_problem_data(r101_25, scale=1000)
    exact = r101_25.distance(0, 1) * 1000
    assert data.duration_matrix(0)[0, 1] >= exact
    assert data.client(0).tw_late <= r101_25.client(1).due * 1000


@pytest.mark.filterwarnings("ignore::pyvrp.exceptions.PenaltyBoundWarning")
def test_no_solution_is_reported(line_problem: Problem) -> None:
    """A fleet too small for the demand raises NoSolutionFound instead of returning junk."""
    tiny_fleet = line_problem.replace(fleet_size=1)
    with pytest.raises(NoSolutionFound):
        PyVRPSolver().solve(tiny_fleet, time_limit_s=0.2, seed=0)


def test_cuopt_absent_gives_clear_error() -> None:
    """Without the cuopt package the optional adapter explains what is missing."""
    pytest.importorskip("pyvrp")
    try:
        import cuopt  # noqa: F401
    except ImportError:
        with pytest.raises(SolverUnavailable, match="cuopt"):
            CuOptSolver.create()
    else:  # pragma: no cover - only on GPU machines
        pytest.skip("cuopt is installed here")


def test_integer_distance_instances_are_solved_unscaled_and_feasibly():
    """CVRPLIB X edges are integers in the thousands: scaled by 1,000 they would outweigh
    PyVRP's load penalty and leave it overloaded (no feasible solution for X-n157-k13 in 30 s
    before this); unscaled, a feasible 13-route solution comes within seconds."""
    from pathlib import Path

    from tradewind_bench.routing.instances import read_cvrplib

    path = Path(__file__).parents[3] / "benchmarks/data/cvrplib_x/X-n157-k13.vrp"
    problem = read_cvrplib(path)
    solver = PyVRPSolver()
    assert solver.scale_for(problem) == 1 and solver.scale == 1_000
    solution = solver.solve(problem, time_limit_s=3)
    report = check(problem, solution)
    assert report.feasible, report
    assert len(solution.routes) >= 13  # the instance's k: total demand needs 13 vans
