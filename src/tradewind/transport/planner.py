"""Plan one shipment over the network: validate, prune, expand departures, search (stdlib).

:func:`plan` wraps :func:`tradewind.transport.linehaul.plan_path` with what a caller needs:
coded errors for unknown nodes and bad requests, the earliest possible arrival when the
deadline cannot be met, and pruning so a plan touches only lanes that can matter.

Pruning uses lower bounds: the fastest planned transit from the origin to a lane's start
(``fwd``) plus the lane plus the fastest from its end to the destination (``bwd``), ignoring
waits for departures. A lane whose bound exceeds the time available can never be on a
feasible path, so dropping it does not change the answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from itertools import groupby

from tradewind.transport.errors import (
    DeadlineBeforeReady,
    DeadlineUnmet,
    InvalidWeight,
    NoRoute,
    SameNode,
)
from tradewind.transport.linehaul import (
    CHECK_EVERY,
    Criterion,
    Departure,
    Plan,
    Request,
    Stop,
    check_stop,
    plan_path,
)
from tradewind.transport.network import Network, NetworkLane

SEARCH_HORIZON = timedelta(days=120)
"""How far past ``ready`` the earliest-arrival search looks before it reports no route."""


def make_request(
    network: Network,
    origin: str,
    destination: str,
    kg: float,
    window: tuple[datetime, datetime],
    criterion: Criterion = Criterion.COST,
) -> Request:
    """A validated :class:`Request`; ``window`` is ``(ready, deadline)``, timezone-aware.

    Raises
    ------
    UnknownNode, InvalidWeight, DeadlineBeforeReady, SameNode
    """
    ready, deadline = window
    network.node(origin)
    network.node(destination)
    if origin == destination:
        raise SameNode(f"origin and destination are both {origin}")
    if not kg > 0:
        raise InvalidWeight(f"--kg must be greater than 0, got {kg}")
    if deadline < ready:
        raise DeadlineBeforeReady(
            f"the deadline {deadline.isoformat()} is before the ready time {ready.isoformat()}"
        )
    return Request(
        origin,
        destination,
        kg,
        ready,
        deadline,
        criterion=criterion,
        min_connection=network.params.min_connection,
    )


def _departures(
    network: Network,
    window: tuple[datetime, datetime],
    lanes: Sequence[NetworkLane],
    booked: Mapping[str, float] | None,
) -> list[Departure]:
    """``network.departures`` over ``lanes``, asking ``booked`` only on lanes with bookings.

    Looking a departure's id up costs more than expanding it; a batch books few lanes. The
    lanes are expanded in runs in their given order, so the list is the one
    ``network.departures`` would return (ties in the planner's sort break the same way)."""
    start, end = window
    if not booked:
        return network.departures(start, end, lanes=lanes)
    hit = {key.partition("@")[0] for key in booked}
    out: list[Departure] = []
    for has_booking, run in groupby(lanes, key=lambda nl: nl.key in hit):
        out += network.departures(
            start, end, lanes=list(run), booked=booked if has_booking else None
        )
    return out


def _hours(nl: NetworkLane) -> float:
    return nl.planned.total_seconds() / 3600.0


def _bounds(lanes: Sequence[NetworkLane], source: str, forward: bool) -> dict[str, float]:
    """Fastest planned hours from ``source`` (or to it, when not ``forward``): Dijkstra."""
    edges: dict[str, list[tuple[str, float]]] = {}
    for nl in lanes:
        a, b = (nl.lane.origin, nl.lane.destination)
        if not forward:
            a, b = b, a
        edges.setdefault(a, []).append((b, _hours(nl)))
    best = {source: 0.0}
    heap = [(0.0, source)]
    while heap:
        h, node = heapq.heappop(heap)
        if h > best[node]:
            continue
        for nxt, step in edges.get(node, ()):
            if h + step < best.get(nxt, float("inf")):
                best[nxt] = h + step
                heapq.heappush(heap, (h + step, nxt))
    return best


def candidate_lanes(network: Network, request: Request, budget: timedelta) -> list[NetworkLane]:
    """Lanes with room for the shipment that can lie on a path arriving within ``budget``."""
    usable = [nl for nl in network.lanes if nl.capacity_kg >= request.kg]
    fwd = _bounds(usable, request.origin, forward=True)
    bwd = _bounds(usable, request.destination, forward=False)
    limit = budget.total_seconds() / 3600.0
    return [
        nl
        for nl in usable
        if nl.lane.origin in fwd
        and nl.lane.destination in bwd
        and fwd[nl.lane.origin] + _hours(nl) + bwd[nl.lane.destination] <= limit
    ]


def earliest_arrival(
    network: Network,
    request: Request,
    *,
    horizon: timedelta = SEARCH_HORIZON,
    booked: Mapping[str, float] | None = None,
    stop: Stop | None = None,
) -> datetime | None:
    """Earliest planned arrival at the destination within ``horizon``, ignoring the deadline.

    A plain connection scan over the same departures and connection rule as :func:`plan`;
    ``stop`` as in :func:`~tradewind.transport.linehaul.plan_path`.
    """
    end = request.ready + horizon
    lanes = candidate_lanes(network, request, horizon)
    check_stop(stop, "earliest arrival")
    deps = _departures(network, (request.ready, end), lanes, booked)
    best: dict[str, datetime] = {request.origin: request.ready}
    for n, dep in enumerate(sorted(deps, key=lambda d: (d.depart, d.arrive))):
        if n % CHECK_EVERY == 0:
            check_stop(stop, "earliest arrival")
        at = best.get(dep.lane.origin)
        if at is None or dep.capacity_kg < request.kg:
            continue
        wait = timedelta(0) if dep.lane.origin == request.origin else request.min_connection
        known = best.get(dep.lane.destination)
        if at + wait <= dep.depart and (known is None or dep.arrive < known):
            best[dep.lane.destination] = dep.arrive
    return best.get(request.destination)


def plan(
    network: Network,
    request: Request,
    *,
    booked: Mapping[str, float] | None = None,
    stop: Stop | None = None,
) -> Plan:
    """The cheapest (or lowest-CO2) plan meeting the request's deadline.

    ``stop`` (a time budget) is asked between and during the searches.

    Raises
    ------
    DeadlineUnmet
        When a path exists but none arrives by the deadline; the detail and ``errors`` give
        the earliest possible arrival.
    NoRoute
        When nothing reaches the destination within :data:`SEARCH_HORIZON`.
    PlanningBudgetExceeded
        When ``stop`` said so before an answer was found.
    """
    check_stop(stop, f"{request.origin} -> {request.destination}")
    lanes = candidate_lanes(network, request, request.deadline - request.ready)
    deps = _departures(network, (request.ready, request.deadline), lanes, booked)
    found = plan_path(deps, request, stop=stop)
    if found is not None:
        return found
    earliest = earliest_arrival(network, request, booked=booked, stop=stop)
    route = f"{request.origin} -> {request.destination} ({request.kg:g} kg)"
    if earliest is None:
        raise NoRoute(
            f"no departures connect {route} within {SEARCH_HORIZON.days} days of "
            f"{request.ready.isoformat()}"
        )
    raise DeadlineUnmet(
        f"no plan for {route} arrives by {request.deadline.isoformat()}; "
        f"the earliest possible arrival is {earliest.isoformat()}",
        errors=[
            {
                "field": "deadline",
                "deadline": request.deadline.isoformat(),
                "earliest_arrival": earliest.isoformat(),
            }
        ],
    )
