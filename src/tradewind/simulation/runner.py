"""The live simulation loop: a simulated clock drives demand through the real services and
moves every shipment through its journey, one tick at a time."""

from __future__ import annotations

import heapq
import itertools
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tradewind.economics import costs
from tradewind.simulation.demand import (
    MEMBER_ORDER_WEIGHT,
    DemandParams,
    basket,
    orders_in_tick,
    popularity_weights,
)
from tradewind.simulation.journey import JourneyStep, Node, ShipmentPlan, plan_journey
from tradewind.simulation.last_mile import LastMile, LastMileParams, local_day, stops_of
from tradewind.simulation.ports import Shopper, SimulationPorts
from tradewind.transport.ports import RouteSolver

MAX_DRAIN_DAYS = 14


@dataclass(frozen=True)
class SimParams:
    seed: int
    days: float
    start: datetime
    orders_per_day: int = 2_000
    tick_minutes: int = 15
    peak_days: tuple[date, ...] = ()
    drain: bool = True  # after demand stops, keep moving parcels until all are delivered
    run_id: str = "run"
    # Real parcels each simulated parcel stands for when trailers and vans are shared: the
    # demo's ~2,000 orders a day sample a network shipping ~20 million a day.
    represented: int = 10_000
    # Vans, windows and solver budget of the route-based last mile (when a solver is given).
    last_mile: LastMileParams = field(default_factory=LastMileParams)


@dataclass
class SimStats:
    attempted: int = 0
    placed: int = 0
    refused: int = 0
    steps: int = 0
    restocked_units: int = 0
    real_seconds: float = 0.0
    sim_end: datetime | None = None
    refusals: Counter[str] = field(default_factory=Counter)
    customs: Counter[str] = field(default_factory=Counter)  # clearance steps by name
    clearance_hours: list[float] = field(default_factory=list)  # declared -> cleared/refused


