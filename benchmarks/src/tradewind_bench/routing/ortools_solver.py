"""OR-Tools routing baseline for :class:`tradewind.transport.ports.RouteSolver`.

PARALLEL_CHEAPEST_INSERTION first solution (PATH_CHEAPEST_ARC finds nothing on tight-window
instances such as R101), then GUIDED_LOCAL_SEARCH until the time limit. Distances, travel
times and demands are registered as matrices and vectors (``RegisterTransitMatrix``,
``RegisterUnaryTransitVector``), so the search evaluates arcs in C++ without calling back into
Python (measured: a lower gap in the same time, docs/routing.md). The same scaling and rounding
rules as the PyVRP adapter apply (times rounded so a schedule OR-Tools accepts is feasible
exactly). OR-Tools' routing search has no random seed (it is deterministic), so ``seed`` is
accepted and ignored.

``Objective.VEHICLES_THEN_DISTANCE`` gets the same fleet-minimisation stage as the PyVRP
adapter, so the comparison is against the baseline's best configuration: a first feasible
solution, then retries with one vehicle fewer, each stopping at its first solution that serves
every client, until a try fails or ``fleet_share`` of the time is spent; then guided local
search on distance with the smallest fleet found, warm-started from that solution. A try with
too few vehicles makes every client optional at a penalty above any total distance (OR-Tools'
documented way to let its search start from a partial solution), and counts only when nothing is
dropped. Each used vehicle also costs more than any total distance throughout, so a stage never
trades a vehicle for distance.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from itertools import pairwise

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from tradewind.transport.routing import NoSolutionFound, Objective, Problem, Route, Solution

_BIG_TIME = 2**40
_Routes = list[list[int]]  # client node ids (1-based) per non-empty route


def _up(value: float, scale: int) -> int:
    return _BIG_TIME if math.isinf(value) else math.ceil(value * scale - 1e-9)


def _down(value: float, scale: int) -> int:
    return _BIG_TIME if math.isinf(value) else math.floor(value * scale + 1e-9)


@dataclass(frozen=True)
class _Data:
    """Scaled integer matrices of one problem (depot = node 0)."""

    problem: Problem
    dist: list[list[int]]
    travel: list[list[int]]  # travel time plus the service time at the arc's tail
    demand: list[int]
    scale: int

    @classmethod
    def of(cls, problem: Problem, scale: int) -> _Data:
        n = problem.num_clients + 1
        exact = [[problem.distance(a, b) for b in range(n)] for a in range(n)]
        service = [0] + [_up(c.service, scale) for c in problem.clients]
        return cls(
            problem=problem,
            dist=[[round(d * scale) for d in row] for row in exact],
            travel=[[_up(d, scale) + service[a] for d in row] for a, row in enumerate(exact)],
            demand=[0] + [c.demand for c in problem.clients],
            scale=scale,
        )

    @property
    def big(self) -> int:
        """A cost above any total distance: fixed cost per vehicle, penalty per dropped client."""
        return 2 * len(self.dist) * max(max(row) for row in self.dist) + 1


@dataclass
class _Model:
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel


def _build(data: _Data, fleet: int, *, fixed_cost: bool, optional: bool) -> _Model:
    """The routing model with ``fleet`` vehicles; clients droppable at ``data.big`` if
    ``optional``."""
    problem, scale = data.problem, data.scale
    manager = pywrapcp.RoutingIndexManager(len(data.dist), fleet, 0)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(data.dist))
    load = routing.RegisterUnaryTransitVector(data.demand)
    routing.AddDimension(load, 0, problem.vehicle_capacity, True, "load")
    depot = problem.depot
    horizon = _down(depot.due, scale) if math.isfinite(depot.due) else _BIG_TIME // 4
    routing.AddDimension(
        routing.RegisterTransitMatrix(data.travel), horizon, horizon, False, "time"
    )
    time_dim = routing.GetDimensionOrDie("time")
    for c in problem.clients:
        late = min(_down(c.due, scale), horizon)
        index = manager.NodeToIndex(c.id)
        time_dim.CumulVar(index).SetRange(_up(c.ready, scale), late)
        if optional:
            routing.AddDisjunction([index], data.big)
    for v in range(fleet):
        time_dim.CumulVar(routing.Start(v)).SetRange(_up(depot.ready, scale), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(_up(depot.ready, scale), horizon)
        if problem.shift_length is not None:
            time_dim.SetSpanUpperBoundForVehicle(_down(problem.shift_length, scale), v)
    if fixed_cost:
        routing.SetFixedCostOfAllVehicles(data.big)
    return _Model(manager, routing)


def _params(seconds: float, *, first_only: bool = False) -> pywrapcp.RoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(max(10, int(seconds * 1000)))
    if first_only:
        params.solution_limit = 1
    return params


def _routes(model: _Model, assignment: pywrapcp.Assignment, fleet: int) -> _Routes:
    """Client node ids per non-empty route of an assignment."""
    routes = []
    for v in range(fleet):
        index, visits = model.routing.Start(v), []
        index = assignment.Value(model.routing.NextVar(index))
        while not model.routing.IsEnd(index):
            visits.append(int(model.manager.IndexToNode(index)))
            index = assignment.Value(model.routing.NextVar(index))
        if visits:
            routes.append(visits)
    return routes


def _solve(
    model: _Model, params: pywrapcp.RoutingSearchParameters, warm: _Routes | None = None
) -> pywrapcp.Assignment | None:
    if warm is None:
        return model.routing.SolveWithParameters(params)
    model.routing.CloseModelWithParameters(params)
    indices = [[model.manager.NodeToIndex(n) for n in route] for route in warm]
    start = model.routing.ReadAssignmentFromRoutes(indices, True)
    if start is None:
        return model.routing.SolveWithParameters(params)
    return model.routing.SolveFromAssignmentWithParameters(start, params)


def _try_fleet(data: _Data, routes: _Routes, seconds: float) -> _Routes | None:
    """A solution serving every client with one vehicle fewer than ``routes``, stopping at the
    first one: the search starts from ``routes`` without its smallest route, whose clients are
    left out at a penalty until it inserts them elsewhere."""
    fleet = len(routes) - 1
    model = _build(data, fleet, fixed_cost=False, optional=True)
    routing = model.routing

    def stop_if_complete() -> None:
        if routing.CostVar().Value() < data.big:  # nothing dropped
            routing.solver().FinishCurrentSearch()

    routing.AddAtSolutionCallback(stop_if_complete)
    kept = sorted(routes, key=len)[1:]
    assignment = _solve(model, _params(seconds), warm=kept)
    if assignment is None or assignment.ObjectiveValue() >= data.big:
        return None
    return _routes(model, assignment, fleet)


@dataclass
class ORToolsSolver:
    """OR-Tools routing with guided local search (the benchmark baseline).

    Parameters
    ----------
    scale
        Multiplier turning distances and times into integers (as the PyVRP adapter).
    fleet_share
        Fraction of the time limit spent reducing the fleet under ``VEHICLES_THEN_DISTANCE``
        (the PyVRP adapter's default).
    """

    scale: int = 1_000
    fleet_share: float = 0.5
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
        data = _Data.of(problem, self.scale)
        if objective is Objective.VEHICLES_THEN_DISTANCE:
            routes = self._fleet_then_distance(data, started + time_limit_s)
        else:
            model = _build(data, problem.fleet_size, fixed_cost=False, optional=False)
            remaining = time_limit_s - (time.perf_counter() - started)
            found = _solve(model, _params(remaining))
            routes = None if found is None else _routes(model, found, problem.fleet_size)
        if routes is None:
            raise NoSolutionFound(
                f"OR-Tools found no feasible solution for {problem.name!r} in {time_limit_s:g} s"
            )
        return Solution(
            tuple(Route(tuple(r)) for r in routes),
            solver=self.name,
            runtime_s=time.perf_counter() - started,
        )

    def _fleet_then_distance(self, data: _Data, deadline: float) -> _Routes | None:
        problem = data.problem
        fleet_deadline = time.perf_counter() + (deadline - time.perf_counter()) * self.fleet_share
        lower = max(1, math.ceil(sum(data.demand) / max(1, problem.vehicle_capacity)))
        first = _build(data, problem.fleet_size, fixed_cost=True, optional=False)
        found = _solve(first, _params(deadline - time.perf_counter(), first_only=True))
        if found is None:
            return None
        best = _routes(first, found, problem.fleet_size)
        while len(best) > lower and time.perf_counter() < fleet_deadline:
            fewer = _try_fleet(data, best, fleet_deadline - time.perf_counter())
            if fewer is None:
                break
            best = fewer
        final = _build(data, len(best), fixed_cost=True, optional=False)
        polished = _solve(final, _params(deadline - time.perf_counter()), warm=best)
        if polished is None:
            return best
        return min(
            _routes(final, polished, len(best)), best, key=lambda r: (len(r), _cost(data, r))
        )


def _cost(data: _Data, routes: _Routes) -> int:
    """Total scaled distance of ``routes``."""
    total = 0
    for route in routes:
        path = [0, *route, 0]
        total += sum(data.dist[a][b] for a, b in pairwise(path))
    return total
