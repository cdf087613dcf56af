"""OR-Tools routing baseline for :class:`tradewind.transport.ports.RouteSolver`.

PARALLEL_CHEAPEST_INSERTION first solution (PATH_CHEAPEST_ARC finds nothing on tight-window
instances such as R101), then GUIDED_LOCAL_SEARCH until the time limit. The same scaling and
rounding rules as the PyVRP adapter apply (times rounded so a schedule OR-Tools accepts is
feasible exactly). OR-Tools' routing search has no random seed (it is
deterministic), so ``seed`` is accepted and ignored. Under ``VEHICLES_THEN_DISTANCE`` each used
vehicle costs more than any possible total distance, so fewer vehicles always wins.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from tradewind.transport.routing import NoSolutionFound, Objective, Problem, Route, Solution

_BIG_TIME = 2**40


def _up(value: float, scale: int) -> int:
    return _BIG_TIME if math.isinf(value) else math.ceil(value * scale - 1e-9)


def _down(value: float, scale: int) -> int:
    return _BIG_TIME if math.isinf(value) else math.floor(value * scale + 1e-9)


@dataclass
class _Model:
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel


def _build(problem: Problem, scale: int, objective: Objective) -> _Model:
    n = problem.num_clients + 1
    exact = [[problem.distance(a, b) for b in range(n)] for a in range(n)]
    dist = [[round(d * scale) for d in row] for row in exact]
    service = [0] + [_up(c.service, scale) for c in problem.clients]
    travel = [[_up(d, scale) + service[a] for d in row] for a, row in enumerate(exact)]
    demand = [0] + [c.demand for c in problem.clients]
    manager = pywrapcp.RoutingIndexManager(n, problem.fleet_size, 0)
    routing = pywrapcp.RoutingModel(manager)

    def node(index: int) -> int:
        return int(manager.IndexToNode(index))

    dist_cb = routing.RegisterTransitCallback(lambda i, j: dist[node(i)][node(j)])
    time_cb = routing.RegisterTransitCallback(lambda i, j: travel[node(i)][node(j)])
    load_cb = routing.RegisterUnaryTransitCallback(lambda i: demand[node(i)])
    routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    routing.AddDimension(load_cb, 0, problem.vehicle_capacity, True, "load")
    depot = problem.depot
    horizon = _down(depot.due, scale) if math.isfinite(depot.due) else _BIG_TIME // 4
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for c in problem.clients:
        late = min(_down(c.due, scale), horizon)
        time_dim.CumulVar(manager.NodeToIndex(c.id)).SetRange(_up(c.ready, scale), late)
    for v in range(problem.fleet_size):
        time_dim.CumulVar(routing.Start(v)).SetRange(_up(depot.ready, scale), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(_up(depot.ready, scale), horizon)
        if problem.shift_length is not None:
            time_dim.SetSpanUpperBoundForVehicle(_down(problem.shift_length, scale), v)
    if objective is Objective.VEHICLES_THEN_DISTANCE:
        longest = max(max(row) for row in dist)
        routing.SetFixedCostOfAllVehicles(2 * n * longest + 1)
    return _Model(manager, routing)


@dataclass
class ORToolsSolver:
    """OR-Tools routing with guided local search (the benchmark baseline)."""

    scale: int = 1_000
    name: str = "ortools-gls"

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int = 0,
        objective: Objective = Objective.DISTANCE,
    ) -> Solution:
        """Best solution found in ``time_limit_s`` seconds; ``seed`` is unused (deterministic)."""
        started = time.perf_counter()
        model = _build(problem, self.scale, objective)
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = (
            routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
        )
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        remaining = max(0.01, time_limit_s - (time.perf_counter() - started))
        params.time_limit.FromMilliseconds(int(remaining * 1000))
        assignment = model.routing.SolveWithParameters(params)
        if assignment is None:
            raise NoSolutionFound(
                f"OR-Tools found no feasible solution for {problem.name!r} in {time_limit_s:g} s"
            )
        routes = []
        for v in range(problem.fleet_size):
            index, visits = model.routing.Start(v), []
            index = assignment.Value(model.routing.NextVar(index))
            while not model.routing.IsEnd(index):
                visits.append(int(model.manager.IndexToNode(index)))
                index = assignment.Value(model.routing.NextVar(index))
            routes.append(Route(tuple(visits)))
        return Solution(tuple(routes), solver=self.name, runtime_s=time.perf_counter() - started)
