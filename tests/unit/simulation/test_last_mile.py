"""Route-based last mile: instance, sampling scale, cost from checked routes, fallbacks."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime

import pytest

from tradewind.economics import costs
from tradewind.shared.geo import EARTH_RADIUS_KM
from tradewind.simulation.journey import Node
from tradewind.simulation.last_mile import (
    LastMile,
    LastMileParams,
    Stop,
    build_problem,
    local_day,
    stops_of,
)
from tradewind.transport.routing import NoSolutionFound, Objective, Problem, Solution

STATION = Node("delivery_station", "DS1", 0.0, 0.0)
KM_PER_DEG = math.radians(1.0) * EARTH_RADIUS_KM  # along the equator
# One road km per straight km, 60 km/h: a minute of the instance is a km.
PLAIN = LastMileParams(circuity=1.0, speed_kmh=60.0)


class SweepSolver:
    """Deterministic fake: clients by angle around the depot, cut into capacity-sized routes."""

    name = "sweep"

    def __init__(self, drop_last: bool = False, fail: bool = False) -> None:
        self.drop_last, self.fail = drop_last, fail
        self.calls: list[tuple[Problem, float, int]] = []

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int = 0,
        objective: Objective = Objective.DISTANCE,
    ) -> Solution:
        self.calls.append((problem, time_limit_s, seed))
        if self.fail:
            raise NoSolutionFound("nothing in budget")
        order = sorted(problem.clients, key=lambda c: (math.atan2(c.y, c.x), c.id))
        routes: list[list[int]] = [[]]
        load = 0
        for c in order:
            if load + c.demand > problem.vehicle_capacity:
                routes.append([])
                load = 0
            routes[-1].append(c.id)
            load += c.demand
        if self.drop_last:
            routes[-1].pop()
        return Solution.of(*routes, solver=self.name)


def east(km: float, cid: str = "c", parcels: int = 1) -> Stop:
    """A stop ``km`` east of the station on the equator."""
    return Stop(cid, 0.0, km / KM_PER_DEG, parcels)


def random_stops(n: int, seed: int = 0, spread_deg: float = 0.3) -> list[Stop]:
    rng = random.Random(seed)
    return [
        Stop(
            f"c{i:03d}", rng.uniform(-spread_deg, spread_deg), rng.uniform(-spread_deg, spread_deg)
        )
        for i in range(n)
    ]


def test_instance_follows_the_journey_windows_vans_and_shift() -> None:
    """Stops become clients with parcels as demand, the 1-9 h window, service and shift."""
    stops = [east(10, "a", parcels=2), east(20, "b")]
    p = build_problem("DS1:day", STATION, stops, LastMileParams(), represented=1)
    assert p.num_clients == 2 and [c.demand for c in p.clients] == [2, 1]
    assert all((c.ready, c.due, c.service) == (60.0, 540.0, 2.5) for c in p.clients)
    assert (p.depot.x, p.depot.y, p.depot.ready, p.depot.due) == (0.0, 0.0, 0.0, 600.0)
    assert p.vehicle_capacity == 250 and p.shift_length == 600.0 and p.fleet_size == 2


def test_parcels_to_one_customer_on_one_day_are_one_stop() -> None:
    """Two parcels for the same customer merge; stops are ordered by customer id."""
    a, b = Node("customer", "b", 1.0, 2.0), Node("customer", "a", 3.0, 4.0)
    assert stops_of([a, b, a]) == (Stop("a", 3.0, 4.0, 1), Stop("b", 1.0, 2.0, 2))


def test_distances_shrink_by_the_square_root_of_the_sample_rate() -> None:
    """A stop 10 km away is 10 * circuity road km at represented=1 and 1/100 of it at 10,000."""
    params = LastMileParams(circuity=1.3, speed_kmh=30.0)  # 2 minutes per km
    full = build_problem("x", STATION, [east(10)], params, represented=1)
    sample = build_problem("x", STATION, [east(10)], params, represented=10_000)
    assert full.distance(0, 1) == pytest.approx(10 * 1.3 * 2)
    assert full.distance(0, 1) / sample.distance(0, 1) == pytest.approx(100)


def test_cost_comes_from_checked_routes() -> None:
    """Out 20 km and back with two stops: 40 km, 45 minutes after waiting is absorbed."""
    last_mile = LastMile(SweepSolver(), PLAIN, represented=1, seed=0)
    cents = last_mile.cost("t", STATION, [east(10, "a"), east(20, "b")])
    # departure pushed to 00:50 so the first stop is served at 01:00: 40 min driving + 2 x 2.5
    assert cents == costs.van_route(45 / 60, 40.0) == 3225
    s = last_mile.stats
    assert (s.routed, s.routes, s.stops, s.parcels) == (1, 1, 2, 2)
    assert s.km == pytest.approx(40.0) and s.van_hours == pytest.approx(0.75)
    kpis = s.kpis()
    assert kpis["km_per_stop"] == 20.0 and kpis["cost_per_stop_usd"] == 16.125
    assert kpis["infeasible_solutions"] == 0 and kpis["solver"] == "sweep"


def test_capacity_splits_routes_and_budget_scales_with_stops() -> None:
    """A van of 4 parcels needs 3 routes for 10 stops; the solver budget is per stop, capped."""
    solver = SweepSolver()
    params = LastMileParams(van_capacity=4, time_per_stop_s=0.01, max_time_s=0.05, circuity=1.0)
    last_mile = LastMile(solver, params, represented=100, seed=7)
    assert last_mile.cost("t", STATION, random_stops(10)) is not None
    assert last_mile.stats.routes == 3
    last_mile.cost("u", STATION, random_stops(3))
    assert [(limit, seed) for _, limit, seed in solver.calls] == [(0.05, 7), (0.03, 7)]


def test_km_per_stop_falls_as_one_over_sqrt_represented() -> None:
    """Same stops, same routes: km per stop at represented=10,000 is 1/10 of that at 100."""
    stops = random_stops(30)
    small = LastMile(SweepSolver(), PLAIN, represented=100, seed=0)
    large = LastMile(SweepSolver(), PLAIN, represented=10_000, seed=0)
    small.cost("t", STATION, stops)
    large.cost("t", STATION, stops)
    assert small.stats.km / large.stats.km == pytest.approx(10)


def test_infeasible_solution_is_detected_counted_and_not_priced() -> None:
    """A solver that forgets a stop is caught by the checker: no cost, one count, the kind."""
    last_mile = LastMile(SweepSolver(drop_last=True), PLAIN, represented=100, seed=0)
    assert last_mile.cost("t", STATION, random_stops(5)) is None
    s = last_mile.stats
    assert (s.infeasible_solutions, s.routed, s.station_days) == (1, 0, 1)
    assert s.kpis()["violations"] == {"missing_client": 1}
    assert s.kpis()["fallback_station_days"] == 1


def test_no_solution_and_impossible_instances_are_counted() -> None:
    """NoSolutionFound counts as unsolved; a stop beyond the shift is an infeasible instance."""
    unsolved = LastMile(SweepSolver(fail=True), PLAIN, represented=100, seed=0)
    assert unsolved.cost("t", STATION, random_stops(3)) is None
    assert unsolved.stats.unsolved == 1
    solver = SweepSolver()
    far = LastMile(solver, PLAIN, represented=1, seed=0)  # 400 km out: 800 min > 600 shift
    assert far.cost("t", STATION, [east(400)]) is None
    assert far.stats.infeasible_instances == 1 and solver.calls == []


def test_same_inputs_same_cost() -> None:
    """Deterministic: a second run over the same stops costs the same cents."""
    stops = random_stops(40, seed=3)
    runs = [LastMile(SweepSolver(), LastMileParams(), represented=10_000, seed=0) for _ in "ab"]
    assert runs[0].cost("t", STATION, stops) == runs[1].cost("t", STATION, stops)
    untimed = [r.stats.kpis() | {"solver_seconds": 0, "seconds": 0} for r in runs]
    assert untimed[0] == untimed[1]


def test_local_day_uses_solar_time() -> None:
    """01:00 UTC is still the previous day at 120 degrees west."""
    at = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert local_day(at, -120.0) == date(2026, 12, 1) and local_day(at, 0.0) == date(2026, 12, 2)


def test_pyvrp_routes_a_station_day_feasibly() -> None:
    """The production solver on 60 sampled stops: checked feasible, about a real stop's cost."""
    pytest.importorskip("pyvrp")
    from tradewind.transport.adapters.pyvrp_solver import PyVRPSolver

    last_mile = LastMile(PyVRPSolver(), LastMileParams(), represented=10_000, seed=0)
    assert last_mile.cost("t", STATION, random_stops(60)) is not None
    kpis = last_mile.stats.kpis()
    assert kpis["infeasible_solutions"] == 0 and kpis["routes"] == 1
    assert 0.5 < float(kpis["cost_per_stop_usd"]) < 5.0  # type: ignore[arg-type]
