"""Daily van routes per delivery station: the simulation's last-mile cost comes from routes.

For each (delivery station, local day) the runner hands over the customers it delivered to.
This module turns them into a VRPTW (:mod:`tradewind.transport.routing`), solves it through a
:class:`~tradewind.transport.ports.RouteSolver`, re-checks every solution with
:func:`tradewind.transport.feasibility.check` and prices the checked routes:
van-hours x ``costs.VAN_HOUR`` + road km x ``costs.VAN_KM``.

The instance follows the journey (``journey._last_mile``): vans leave at 08:30 local solar
time and each parcel is delivered 1 to 9 hours later, so every stop's window is
``[60, 540]`` minutes after departure; the depot closes and the driver's shift ends
``shift_hours`` after 08:30. Parcels to the same customer on the same day are one stop.

Sampling
--------
Each simulated parcel stands for ``represented`` real ones, so a station's simulated stops are
a 1/represented sample of its real stops spread over the same area. By Beardwood-Halton-
Hammersley a tour through ``n`` random points of an area ``A`` has length ~ 0.71 sqrt(n A), so
the distance *per stop* falls as 1/sqrt(density). Routing the sample at its true coordinates
would charge each stop the spacing of a sparse sample (100 times the real one at the default
10,000); instead every coordinate is scaled by ``1 / sqrt(represented)`` around the station,
which puts the sample at the real stop density (km per stop as in reality) and keeps capacity,
time windows and shift length meaningful. The sample's route cost is then its stops' share of
the real fleet's cost (each simulated stop pays what one real stop costs). What this shrinks
too: the stem from the station to the delivery area, so routes far from their station are
under-priced; loading at the station and breaks are not modelled either.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tradewind.economics import costs
from tradewind.shared.geo import EARTH_RADIUS_KM
from tradewind.simulation.journey import Node
from tradewind.transport.feasibility import check, instance_infeasibility, schedule
from tradewind.transport.ports import RouteSolver
from tradewind.transport.routing import Client, Depot, NoSolutionFound, Problem, Solution


@dataclass(frozen=True, slots=True)
class LastMileParams:
    """Vans, windows and the solver budget of a station's day.

    Parameters
    ----------
    van_capacity
        Parcels a van carries (a 3.5 t panel van: 200-300 parcels).
    shift_hours
        Driver's shift, from 08:30 local; routes must be back at the station by its end.
    window_hours
        Delivery window after the 08:30 departure (the journey draws 1-9 hours).
    service_minutes
        Time at each stop (park, walk, hand over).
    speed_kmh, circuity
        Average van speed on roads, and road km per straight-line km.
    time_per_stop_s, max_time_s
        Solver budget of a station-day: ``time_per_stop_s`` per stop, at most ``max_time_s``.
    """

    van_capacity: int = 250
    shift_hours: float = 10.0
    window_hours: tuple[float, float] = (1.0, 9.0)
    service_minutes: float = 2.5
    speed_kmh: float = 30.0
    circuity: float = 1.3
    time_per_stop_s: float = 0.002
    max_time_s: float = 0.2

    def __post_init__(self) -> None:
        first, last = self.window_hours
        if self.van_capacity <= 0 or self.speed_kmh <= 0 or self.circuity <= 0:
            raise ValueError("van capacity, speed and circuity must be positive")
        if not 0 <= first <= last <= self.shift_hours:
            raise ValueError(f"window {self.window_hours} must lie within the shift")
        if self.time_per_stop_s <= 0 or self.max_time_s <= 0:
            raise ValueError("solver time budgets must be positive")

    def time_limit_s(self, stops: int) -> float:
        """Solver budget for a station-day with ``stops`` stops."""
        return min(self.max_time_s, self.time_per_stop_s * max(1, stops))


@dataclass(frozen=True, slots=True)
class Stop:
    """One delivery address of the day and the parcels dropped there."""

    customer_id: str
    lat: float
    lon: float
    parcels: int = 1


def local_day(at: datetime, lon: float) -> date:
    """The local solar date at longitude ``lon`` (as the journey's 08:30 departures use)."""
    return (at + timedelta(hours=lon / 15.0)).date()


def stops_of(customers: Iterable[Node]) -> tuple[Stop, ...]:
    """One stop per customer, counting parcels, ordered by customer id (deterministic)."""
    parcels: Counter[str] = Counter()
    where: dict[str, Node] = {}
    for node in customers:
        parcels[node.node_id] += 1
        where[node.node_id] = node
    return tuple(Stop(cid, where[cid].lat, where[cid].lon, parcels[cid]) for cid in sorted(parcels))


def minutes_per_km(params: LastMileParams) -> float:
    """Driving minutes per road km: the instance's unit of distance and of time."""
    return 60.0 / params.speed_kmh


def build_problem(
    name: str, station: Node, stops: Sequence[Stop], params: LastMileParams, *, represented: int
) -> Problem:
    """The station-day's VRPTW in minutes, coordinates scaled by ``circuity / sqrt(represented)``.

    A local equirectangular projection around the station (km), times road circuity, times
    ``1 / sqrt(represented)`` (see the module docstring), times minutes per km: travel time
    equals distance, as :mod:`tradewind.transport.routing` assumes. Time zero is 08:30 local.
    """
    if represented < 1:
        raise ValueError(f"represented must be >= 1, got {represented}")
    scale = params.circuity / math.sqrt(represented) * minutes_per_km(params)
    cos_lat = math.cos(math.radians(station.lat))
    ready, due = (60.0 * h for h in params.window_hours)
    clients = []
    for i, stop in enumerate(stops, start=1):
        dlon = (stop.lon - station.lon + 180.0) % 360.0 - 180.0
        x = math.radians(dlon) * cos_lat * EARTH_RADIUS_KM * scale
        y = math.radians(stop.lat - station.lat) * EARTH_RADIUS_KM * scale
        clients.append(
            Client(i, x, y, stop.parcels, ready=ready, due=due, service=params.service_minutes)
        )
    shift = 60.0 * params.shift_hours
    return Problem(
        name=name,
        depot=Depot(0.0, 0.0, ready=0.0, due=shift),
        clients=tuple(clients),
        vehicle_capacity=params.van_capacity,
        fleet_size=max(1, len(clients)),
        shift_length=shift,
    )


@dataclass(frozen=True, slots=True)
class RouteCost:
    """What a checked route plan costs: van-hours and road km (both scaled), in US cents."""

    routes: int
    van_hours: float
    km: float
    usd_cents: int


def route_cost(problem: Problem, solution: Solution, params: LastMileParams) -> RouteCost:
    """Price routes from their checked schedules (shortest duration, exact distance)."""
    plans = [schedule(problem, route) for route in solution.routes]
    minutes = math.fsum(p.duration for p in plans)
    km = math.fsum(p.distance for p in plans) / minutes_per_km(params)
    hours = minutes / 60.0
    return RouteCost(len(plans), hours, km, costs.van_route(hours, km))


@dataclass
class LastMileStats:
    """Running totals over a simulation's station-days (routed ones unless named otherwise)."""

    solver: str = ""
    station_days: int = 0  # all, routed or not
    routed: int = 0
    stops: int = 0
    parcels: int = 0
    routes: int = 0
    van_hours: float = 0.0
    km: float = 0.0
    usd_cents: int = 0
    infeasible_solutions: int = 0  # returned by the solver, rejected by the checker
    unsolved: int = 0  # the solver found nothing in its budget
    infeasible_instances: int = 0  # no solution can exist (e.g. a stop beyond the shift)
    solver_seconds: float = 0.0
    seconds: float = 0.0  # all of it: building, solving, checking, pricing
    violations: Counter[str] = field(default_factory=Counter)

    def kpis(self) -> dict[str, object]:
        """The ``last_mile`` block of the simulate report (per-stop figures are scaled)."""

        def per_stop(value: float, digits: int) -> float | None:
            return round(value / self.stops, digits) if self.stops else None

        return {
            "routing": True,
            "solver": self.solver,
            "station_days": self.station_days,
            "routed_station_days": self.routed,
            "fallback_station_days": self.station_days - self.routed,
            "routes": self.routes,
            "stops": self.stops,
            "parcels": self.parcels,
            "stops_per_route": round(self.stops / self.routes, 1) if self.routes else None,
            "km_per_stop": per_stop(self.km, 3),
            "minutes_per_stop": per_stop(60.0 * self.van_hours, 2),
            "cost_per_stop_usd": per_stop(self.usd_cents / 100, 3),
            "cost_usd": round(self.usd_cents / 100, 2),
            "infeasible_solutions": self.infeasible_solutions,
            "unsolved": self.unsolved,
            "infeasible_instances": self.infeasible_instances,
            "violations": dict(sorted(self.violations.items())),
            "solver_seconds": round(self.solver_seconds, 2),
            "seconds": round(self.seconds, 2),
        }


class LastMile:
    """Routes and prices station-days through a solver; never trusts an unchecked solution.

    ``cost`` returns ``None`` when no checked-feasible plan exists (an infeasible instance, no
    solution in the budget, or a solution the checker rejects); each case is counted in
    :attr:`stats` and the caller falls back to the constant van-day cost.
    """

    def __init__(
        self, solver: RouteSolver, params: LastMileParams, *, represented: int, seed: int
    ) -> None:
        self.solver, self.params = solver, params
        self.represented, self.seed = represented, seed
        self.stats = LastMileStats(solver=solver.name)

    def cost(self, name: str, station: Node, stops: Sequence[Stop]) -> int | None:
        """US cents of the routes serving ``stops`` from ``station`` (None: not routed)."""
        started = time.perf_counter()
        try:
            return self._cost(name, station, stops)
        finally:
            self.stats.seconds += time.perf_counter() - started

    def _cost(self, name: str, station: Node, stops: Sequence[Stop]) -> int | None:
        self.stats.station_days += 1
        if not stops:
            return None
        problem = build_problem(name, station, stops, self.params, represented=self.represented)
        if instance_infeasibility(problem):
            self.stats.infeasible_instances += 1
            return None
        started = time.perf_counter()
        try:
            solution = self.solver.solve(
                problem, time_limit_s=self.params.time_limit_s(len(stops)), seed=self.seed
            )
        except NoSolutionFound:
            self.stats.unsolved += 1
            return None
        finally:
            self.stats.solver_seconds += time.perf_counter() - started
        report = check(problem, solution)
        if not report.feasible:
            self.stats.infeasible_solutions += 1
            self.stats.violations.update(v.kind.value for v in report.violations)
            return None
        priced = route_cost(problem, solution, self.params)
        s = self.stats
        s.routed += 1
        s.stops += len(stops)
        s.parcels += sum(stop.parcels for stop in stops)
        s.routes += priced.routes
        s.van_hours += priced.van_hours
        s.km += priced.km
        s.usd_cents += priced.usd_cents
        return priced.usd_cents
