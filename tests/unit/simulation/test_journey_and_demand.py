import random
from datetime import UTC, date, datetime, timedelta

from tradewind.economics import costs
from tradewind.simulation.demand import DemandParams, expected_orders, orders_in_tick
from tradewind.simulation.journey import Node, ShipmentPlan, plan_journey

T0 = datetime(2026, 12, 1, tzinfo=UTC)
FC = Node("fc", "US-FC-001", 40.7, -74.0)
SC = Node("sort_center", "US-R1-SC", 40.9, -74.1)
DS = Node("delivery_station", "US-DS-001", 40.75, -73.9)
HOME = Node("customer", "cus-1", 40.76, -73.95)


def plan(origin=FC, **kw):
    return ShipmentPlan("shp_1", "ord_1", T0, origin, SC, DS, HOME, units=2, weight_g=800, **kw)


def test_fc_journey_is_in_time_order_with_every_step():
    """Pick, pack, load, depart, arrive, unload, sort, depart, station, out, delivered."""
    steps = [s.step for s in plan_journey(plan(), random.Random(1)).steps]
    core = [
        "pick",
        "pack",
        "load",
        "depart",
        "arrive",
        "unload",
        "sort",
        "depart",
        "arrive_at_delivery_station",
        "out_for_delivery",
    ]
    assert steps[:10] == core and "delivered" in steps
    for seed in range(200):
        j = plan_journey(plan(), random.Random(seed))
        times = [s.at for s in j.steps]
        assert times == sorted(times)
        assert j.delivered_at is not None and j.delivered_at > T0
        assert all(s.usd_cents >= 0 for s in j.steps)


def test_exceptions_happen_at_their_rates():
    """Over 2,000 journeys: some failed attempts, delays and returns, but few."""
    kinds = {"delivery_failed": 0, "return_dispatched": 0, "delay": 0}
    for seed in range(2000):
        for s in plan_journey(plan(), random.Random(seed)).steps:
            if s.step in kinds:
                kinds[s.step] += 1
            if s.reason == "line_haul_delay":
                kinds["delay"] += 1
    assert 20 < kinds["delivery_failed"] < 120
    assert 10 < kinds["return_dispatched"] < 80
    assert 50 < kinds["delay"] < 160


def test_self_fulfilled_journey_waits_for_handling_days():
    """FBM: the seller packs after its handling time and its carrier delivers."""
    seller = Node("seller", "sel-1", 31.2, 121.5)
    j = plan_journey(plan(origin=seller, handling_days=3), random.Random(2))
    assert [s.step for s in j.steps] == ["pack", "depart", "delivered"]
    assert j.steps[0].at >= T0 + timedelta(days=3)


def test_demand_follows_the_day_and_peaks():
    """A day's expected orders add up to the site's share; a peak day triples it."""
    p = DemandParams(
        orders_per_day=1000,
        site_weights={"US": 1},
        site_longitudes={"US": 0.0},
        peak_days=(date(2026, 12, 2),),
    )
    day = sum(expected_orders(p, "US", T0 + timedelta(minutes=15 * k), 15) for k in range(96))
    peak = sum(
        expected_orders(p, "US", T0 + timedelta(days=1, minutes=15 * k), 15) for k in range(96)
    )
    assert 850 < day < 1150
    assert abs(peak / (day * 3) - 1) < 0.1
    night, evening = (expected_orders(p, "US", T0.replace(hour=h), 60) for h in (3, 20))
    assert evening > 4 * night
    draws = [orders_in_tick(p, "US", T0.replace(hour=20), 60, random.Random(9)) for _ in range(3)]
    assert draws[0] == orders_in_tick(p, "US", T0.replace(hour=20), 60, random.Random(9))


def test_shared_vehicle_costs_fall_per_parcel_as_volume_grows():
    """Economies of scale: a full trailer costs each parcel less than a near-empty one."""
    trip = costs.trailer_trip("t", 300).usd_cents
    alone = costs.shared(trip, 1, 1, costs.TRAILER_CAPACITY)
    busy = costs.shared(trip, 1000, 1, costs.TRAILER_CAPACITY) / 1000
    at_scale = costs.shared(trip, 1, 10_000, costs.TRAILER_CAPACITY)
    assert alone == trip and busy < alone / 500 and at_scale < alone / 1000
