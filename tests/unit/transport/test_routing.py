"""The routing model: validation, distances and small helpers."""

from __future__ import annotations

import math

import pytest

from tradewind.transport.routing import (
    Client,
    Depot,
    DistanceConvention,
    Problem,
    RoutingError,
    Solution,
    gap_pct,
    solution_distance,
)


def test_client_ids_must_follow_positions(line_problem: Problem) -> None:
    """Clients must be numbered 1..n in order."""
    clients = (line_problem.clients[1], line_problem.clients[0])
    with pytest.raises(RoutingError, match="position 1 holds id 2"):
        line_problem.replace(clients=clients)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Client(0, 0, 0, demand=1),
        lambda: Client(1, 0, 0, demand=-1),
        lambda: Client(1, 0, 0, demand=1, ready=5, due=4),
        lambda: Client(1, 0, 0, demand=1, service=-1),
        lambda: Depot(0, 0, ready=10, due=5),
    ],
)
def test_invalid_parts_are_rejected(make: object) -> None:
    """Impossible ids, demands, services and windows raise RoutingError."""
    with pytest.raises(RoutingError):
        make()  # type: ignore[operator]


def test_problem_rejects_bad_fleet_and_capacity(line_problem: Problem) -> None:
    """Capacity, fleet and shift must be positive."""
    for change in ({"vehicle_capacity": 0}, {"fleet_size": 0}, {"shift_length": 0.0}):
        with pytest.raises(RoutingError):
            line_problem.replace(**change)


def test_exact_and_rounded_distances() -> None:
    """EXACT keeps sqrt(2); NEAREST_INT rounds half up like TSPLIB EUC_2D."""
    clients = (Client(1, 1.0, 1.0, demand=1), Client(2, 1.5, 0.0, demand=1))
    exact = Problem("p", Depot(0, 0), clients, vehicle_capacity=5, fleet_size=1)
    rounded = exact.replace(distances=DistanceConvention.NEAREST_INT)
    assert exact.distance(0, 1) == pytest.approx(math.sqrt(2))
    assert rounded.distance(0, 1) == 1.0
    assert rounded.distance(0, 2) == 2.0


def test_solution_drops_empty_routes_and_sums_distance(line_problem: Problem) -> None:
    """Empty routes do not count as vehicles; distance includes depot legs."""
    solution = Solution.of([1, 2], [], [3, 4])
    assert solution.num_vehicles == 2
    assert solution_distance(line_problem, solution) == pytest.approx(80.0)


def test_head_keeps_first_clients(line_problem: Problem) -> None:
    """head(n) keeps the first n clients and renames the problem."""
    small = line_problem.head(2)
    assert small.num_clients == 2 and small.name == "line[:2]"


def test_gap_pct() -> None:
    """The gap is relative to the best-known cost, in percent."""
    assert gap_pct(101.0, 100.0) == pytest.approx(1.0)
    with pytest.raises(RoutingError):
        gap_pct(1.0, 0.0)
