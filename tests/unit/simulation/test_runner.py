from collections import Counter
from datetime import UTC, datetime

from tradewind.simulation.journey import Node, ShipmentPlan
from tradewind.simulation.ports import Shopper
from tradewind.simulation.runner import SimParams, Simulation

START = datetime(2026, 12, 1, tzinfo=UTC)


class FakePorts:
    """Records what the simulation asks of the platform; every checkout succeeds."""

    def __init__(self, refuse_every: int = 0):
        self.now, self.orders, self.steps, self.trips = START, [], [], Counter()
        self.refuse_every = refuse_every

    def set_time(self, at):
        assert at.tzinfo is not None and at >= self.now  # aware, and never backwards
        self.now = at

    def sites(self):
        return {"US": -74.0, "DE": 10.0}

    def site_weights(self):
        return {"US": 3, "DE": 1}

    def catalog(self, site_id):
        return [f"{site_id}-p{i}" for i in range(30)]

    def shoppers(self, site_id):
        return [Shopper(f"{site_id}-c{i}", i % 2 == 0) for i in range(20)]

    def choose_offer(self, site_id, product_id, member):
        return f"offer-{product_id}"

    def place_order(self, customer_id, lines, key):
        self.orders.append((self.now, customer_id, tuple(lines), key))
        if self.refuse_every and len(self.orders) % self.refuse_every == 0:
            return None
        fc = Node("fc", "FC1", 40.7, -74.0)
        sc = Node("sort_center", "SC1", 40.8, -74.1)
        ds = Node("delivery_station", "DS1", 40.75, -73.9)
        home = Node("customer", customer_id, 40.76, -73.95)
        return [
            ShipmentPlan(
                f"s{len(self.orders)}", f"o{len(self.orders)}", self.now, fc, sc, ds, home, 1, 500
            )
        ]

    def restock(self, at):
        return 0

    def apply(self, batch):
        self.steps += [step for _, step in batch]

    def record_trip_cost(self, trip_id, at, usd_cents):
        self.trips[trip_id] += usd_cents


def test_runs_demand_then_drains_every_parcel_to_delivery():
    """Orders arrive in time order, then every shipment reaches 'delivered'."""
    ports = FakePorts()
    stats = Simulation(ports, SimParams(seed=1, days=0.5, start=START, orders_per_day=400)).run()
    assert 100 < stats.placed < 350 and stats.placed == len(ports.orders)
    times = [o[0] for o in ports.orders]
    assert times == sorted(times)
    delivered = sum(s.step == "delivered" for s in ports.steps)
    assert delivered == stats.placed
    assert len({o[3] for o in ports.orders}) == len(ports.orders)  # unique idempotency keys
    assert any(":van:" in k for k in ports.trips) and any(":trip:" in k for k in ports.trips)


def test_shared_trailer_events_are_recorded_once_per_trip():
    """Many parcels ride one trailer: its depart/arrive is applied once."""
    ports = FakePorts()
    Simulation(ports, SimParams(seed=2, days=0.5, start=START, orders_per_day=600)).run()
    departs = Counter(s.trip for s in ports.steps if s.subject == "trailer" and s.step == "depart")
    loads = Counter(s.trip for s in ports.steps if s.step == "load")
    assert departs and all(n == 1 for n in departs.values())
    assert max(loads.values()) > 1


def test_same_seed_same_run_and_refusals_are_counted():
    """Determinism per seed; refused checkouts are counted, not lost."""
    a, b = FakePorts(refuse_every=5), FakePorts(refuse_every=5)
    sa = Simulation(a, SimParams(seed=3, days=0.2, start=START)).run()
    Simulation(b, SimParams(seed=3, days=0.2, start=START)).run()
    assert a.orders == b.orders
    assert sa.refused == sa.refusals["checkout_refused"] == len(a.orders) // 5


def test_van_costs_come_from_checked_routes_when_a_solver_is_given():
    """With a route solver each station's local day is routed once and priced from its routes;
    demand is unchanged, and without a solver the constant van-day cost is charged."""
    from .test_last_mile import SweepSolver

    params = SimParams(seed=1, days=0.5, start=START, orders_per_day=400)
    plain, routed, solver = FakePorts(), FakePorts(), SweepSolver()
    Simulation(plain, params).run()
    sim = Simulation(routed, params, route_solver=solver)
    sim.run()
    assert routed.orders == plain.orders
    vans = {k: v for k, v in routed.trips.items() if ":van:" in k}
    stats = sim.last_mile.stats
    assert vans and len(solver.calls) == len(vans) == stats.routed == stats.station_days
    assert all(v > 0 for v in vans.values()) and sum(vans.values()) == stats.usd_cents
    delivered = sum(s.step == "delivered" for s in routed.steps)
    assert stats.parcels == delivered and stats.infeasible_solutions == 0
    trailers = [{k: v for k, v in p.trips.items() if ":van:" not in k} for p in (plain, routed)]
    assert trailers[0] == trailers[1]  # only the vans are priced differently
