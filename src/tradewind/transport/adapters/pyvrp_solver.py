"""PyVRP adapter for :class:`tradewind.transport.ports.RouteSolver` (the default, CPU).

PyVRP works on integers, so every distance and time is multiplied by ``scale``. Rounding is
chosen so PyVRP can never call an exactly-infeasible schedule feasible: travel and service
times are rounded *up*, ready times up and due times *down*. Distances (the objective only) are
rounded to nearest. The reported distance is recomputed exactly by the feasibility checker.

``Objective.VEHICLES_THEN_DISTANCE`` first shrinks the fleet (solve, then retry with one vehicle
fewer, each try stopping at its first feasible solution, until a try fails or the fleet budget
is spent), then spends the remaining time minimising distance with the smallest fleet found,
warm-started from the last feasible solution.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import FirstFeasible, MaxRuntime, MultipleCriteria

from tradewind.transport.routing import (
    DistanceConvention,
    NoSolutionFound,
    Objective,
    Problem,
    Route,
    Solution,
)

_BIG_TIME = 2**40  # "no limit" in scaled units; far above any benchmark horizon


def _up(value: float, scale: int) -> int:
    return _BIG_TIME if math.isinf(value) else math.ceil(value * scale - 1e-9)


def _down(value: float, scale: int) -> int:
    return _BIG_TIME if math.isinf(value) else math.floor(value * scale + 1e-9)


def _matrices(problem: Problem, scale: int) -> tuple[Any, Any]:
    """Scaled (distance rounded, duration rounded up) matrices over depot + clients."""
    n = problem.num_clients + 1
    exact = np.array([[problem.distance(a, b) for b in range(n)] for a in range(n)])
    distance = np.rint(exact * scale).astype(np.int64)
    duration = np.ceil(exact * scale - 1e-9).astype(np.int64)
    return distance, duration


def to_problem_data(problem: Problem, scale: int, fleet: int | None = None) -> pyvrp.ProblemData:
    """Map a :class:`Problem` to PyVRP ``ProblemData`` with ``fleet`` vehicles."""
    depot = problem.depot
    early, late = _up(depot.ready, scale), _down(depot.due, scale)
    locations = [pyvrp.Location(depot.x, depot.y)]
    clients = []
    for c in problem.clients:
        locations.append(pyvrp.Location(c.x, c.y))
        clients.append(
            pyvrp.Client(
                location=c.id,
                delivery=[c.demand],
                service_duration=_up(c.service, scale),
                tw_early=_up(c.ready, scale),
                tw_late=_down(c.due, scale),
            )
        )
    shift = _BIG_TIME if problem.shift_length is None else _down(problem.shift_length, scale)
    vehicle = pyvrp.VehicleType(
        num_available=fleet or problem.fleet_size,
        capacity=[problem.vehicle_capacity],
        tw_early=early,
        tw_late=late,
        shift_duration=shift,
    )
    distance, duration = _matrices(problem, scale)
    return pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=[pyvrp.Depot(0, tw_early=early, tw_late=late)],
        vehicle_types=[vehicle],
        distance_matrices=[distance],
        duration_matrices=[duration],
    )


def _client_routes(solution: pyvrp.Solution) -> list[list[int]]:
    """0-based PyVRP client indices per non-empty route."""
    routes = [[a.idx for a in route if a.is_client()] for route in solution.routes()]
    return [r for r in routes if r]


def _scaled_distance(data: pyvrp.ProblemData, routes: list[list[int]]) -> int:
    """Total scaled distance of routes given as 0-based client indices (locations are +1)."""
    matrix = data.distance_matrix(0)
    total = 0
    for route in routes:
        path = [0, *(i + 1 for i in route), 0]
        total += sum(int(matrix[a, b]) for a, b in pairwise(path))
    return total


@dataclass
class PyVRPSolver:
    """Iterated local search from PyVRP 0.14 (``pyvrp.solve``).

    Parameters
    ----------
    scale
        Multiplier turning distances and times into PyVRP's integers. 1,000 is PyVRP's own
        "exact" convention: rounding stays below 1e-3 per edge, and PyVRP's penalty bounds
        (max 100,000 per unit of excess load) stay strong relative to distances. Demands are
        not scaled.
    fleet_share
        Fraction of the time limit spent reducing the fleet under ``VEHICLES_THEN_DISTANCE``.
    """

    scale: int = 1_000
    fleet_share: float = 0.5
    name: str = "pyvrp"

    def scale_for(self, problem: Problem) -> int:
        """``scale``, except 1 for integer (CVRPLIB, nearest-int) distances.

        Those edges are integers already, and their coordinates run to the thousands: scaled by
        1,000 an edge would outweigh PyVRP's largest load penalty (100,000 per unit of excess
        load), and the search could then prefer overloaded routes to the end (measured: no
        feasible solution for X-n157-k13 or X-n242-k48 in 30 s)."""
        return 1 if problem.distances is DistanceConvention.NEAREST_INT else self.scale

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int = 0,
        objective: Objective = Objective.DISTANCE,
    ) -> Solution:
        """Best solution found in ``time_limit_s`` seconds (see the module docstring)."""
        started = time.perf_counter()
        data = to_problem_data(problem, self.scale_for(problem))
        if objective is Objective.VEHICLES_THEN_DISTANCE:
            routes = self._fleet_then_distance(data, time_limit_s, seed)
        else:
            routes = self._run(data, MaxRuntime(time_limit_s), seed, None)
        if routes is None:
            raise NoSolutionFound(
                f"PyVRP found no feasible solution for {problem.name!r} in {time_limit_s:g} s"
            )
        return Solution(
            tuple(Route(tuple(i + 1 for i in r)) for r in routes),
            solver=self.name,
            runtime_s=time.perf_counter() - started,
        )

    @staticmethod
    def _run(
        data: pyvrp.ProblemData,
        stop: pyvrp.stop.StoppingCriterion,
        seed: int,
        warm: list[list[int]] | None,
    ) -> list[list[int]] | None:
        initial = pyvrp.Solution(data, warm) if warm is not None else None
        result = pyvrp.solve(
            data, stop=stop, seed=seed, collect_stats=False, display=False, initial_solution=initial
        )
        return _client_routes(result.best) if result.best.is_feasible() else None

    def _fleet_then_distance(
        self, data: pyvrp.ProblemData, limit: float, seed: int
    ) -> list[list[int]] | None:
        deadline = time.perf_counter() + limit
        fleet_deadline = time.perf_counter() + limit * self.fleet_share
        vehicle = data.vehicle_type(0)
        capacity = max(1, vehicle.capacity[0])
        lower = max(1, math.ceil(sum(c.delivery[0] for c in data.clients()) / capacity))
        best = self._run(data, MultipleCriteria([FirstFeasible(), MaxRuntime(limit)]), seed, None)
        if best is None:
            return None
        while len(best) > lower and time.perf_counter() < fleet_deadline:
            fewer = data.replace(vehicle_types=[vehicle.replace(num_available=len(best) - 1)])
            stop = MultipleCriteria(
                [FirstFeasible(), MaxRuntime(fleet_deadline - time.perf_counter())]
            )
            with warnings.catch_warnings():
                # Trying a fleet that is too small is expected to max out the penalties.
                warnings.simplefilter("ignore", PenaltyBoundWarning)
                found = self._run(fewer, stop, seed, None)
            if found is None:
                break
            best = found
        final = data.replace(vehicle_types=[vehicle.replace(num_available=len(best))])
        remaining = max(0.0, deadline - time.perf_counter())
        polished = self._run(final, MaxRuntime(remaining), seed, best)
        if polished is None or len(polished) > len(best):
            return best
        return min(polished, best, key=lambda routes: _scaled_distance(data, routes))
