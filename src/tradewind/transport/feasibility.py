"""Independent feasibility checker for VRPTW solutions (stdlib only).

It trusts nothing the solver reports: it recomputes every schedule and distance from the
coordinates with :meth:`Problem.distance` (unrounded for the ``EXACT`` convention), so a solver
adapter that scales or rounds cannot hide an infeasibility or flatter its gap.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from tradewind.transport.routing import Problem, Route, Solution, route_distance

# Times are sums of a handful of floats; this absorbs their last-bit error, nothing more.
TOLERANCE = 1e-6


class ViolationKind(StrEnum):
    """Stable codes of the ways a solution can be infeasible."""

    UNKNOWN_CLIENT = "unknown_client"
    MISSING_CLIENT = "missing_client"
    DUPLICATE_CLIENT = "duplicate_client"
    CAPACITY = "capacity"
    TIME_WINDOW = "time_window"
    DEPOT_RETURN = "depot_return"
    SHIFT_LENGTH = "shift_length"
    FLEET_SIZE = "fleet_size"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken constraint; ``route`` is the 0-based route index, or ``None``."""

    kind: ViolationKind
    detail: str
    route: int | None = None
    client: int | None = None


@dataclass(frozen=True, slots=True)
class RouteSchedule:
    """The earliest schedule of one route plus its shortest possible duration."""

    distance: float
    load: int
    service_starts: tuple[float, ...]
    return_time: float
    duration: float


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Outcome of :func:`check`: feasibility, exact distance and every violation found."""

    feasible: bool
    distance: float
    num_vehicles: int
    violations: tuple[Violation, ...]

    def summary(self) -> str:
        if self.feasible:
            return f"feasible: {self.num_vehicles} vehicles, distance {self.distance:.4f}"
        kinds = Counter(v.kind for v in self.violations)
        return "infeasible: " + ", ".join(f"{k.value} x{n}" for k, n in sorted(kinds.items()))


def schedule(problem: Problem, route: Route) -> RouteSchedule:
    """Earliest-start schedule of a route leaving the depot at its ready time.

    The duration assumes the driver departs as late as possible without delaying any service
    start beyond its due time or the return beyond the earliest-schedule return time.
    """
    depot = problem.depot
    time, prev, load = depot.ready, 0, 0
    starts: list[float] = []
    # Latest the departure may be pushed back: for each stop, its slack to due plus the
    # waiting accumulated up to it (waiting absorbs a later departure).
    waited, push_limit = 0.0, math.inf
    for node in route.visits:
        client = problem.client(node)
        arrival = time + problem.distance(prev, node)
        start = max(arrival, client.ready)
        waited += start - arrival
        push_limit = min(push_limit, waited + max(0.0, client.due - start))
        starts.append(start)
        load += client.demand
        time, prev = start + client.service, node
    return_time = time + problem.distance(prev, 0)
    # Pushing beyond the waiting total only delays the return, so it never shortens the shift.
    push = min(push_limit, waited)
    duration = return_time - (depot.ready + push)
    return RouteSchedule(
        distance=route_distance(problem, route),
        load=load,
        service_starts=tuple(starts),
        return_time=return_time,
        duration=duration,
    )


def _route_violations(problem: Problem, index: int, route: Route) -> list[Violation]:
    known = [c for c in route.visits if 1 <= c <= problem.num_clients]
    if len(known) != len(route.visits):
        return []  # reported as UNKNOWN_CLIENT; a schedule over unknown ids means nothing
    plan = schedule(problem, route)
    found: list[Violation] = []
    if plan.load > problem.vehicle_capacity:
        found.append(
            Violation(
                ViolationKind.CAPACITY,
                f"load {plan.load} > capacity {problem.vehicle_capacity}",
                index,
            )
        )
    for client_id, start in zip(route.visits, plan.service_starts, strict=True):
        due = problem.client(client_id).due
        if start > due + TOLERANCE:
            found.append(
                Violation(
                    ViolationKind.TIME_WINDOW,
                    f"client {client_id} served at {start:.6f} > due {due}",
                    index,
                    client_id,
                )
            )
    if plan.return_time > problem.depot.due + TOLERANCE:
        found.append(
            Violation(
                ViolationKind.DEPOT_RETURN,
                f"returns at {plan.return_time:.6f} > depot due {problem.depot.due}",
                index,
            )
        )
    shift = problem.shift_length
    if shift is not None and plan.duration > shift + TOLERANCE:
        found.append(
            Violation(
                ViolationKind.SHIFT_LENGTH, f"duration {plan.duration:.6f} > shift {shift}", index
            )
        )
    return found


def _coverage_violations(problem: Problem, solution: Solution) -> list[Violation]:
    seen: Counter[int] = Counter()
    found: list[Violation] = []
    for index, route in enumerate(solution.routes):
        for client_id in route.visits:
            if not 1 <= client_id <= problem.num_clients:
                found.append(
                    Violation(
                        ViolationKind.UNKNOWN_CLIENT,
                        f"client {client_id} does not exist",
                        index,
                        client_id,
                    )
                )
            else:
                seen[client_id] += 1
    for client_id in range(1, problem.num_clients + 1):
        if seen[client_id] == 0:
            found.append(
                Violation(
                    ViolationKind.MISSING_CLIENT,
                    f"client {client_id} is not visited",
                    client=client_id,
                )
            )
        elif seen[client_id] > 1:
            found.append(
                Violation(
                    ViolationKind.DUPLICATE_CLIENT,
                    f"client {client_id} visited {seen[client_id]} times",
                    client=client_id,
                )
            )
    return found


def check(problem: Problem, solution: Solution) -> CheckReport:
    """Check every constraint of ``problem`` against ``solution``.

    Returns
    -------
    CheckReport
        ``feasible`` is true only when no violation was found; ``distance`` is the exact total
        under the problem's distance convention (computed even when infeasible).
    """
    violations = _coverage_violations(problem, solution)
    if solution.num_vehicles > problem.fleet_size:
        violations.append(
            Violation(
                ViolationKind.FLEET_SIZE,
                f"{solution.num_vehicles} routes > fleet of {problem.fleet_size}",
            )
        )
    for index, route in enumerate(solution.routes):
        violations.extend(_route_violations(problem, index, route))
    distance = math.fsum(
        schedule(problem, r).distance
        for r in solution.routes
        if all(1 <= c <= problem.num_clients for c in r.visits)
    )
    return CheckReport(
        feasible=not violations,
        distance=distance,
        num_vehicles=solution.num_vehicles,
        violations=tuple(violations),
    )


def instance_infeasibility(problem: Problem) -> list[str]:
    """Reasons no solution can exist (empty when none is obvious).

    Detects a client whose demand exceeds the capacity, a client that cannot be reached in its
    window or from which the depot cannot be reached in time, a total demand above the fleet's
    capacity, and a shift too short for a lone out-and-back trip.
    """
    reasons: list[str] = []
    depot, cap = problem.depot, problem.vehicle_capacity
    for c in problem.clients:
        out, back = problem.distance(0, c.id), problem.distance(c.id, 0)
        start = max(depot.ready + out, c.ready)
        if c.demand > cap:
            reasons.append(f"client {c.id}: demand {c.demand} exceeds capacity {cap}")
        if start > c.due + TOLERANCE:
            reasons.append(f"client {c.id}: earliest arrival {start:.3f} after due {c.due}")
        elif start + c.service + back > depot.due + TOLERANCE:
            reasons.append(f"client {c.id}: cannot return to the depot by {depot.due}")
        shift = problem.shift_length
        if shift is not None and out + c.service + back > shift + TOLERANCE:
            reasons.append(f"client {c.id}: round trip exceeds the shift of {shift}")
    if problem.total_demand > cap * problem.fleet_size:
        reasons.append(
            f"total demand {problem.total_demand} exceeds fleet capacity {cap * problem.fleet_size}"
        )
    return reasons
