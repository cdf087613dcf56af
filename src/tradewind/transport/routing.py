"""Last-mile routing model: an immutable VRPTW problem and its solution (stdlib only).

Conventions
-----------
* Travel time equals distance (unit speed), as in the Solomon and Homberger benchmarks.
* Distances are Euclidean. ``DistanceConvention.EXACT`` keeps them unrounded (Solomon,
  Homberger, SINTEF records); ``DistanceConvention.NEAREST_INT`` rounds each edge to the
  nearest integer, which is the TSPLIB ``EUC_2D`` rule the CVRPLIB X records are computed with.
* A client's time window bounds the *start* of service; arriving early means waiting.
* Every route starts and ends at the depot and must be back by the depot's due time; when
  ``shift_length`` is set, a route's duration (departure to return, with the departure chosen
  as late as the schedule allows) may not exceed it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from tradewind.shared.errors import CommonError, TradewindError


class RoutingError(TradewindError):
    """A routing problem or solution was malformed."""

    code = CommonError.VALIDATION_FAILED
    status = 422


class NoSolutionFound(RoutingError):
    """A solver found no feasible solution within its budget."""

    code = CommonError.CONFLICT
    status = 409


class InfeasibleInstance(RoutingError):
    """The instance admits no feasible solution (e.g. a demand above the capacity)."""


class Objective(StrEnum):
    """What a route solver minimises."""

    DISTANCE = "distance"
    VEHICLES_THEN_DISTANCE = "vehicles-then-distance"


class DistanceConvention(StrEnum):
    """How an edge length is derived from the coordinates."""

    EXACT = "exact"
    NEAREST_INT = "nearest_int"


@dataclass(frozen=True, slots=True)
class Depot:
    """Where every route starts and ends; ``due`` is the latest return time."""

    x: float
    y: float
    ready: float = 0.0
    due: float = math.inf

    def __post_init__(self) -> None:
        if self.ready > self.due:
            raise RoutingError(f"depot ready time {self.ready} is after its due time {self.due}")


@dataclass(frozen=True, slots=True)
class Client:
    """A delivery stop: ``demand`` units, service starting in ``[ready, due]``."""

    id: int
    x: float
    y: float
    demand: int
    ready: float = 0.0
    due: float = math.inf
    service: float = 0.0

    def __post_init__(self) -> None:
        if self.id < 1:
            raise RoutingError(f"client id must be >= 1 (0 is the depot), got {self.id}")
        if self.demand < 0:
            raise RoutingError(f"client {self.id} has negative demand {self.demand}")
        if self.service < 0:
            raise RoutingError(f"client {self.id} has negative service time {self.service}")
        if self.ready > self.due:
            raise RoutingError(f"client {self.id}: ready time {self.ready} after due {self.due}")


@dataclass(frozen=True, slots=True)
class Problem:
    """A capacitated VRP with time windows, a fleet limit and an optional shift length.

    Clients are numbered ``1..n`` in order; ``clients[i - 1].id == i``.
    """

    name: str
    depot: Depot
    clients: tuple[Client, ...]
    vehicle_capacity: int
    fleet_size: int
    shift_length: float | None = None
    distances: DistanceConvention = DistanceConvention.EXACT
    _coords: tuple[tuple[float, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for position, client in enumerate(self.clients, start=1):
            if client.id != position:
                raise RoutingError(
                    f"client ids must be 1..n in order; position {position} holds id {client.id}"
                )
        if self.vehicle_capacity <= 0:
            raise RoutingError(f"vehicle capacity must be positive, got {self.vehicle_capacity}")
        if self.fleet_size <= 0:
            raise RoutingError(f"fleet size must be positive, got {self.fleet_size}")
        if self.shift_length is not None and self.shift_length <= 0:
            raise RoutingError(f"shift length must be positive, got {self.shift_length}")
        coords = ((self.depot.x, self.depot.y), *((c.x, c.y) for c in self.clients))
        object.__setattr__(self, "_coords", coords)

    @property
    def num_clients(self) -> int:
        return len(self.clients)

    @property
    def total_demand(self) -> int:
        return sum(c.demand for c in self.clients)

    def client(self, client_id: int) -> Client:
        """The client with this id (1-based)."""
        if not 1 <= client_id <= len(self.clients):
            raise RoutingError(f"no client {client_id} in {self.name!r}")
        return self.clients[client_id - 1]

    def distance(self, a: int, b: int) -> float:
        """Edge length between nodes ``a`` and ``b`` (0 is the depot) under the convention."""
        (xa, ya), (xb, yb) = self._coords[a], self._coords[b]
        exact = math.hypot(xa - xb, ya - yb)
        if self.distances is DistanceConvention.NEAREST_INT:
            return float(math.floor(exact + 0.5))
        return exact

    def replace(self, **changes: object) -> Problem:
        """A copy with some fields changed (``fleet_size=...``, ``clients=...``)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def head(self, n: int) -> Problem:
        """The same problem restricted to its first ``n`` clients (small tests and demos)."""
        return self.replace(name=f"{self.name}[:{n}]", clients=self.clients[:n])


@dataclass(frozen=True, slots=True)
class Route:
    """The client ids one vehicle visits, in order (depot legs implied)."""

    visits: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.visits)


@dataclass(frozen=True, slots=True)
class Solution:
    """Routes found by a solver; empty routes are dropped.

    ``solver`` names what produced it and ``runtime_s`` the wall time it took; distances and
    feasibility come from :mod:`tradewind.transport.feasibility`, never from the solver.
    """

    routes: tuple[Route, ...]
    solver: str = ""
    runtime_s: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", tuple(r for r in self.routes if r.visits))

    @property
    def num_vehicles(self) -> int:
        return len(self.routes)

    @classmethod
    def of(cls, *routes: list[int] | tuple[int, ...], solver: str = "") -> Solution:
        """Build a solution from plain lists of client ids."""
        return cls(tuple(Route(tuple(r)) for r in routes), solver=solver)


def route_distance(problem: Problem, route: Route) -> float:
    """Length of ``route`` including both depot legs."""
    total, prev = 0.0, 0
    for node in route.visits:
        total += problem.distance(prev, node)
        prev = node
    return total + problem.distance(prev, 0) if route.visits else 0.0


def solution_distance(problem: Problem, solution: Solution) -> float:
    """Total length of all routes, summed with ``math.fsum`` to avoid drift."""
    return math.fsum(route_distance(problem, r) for r in solution.routes)


def gap_pct(found: float, best_known: float) -> float:
    """``100 * (found - best_known) / best_known``."""
    if best_known <= 0:
        raise RoutingError(f"best-known cost must be positive, got {best_known}")
    return 100.0 * (found - best_known) / best_known
