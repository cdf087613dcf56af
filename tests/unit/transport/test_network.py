"""The multimodal line-haul network and the planner over it (no database)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tradewind.shared.clock import utc
from tradewind.transport.errors import (
    DeadlineBeforeReady,
    DeadlineUnmet,
    InvalidNetwork,
    InvalidWeight,
    NoRoute,
    SameNode,
    TransportError,
    UnknownNode,
)
from tradewind.transport.linehaul import Criterion, Mode, plan_path
from tradewind.transport.network import (
    Network,
    NetworkParams,
    Node,
    NodeKind,
    Schedule,
    TransitTime,
    build_network,
    departure_id,
    vendored_nodes,
)
from tradewind.transport.planner import candidate_lanes, earliest_arrival, make_request, plan

READY = utc(2026, 11, 2)
K = NodeKind


def world_nodes() -> list[Node]:
    """Two sites shaped like the world's: DE (3 FCs, one region) and US (3 FCs, two regions)."""
    return [
        Node("DE-FC-001", K.FC, "DE", "Berlin FC", 52.52, 13.41, "DE", "DE-R1"),
        Node("DE-FC-002", K.FC, "DE", "Hamburg FC", 53.55, 9.99, "DE", "DE-R1"),
        Node("DE-FC-003", K.FC, "DE", "Munich FC", 48.14, 11.58, "DE", "DE-R1"),
        Node("DE-R1-SC", K.SORT_CENTER, "DE", "Berlin Sort", 52.54, 13.43, "DE", "DE-R1"),
        Node("DEHAM", K.SEA_PORT, "DE", "Hamburg sea_port", 53.55, 9.99, "DE", "DE-R1"),
        Node("DEFRA", K.AIRPORT, "DE", "Frankfurt airport", 50.12, 8.68, "DE", "DE-R1"),
        Node("US-FC-001", K.FC, "US", "New York FC", 40.71, -74.01, "US", "US-R1"),
        Node("US-FC-002", K.FC, "US", "Los Angeles FC", 34.05, -118.24, "US", "US-R2"),
        Node("US-FC-003", K.FC, "US", "Chicago FC", 41.85, -87.65, "US", "US-R1"),
        Node("USLAX", K.SEA_PORT, "US", "Los Angeles sea_port", 34.05, -118.24, "US", "US-R2"),
        Node("USORD", K.AIRPORT, "US", "Chicago airport", 41.85, -87.65, "US", "US-R1"),
    ]


@pytest.fixture(scope="module")
def net() -> Network:
    return build_network([*world_nodes(), *vendored_nodes({"DE", "US"})])


def lanes_of(network: Network, mode: Mode) -> dict[tuple[str, str], object]:
    return {
        (nl.lane.origin, nl.lane.destination): nl for nl in network.lanes if nl.lane.mode is mode
    }


def test_same_seed_same_network_other_seed_other_schedules() -> None:
    """Building twice with one seed gives identical lanes and departures; another seed moves
    departures but not distances or rates."""
    nodes = [*world_nodes(), *vendored_nodes({"DE", "US"})]
    a, b = build_network(nodes), build_network(list(reversed(nodes)))
    c = build_network(nodes, NetworkParams(seed=1))
    assert a.lanes == b.lanes
    end = READY + timedelta(days=14)
    assert a.departures(READY, end) == b.departures(READY, end)
    assert [nl.lane for nl in a.lanes] == [nl.lane for nl in c.lanes]
    assert [nl.schedule for nl in a.lanes] != [nl.schedule for nl in c.lanes]


def test_lane_rules(net: Network) -> None:
    """Foreign gateways receive only drayage from their own country; every site gateway
    trucks to every FC of its site; transfers stay in a site; FCs feed their sort center."""
    foreign = {n.node_id for n in net.nodes.values() if n.site_id is None}
    into_foreign = [nl for nl in net.lanes if nl.lane.destination in foreign]
    assert into_foreign and all(nl.lane.mode is Mode.TRUCK for nl in into_foreign)
    country = {n.node_id: n.country for n in net.nodes.values()}
    assert all(country[nl.lane.origin] == country[nl.lane.destination] for nl in into_foreign)
    trucks = lanes_of(net, Mode.TRUCK)
    for gw in ("DEHAM", "DEFRA", "DEDUI"):
        assert all((gw, f"DE-FC-00{i}") in trucks for i in (1, 2, 3))
    assert ("DE-FC-001", "DE-FC-002") in trucks and ("DE-FC-001", "US-FC-001") not in trucks
    assert ("US-FC-001", "US-FC-002") not in trucks  # 3,900 km: beyond one driver-day
    assert ("DE-FC-003", "DE-R1-SC") in trucks and ("US-FC-002", "DE-R1-SC") not in trucks
    assert ("CNSHA", "DEHAM") in lanes_of(net, Mode.SEA)
    assert ("CNPVG", "USORD") in lanes_of(net, Mode.AIR)
    assert set(lanes_of(net, Mode.RAIL)) == {("CNCKG", "DEDUI"), ("CNCTU", "DEDUI")}