class Simulation:
    """Drives demand and journeys; with a ``route_solver`` each station's day of deliveries
    is routed and priced (:mod:`tradewind.simulation.last_mile`), else a van-day constant."""

    def __init__(
        self, ports: SimulationPorts, params: SimParams, route_solver: RouteSolver | None = None
    ) -> None:
        self.ports, self.p = ports, params
        self.last_mile = (
            LastMile(
                route_solver, params.last_mile, represented=params.represented, seed=params.seed
            )
            if route_solver is not None
            else None
        )
        self.drops: dict[tuple[Node, date], list[Node]] = {}  # (station, local day) -> customers
        self.rng = random.Random(f"{params.seed}:simulation")
        self.queue: list[tuple[datetime, int, ShipmentPlan, JourneyStep]] = []
        self.seq = itertools.count()
        self.trips_seen: set[str] = set()
        self.van_stops: Counter[tuple[str, date]] = Counter()
        self.trip_loads: Counter[str] = Counter()
        self.declared_at: dict[str, datetime] = {}
        self.held: set[str] = set()
        self.stats = SimStats()
        self.now: datetime | None = None
        # Where the loop stands (a resumed run restores them, see simulation/checkpoint.py).
        self.t, self.last_restock = params.start, params.start
        self.requeued: set[str] = set()  # shipments a resumed run re-derived from the database
        longitudes = ports.sites()
        self.demand = DemandParams(
            params.orders_per_day,
            params.peak_days,
            site_weights=ports.site_weights(),
            site_longitudes=longitudes,
        )
        self.catalogs = {s: ports.catalog(s) for s in longitudes}
        self.popularity = {s: popularity_weights(len(c)) for s, c in self.catalogs.items()}
        self.shoppers = {s: ports.shoppers(s) for s in longitudes}
        self.shopper_weights = {
            s: [MEMBER_ORDER_WEIGHT if x.member else 1.0 for x in v]
            for s, v in self.shoppers.items()
        }

    def run(
        self,
        on_tick: Callable[[datetime, SimStats], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> SimStats:
        started = time.perf_counter()
        tick = timedelta(minutes=self.p.tick_minutes)
        demand_end = self.p.start + timedelta(days=self.p.days)
        hard_end = demand_end + timedelta(days=MAX_DRAIN_DAYS if self.p.drain else 0)
        t = self.t
        while t < demand_end or (self.p.drain and self.queue and t < hard_end):
            if should_stop():
                break
            if t - self.last_restock >= timedelta(hours=6):  # before this tick's orders
                self._advance(t)
                self.stats.restocked_units += self.ports.restock(t)
                self.last_restock = t
            if t < demand_end:
                self._orders(t, tick)
            self._move(t + tick)
            t += tick
            self.t = t
            if on_tick:
                on_tick(t, self.stats)
        self._van_costs()
        self.stats.sim_end = t
        self.stats.real_seconds = time.perf_counter() - started
        return self.stats

    def _advance(self, at: datetime) -> None:
        if self.now is None or at > self.now:
            self.now = at
            self.ports.set_time(at)

    def _orders(self, start: datetime, tick: timedelta) -> None:
        arrivals = []
        for site in sorted(self.catalogs):
            if not self.catalogs[site] or not self.shoppers[site]:
                continue
            n = orders_in_tick(self.demand, site, start, self.p.tick_minutes, self.rng)
            arrivals += [(start + tick * self.rng.random(), site) for _ in range(n)]
        for at, site in sorted(arrivals):
            self._one_order(at, site)

    def _one_order(self, at: datetime, site: str) -> None:
        shopper: Shopper = self.rng.choices(self.shoppers[site], self.shopper_weights[site])[0]
        lines: dict[str, int] = {}
        for qty in basket(self.rng):
            product = self.rng.choices(self.catalogs[site], self.popularity[site])[0]
            offer = self.ports.choose_offer(site, product, shopper.member)
            if offer:
                lines[offer] = qty
        self.stats.attempted += 1
        if not lines:
            self.stats.refused += 1
            self.stats.refusals["no_buy_box"] += 1
            return
        self._advance(at)
        key = f"{self.p.run_id}-{self.stats.attempted}"
        plans = self.ports.place_order(shopper.customer_id, sorted(lines.items()), key)
        if plans is None:
            self.stats.refused += 1
            self.stats.refusals["checkout_refused"] += 1
            return
        self.stats.placed += 1
        self.queue_journeys(self.stats.attempted, plans)

    def queue_journeys(
        self, attempt: int, plans: list[ShipmentPlan], *, after: datetime | None = None
    ) -> None:
        """Queue the parcels of the run's ``attempt``-th order (steps from ``after`` on, when
        a resumed run re-derives a parcel already on its way)."""
        for k, plan in enumerate(plans):
            if after is None and plan.shipment_id in self.requeued:
                continue  # a replayed order of a resumed run: its parcels are queued already
            # Each parcel draws from its own stream, so logistics never shifts demand draws.
            rng = random.Random(f"{self.p.seed}:parcel:{attempt}:{k}")
            for step in plan_journey(plan, rng).steps:
                if after is None or step.at >= after:
                    heapq.heappush(self.queue, (step.at, next(self.seq), plan, step))
            if after is not None:
                self.requeued.add(plan.shipment_id)

    def _move(self, until: datetime) -> None:
        batch: list[tuple[ShipmentPlan, JourneyStep]] = []
        while self.queue and self.queue[0][0] < until:
            _, _, plan, step = heapq.heappop(self.queue)
            if step.trip and step.step == "load":
                self.trip_loads[step.trip] += 1
            if step.trip and step.subject == "trailer":
                key = f"{step.trip}:{step.step}"
                if key in self.trips_seen:
                    continue  # the shared trailer event was recorded by the first package
                self.trips_seen.add(key)
                if step.trip_usd_cents:  # every parcel of the trip is loaded by departure
                    self.ports.record_trip_cost(
                        f"{self.p.run_id}:trip:{step.trip}",
                        step.at,
                        costs.shared(
                            step.trip_usd_cents,
                            self.trip_loads[step.trip],
                            self.p.represented,
                            costs.TRAILER_CAPACITY,
                        ),
                    )
            if step.step.startswith("customs_"):
                self._customs(plan, step)
            if step.step == "delivered" and plan.station is not None:
                self.van_stops[(plan.station.node_id, step.at.date())] += 1
                if self.last_mile is not None:
                    day = local_day(step.at, plan.station.lon)
                    self.drops.setdefault((plan.station, day), []).append(plan.customer)
            batch.append((plan, step))
        if batch:
            # Steps carry their own times; the platform clock only ever moves forward (orders
            # of this tick may already have moved it past these steps).
            self._advance(batch[-1][1].at)
            self.ports.apply(batch)
            self.stats.steps += len(batch)

    def _customs(self, plan: ShipmentPlan, step: JourneyStep) -> None:
        self.stats.customs[step.step] += 1
        if step.step == "customs_declared":
            self.declared_at[plan.shipment_id] = step.at
        elif step.step == "customs_held" and plan.shipment_id not in self.held:
            self.held.add(plan.shipment_id)  # a parcel may be held twice (inspection, duty)
            self.stats.customs["parcels_held"] += 1
        elif step.step in ("customs_cleared", "customs_refused"):
            declared = self.declared_at.pop(plan.shipment_id, step.at)
            self.stats.clearance_hours.append((step.at - declared).total_seconds() / 3600)

    def _van_costs(self) -> None:
        if self.last_mile is not None:
            return self._route_costs(self.last_mile)
        for (station, day), stops in sorted(self.van_stops.items()):
            trip = f"{self.p.run_id}:van:{station}:{day.isoformat()}"
            at = datetime.combine(day, datetime.min.time(), tzinfo=self.p.start.tzinfo)
            self.ports.record_trip_cost(trip, at, costs.van_day(stops, self.p.represented))

    def _route_costs(self, last_mile: LastMile) -> None:
        """Each station's local day is routed; the constant prices what could not be."""
        for (station, day), customers in sorted(
            self.drops.items(), key=lambda kv: (kv[0][0].node_id, kv[0][1])
        ):
            trip = f"{self.p.run_id}:van:{station.node_id}:{day.isoformat()}"
            at = datetime.combine(day, datetime.min.time(), tzinfo=self.p.start.tzinfo)
            cents = last_mile.cost(trip, station, stops_of(customers))
            if cents is None:
                cents = costs.van_day(len(customers), self.p.represented)
            self.ports.record_trip_cost(trip, at, cents)


def customs_kpis(stats: SimStats) -> dict[str, float | int | None]:
    """Clearance of cross-border parcels: counts by step, share held, hours to a decision."""
    declared = stats.customs["customs_declared"]
    hours = sorted(stats.clearance_hours)

    def pct(q: float) -> float | None:
        return round(hours[min(len(hours) - 1, int(q * len(hours)))], 1) if hours else None

    return {
        "declared": declared,
        "held": stats.customs["parcels_held"],
        "cleared": stats.customs["customs_cleared"],
        "refused": stats.customs["customs_refused"],
        "held_share": round(stats.customs["parcels_held"] / declared, 3) if declared else None,
        "clearance_hours_p50": pct(0.5),
        "clearance_hours_p95": pct(0.95),
    }
