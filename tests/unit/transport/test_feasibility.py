"""The independent feasibility checker on hand-made cases, one per violation kind."""

from __future__ import annotations

import pytest

from tradewind.transport.feasibility import (
    ViolationKind,
    check,
    instance_infeasibility,
    schedule,
)
from tradewind.transport.routing import Client, Problem, Route, Solution


def kinds(problem: Problem, solution: Solution) -> set[ViolationKind]:
    return {v.kind for v in check(problem, solution).violations}


def test_feasible_solution_with_waiting(line_problem: Problem) -> None:
    """Arriving early at client 2 (ready 30) waits; the plan is feasible with exact distance."""
    report = check(line_problem, Solution.of([1, 2], [3, 4]))
    assert report.feasible, report.violations
    assert report.distance == pytest.approx(80.0)
    assert report.num_vehicles == 2
    plan = schedule(line_problem, Route((1, 2)))
    assert plan.service_starts == (10.0, 30.0)
    assert plan.return_time == pytest.approx(51.0)


def test_capacity_violation(line_problem: Problem) -> None:
    """Three clients of demand 4 overload a vehicle of capacity 10."""
    assert kinds(line_problem, Solution.of([1, 3, 4], [2])) == {ViolationKind.CAPACITY}


def test_time_window_violation(line_problem: Problem) -> None:
    """Visiting client 2 after the far side of the depot misses its due time of 40."""
    found = kinds(line_problem, Solution.of([3, 2], [1, 4]))
    assert ViolationKind.TIME_WINDOW in found


def test_depot_return_violation(line_problem: Problem) -> None:
    """A route that cannot be back by the depot due time is flagged."""
    late = line_problem.replace(depot=line_problem.depot.__class__(0.0, 0.0, 0.0, 45.0))
    assert ViolationKind.DEPOT_RETURN in kinds(late, Solution.of([1, 2], [3, 4]))


def test_shift_length_uses_latest_departure(line_problem: Problem) -> None:
    """Route [2] waits 10 at the start, so departing at 10 makes it last 41, not 51."""
    plan = schedule(line_problem, Route((2,)))
    assert plan.duration == pytest.approx(41.0)
    two = line_problem.head(2)
    assert check(two.replace(shift_length=41.0), Solution.of([1], [2])).feasible
    tight = two.replace(shift_length=40.0)
    assert kinds(tight, Solution.of([1], [2])) == {ViolationKind.SHIFT_LENGTH}


def test_fleet_limit(line_problem: Problem) -> None:
    """Three routes exceed a fleet of two."""
    assert kinds(line_problem, Solution.of([1], [2], [3, 4])) == {ViolationKind.FLEET_SIZE}


def test_missing_duplicate_and_unknown_clients(line_problem: Problem) -> None:
    """Every client exactly once, and only clients that exist."""
    assert kinds(line_problem, Solution.of([1, 2], [3])) == {ViolationKind.MISSING_CLIENT}
    assert ViolationKind.DUPLICATE_CLIENT in kinds(line_problem, Solution.of([1, 2], [3, 4, 1]))
    assert ViolationKind.UNKNOWN_CLIENT in kinds(line_problem, Solution.of([1, 2], [3, 4, 9]))


def test_report_summary_names_violations(line_problem: Problem) -> None:
    """The summary lists the violation kinds with counts."""
    report = check(line_problem, Solution.of([1, 2], [3]))
    assert not report.feasible
    assert "missing_client x1" in report.summary()


def test_instance_infeasibility_reasons(line_problem: Problem) -> None:
    """Oversized demand, unreachable window and too little fleet capacity are detected."""
    assert instance_infeasibility(line_problem) == []
    heavy = line_problem.replace(
        clients=(*line_problem.clients[:3], Client(4, -20.0, 0.0, demand=11, due=50.0))
    )
    assert any("exceeds capacity" in r for r in instance_infeasibility(heavy))
    unreachable = line_problem.replace(
        clients=(*line_problem.clients[:3], Client(4, -20.0, 0.0, demand=1, due=5.0))
    )
    assert any("after due" in r for r in instance_infeasibility(unreachable))
    small_fleet = line_problem.replace(fleet_size=1)
    assert any("fleet capacity" in r for r in instance_infeasibility(small_fleet))