def test_remote_fc_is_fed_by_sea_and_air_not_by_truck() -> None:
    """An island FC (Honolulu) gets a feeder vessel and flight from its site's gateways, and
    trades stock with the nearest mainland FC (Los Angeles) by feeder flight both ways; no
    mainland transfer is routed through the island."""
    hnl = Node("US-FC-004", K.FC, "US", "Honolulu FC", 21.31, -157.86, "US", "US-R3")
    network = build_network([*world_nodes(), hnl])
    into = {
        (nl.lane.origin, nl.lane.mode) for nl in network.lanes if nl.lane.destination == hnl.node_id
    }
    assert into == {("USLAX", Mode.SEA), ("USORD", Mode.AIR), ("US-FC-002", Mode.AIR)}
    out = {
        (nl.lane.destination, nl.lane.mode) for nl in network.lanes if nl.lane.origin == hnl.node_id
    }
    assert out == {("US-FC-002", Mode.AIR)}
    req = make_request(network, "USLAX", hnl.node_id, 100, (READY, READY + timedelta(days=30)))
    assert [leg.lane.mode for leg in plan(network, req).legs] == [Mode.SEA]
    week = (READY, READY + timedelta(days=7))
    back = plan(network, make_request(network, hnl.node_id, "US-FC-002", 100, week))
    there = plan(network, make_request(network, "US-FC-002", hnl.node_id, 100, week))
    assert (
        [leg.lane.mode for leg in back.legs] == [leg.lane.mode for leg in there.legs] == [Mode.AIR]
    )
    with pytest.raises(NoRoute):  # New York - Los Angeles is not one driver-day: no truck,
        plan(network, make_request(network, "US-FC-001", "US-FC-002", 100, week))  # nor HNL


def test_schedules_follow_the_mode() -> None:
    """Vessels sail weekly, trains 2-3 times a week, flights and trucks daily."""
    network = build_network([*world_nodes(), *vendored_nodes({"DE", "US"})])
    per_week = {
        m: {nl.schedule.per_week for nl in network.lanes if nl.lane.mode is m} for m in Mode
    }
    assert per_week[Mode.SEA] == {1}
    assert per_week[Mode.RAIL] <= {2, 3}
    assert per_week[Mode.AIR] == {7} and per_week[Mode.TRUCK] == {7}
    sched = Schedule((1, 4), 9)
    times = list(sched.times(utc(2026, 11, 2, 10), utc(2026, 11, 16, 9)))
    assert [t.day for t in times] == [3, 6, 10, 13]  # Tue and Fri, inside the window
    assert all(t.hour == 9 for t in times)


def test_transit_time_percentile_and_seeded_sample() -> None:
    """The planned time is the 90th percentile, above the mean; samples repeat per seed."""
    transit = TransitTime(100.0, 10.0)
    assert transit.planned(0.9) == timedelta(hours=113)  # 100 + 1.2816 * 10, rounded up
    draws = [transit.sample(random.Random(3)) for _ in range(2)]
    assert draws[0] == draws[1]
    assert all(
        t >= timedelta(hours=50) for t in (transit.sample(random.Random(i)) for i in range(50))
    )


def test_sea_is_cheaper_and_slower_than_air(net: Network) -> None:
    """On every origin pair served by both, sea costs less per kg and takes longer."""
    sea, air = lanes_of(net, Mode.SEA), lanes_of(net, Mode.AIR)
    ports = {"CNSHA": "CNPVG", "USLAX": "USORD", "KRPUS": "KRICN", "DEHAM": "DEFRA"}
    pairs = [(p, a, q, b) for p, a in ports.items() for q, b in ports.items() if (p, q) in sea]
    assert len(pairs) >= 6
    for p, a, q, b in pairs:
        s, f = sea[(p, q)], air[(a, b)]
        assert s.lane.cost_per_kg_minor < f.lane.cost_per_kg_minor  # type: ignore[attr-defined]
        assert s.planned > f.planned  # type: ignore[attr-defined]


def test_every_fc_reachable_from_every_origin_port(net: Network) -> None:
    """From each foreign sea port, every FC of both sites is reachable within 75 days."""
    origins = [n.node_id for n in net.nodes.values() if n.kind is K.SEA_PORT and n.site_id is None]
    fcs = [n.node_id for n in net.nodes.values() if n.kind is K.FC]
    assert len(origins) == 6 and len(fcs) == 6
    for origin in origins:
        for fc in fcs:
            req = make_request(net, origin, fc, 500, (READY, READY + timedelta(days=75)))
            arrival = earliest_arrival(net, req, horizon=timedelta(days=75))
            assert arrival is not None, (origin, fc)
            assert plan(net, req).arrival <= READY + timedelta(days=75)


def test_loose_deadline_sails_tight_deadline_flies(net: Network) -> None:
    """500 kg to Berlin: with seven weeks it goes by sea; with a week it must fly, at several
    times the cost."""
    loose = plan(net, make_request(net, "CNSHA", "DE-FC-001", 500, (READY, utc(2026, 12, 20))))
    tight = plan(net, make_request(net, "CNSHA", "DE-FC-001", 500, (READY, utc(2026, 11, 9))))
    assert [leg.lane.mode for leg in loose.legs] == [Mode.SEA, Mode.TRUCK]
    assert Mode.AIR in {leg.lane.mode for leg in tight.legs}
    assert tight.arrival < loose.arrival and tight.cost_minor > 3 * loose.cost_minor
    assert loose.cost_minor == sum(leg.lane.cost_minor(500) for leg in loose.legs)


def test_co2_criterion_picks_lower_co2(net: Network) -> None:
    """A 5 kg parcel flies when minimising cost (fees dominate) but sails when minimising CO2."""
    window = (READY, utc(2026, 12, 31))
    cheap = plan(net, make_request(net, "CNSHA", "DE-FC-001", 5, window))
    green = plan(net, make_request(net, "CNSHA", "DE-FC-001", 5, window, Criterion.CO2))
    assert Mode.AIR in {leg.lane.mode for leg in cheap.legs}
    assert Mode.SEA in {leg.lane.mode for leg in green.legs}
    assert green.co2_kg < cheap.co2_kg and cheap.cost_minor < green.cost_minor


def test_pruning_keeps_the_optimum(net: Network) -> None:
    """Planning over the pruned lanes gives the same plan as over every departure."""
    for days in (8, 30, 50):
        req = make_request(net, "KRPUS", "US-FC-003", 800, (READY, READY + timedelta(days=days)))
        full = plan_path(net.departures(READY, req.deadline), req)
        assert len(candidate_lanes(net, req, req.deadline - READY)) < len(net.lanes)
        assert full is not None and plan(net, req) == full


def test_capacity_is_respected(net: Network) -> None:
    """A full flight is skipped for a later one; 30 t exceeds any trailer, so no route."""
    window = (READY, utc(2026, 11, 10))
    first = plan(net, make_request(net, "CNSHA", "DE-FC-001", 500, window))
    flight = next(leg for leg in first.legs if leg.lane.mode is Mode.AIR)
    booked = {departure_id(flight): flight.capacity_kg - 400}
    second = plan(net, make_request(net, "CNSHA", "DE-FC-001", 500, window), booked=booked)
    flight2 = next(leg for leg in second.legs if leg.lane.mode is Mode.AIR)
    assert flight2.depart > flight.depart or flight2.lane != flight.lane
    assert flight2.capacity_kg >= 500
    with pytest.raises(NoRoute) as exc:
        plan(net, make_request(net, "CNSHA", "DE-FC-001", 30_000, (READY, utc(2027, 1, 31))))
    assert exc.value.code is TransportError.NO_ROUTE


def test_missed_deadline_reports_an_achievable_earliest_arrival(net: Network) -> None:
    """Three days is too short; the reported earliest arrival is itself plannable."""
    req = make_request(net, "CNSHA", "DE-FC-001", 500, (READY, READY + timedelta(days=3)))
    with pytest.raises(DeadlineUnmet) as exc:
        plan(net, req)
    earliest = exc.value.errors[0]["earliest_arrival"]
    assert earliest in exc.value.detail
    again = make_request(net, "CNSHA", "DE-FC-001", 500, (READY, READY + timedelta(days=10)))
    best = earliest_arrival(net, again)
    assert best is not None and best.isoformat() == earliest
    exact = make_request(net, "CNSHA", "DE-FC-001", 500, (READY, best))
    assert plan(net, exact).arrival == best


def test_bad_requests_carry_codes(net: Network) -> None:
    """Unknown nodes suggest close ids; bad weights, windows and loops are refused."""
    with pytest.raises(UnknownNode) as exc:
        make_request(net, "CNSHA", "DE-FC-01", 1, (READY, utc(2026, 12, 1)))
    assert "DE-FC-001" in exc.value.errors[0]["suggestions"]
    with pytest.raises(InvalidWeight):
        make_request(net, "CNSHA", "DE-FC-001", 0, (READY, utc(2026, 12, 1)))
    with pytest.raises(DeadlineBeforeReady):
        make_request(net, "CNSHA", "DE-FC-001", 1, (READY, READY - timedelta(hours=1)))
    with pytest.raises(SameNode):
        make_request(net, "CNSHA", "CNSHA", 1, (READY, utc(2026, 12, 1)))
    with pytest.raises(InvalidNetwork):
        build_network([*world_nodes(), world_nodes()[0]])


def test_vendored_terminal_follows_the_sites() -> None:
    """Duisburg serves only the sites the world has, and disappears without them."""
    assert "DEDUI" not in {n.node_id for n in vendored_nodes({"US"})}
    dui = next(n for n in vendored_nodes({"NL"}) if n.node_id == "DEDUI")
    assert dui.serves == ("NL",) and dui.site_id == "NL"
    assert {n.country for n in vendored_nodes() if n.site_id is None} == {"CN", "KR", "VN", "TR"}
