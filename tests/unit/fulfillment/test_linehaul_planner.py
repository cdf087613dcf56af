"""``NetworkLinehaulPlanner`` on a small hand-built network: origin choice, shared vessel
consolidated into one container, missed promises, and the EPCIS steps of its loads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from tradewind.fulfillment.adapters.linehaul_planner import NetworkLinehaulPlanner, shipment_epc
from tradewind.fulfillment.linehaul_port import LinehaulRequest
from tradewind.shared.clock import FixedClock, utc
from tradewind.tracking.adapters import EpcisHashGeneratorHasher, InMemoryEventStore
from tradewind.tracking.identifiers import giai
from tradewind.tracking.model import Action, AggregationEvent
from tradewind.tracking.services import TrackingService
from tradewind.transport.adapters.tracking import record_moves
from tradewind.transport.network import Node, NodeKind, build_network

NETWORK = build_network(
    [
        Node("CNSHA", NodeKind.SEA_PORT, "CN", "Shanghai", 30.63, 122.07),
        Node("CNPVG", NodeKind.AIRPORT, "CN", "Pudong", 31.14, 121.81),
        Node("DEHAM", NodeKind.SEA_PORT, "DE", "Hamburg", 53.55, 9.99, "DE", "DE-R1"),
        Node("DEFRA", NodeKind.AIRPORT, "DE", "Frankfurt", 50.12, 8.68, "DE", "DE-R1"),
        Node("DE-FC-001", NodeKind.FC, "DE", "Berlin", 52.52, 13.40, "DE", "DE-R1"),
        Node("DE-FC-002", NodeKind.FC, "DE", "Munich", 48.14, 11.58, "DE", "DE-R1"),
    ]
)
READY = utc(2026, 11, 2)


def _req(sid: str, fc: str, kg: float, days: int = 60) -> LinehaulRequest:
    return LinehaulRequest(sid, "CNSHA", fc, kg, READY, READY + timedelta(days=days))


def test_origin_is_the_nearest_sea_port_abroad_and_the_nearest_gateway_at_home():
    """A Shanghai seller starts at CNSHA (sea first); a Munich seller at Frankfurt airport;
    a site the network does not know has no origin."""
    planner = NetworkLinehaulPlanner(NETWORK)
    assert planner.origin_for("CN", 31.2, 121.5, "DE") == "CNSHA"
    assert planner.origin_for("DE", 48.1, 11.6, "DE") == "DEFRA"
    assert planner.origin_for("BR", -23.5, -46.6, "DE") is None
    assert planner.origin_for("CN", 31.2, 121.5, "XX") is None


def test_shipments_on_one_vessel_share_a_container_and_legs_chain():
    """Two FCs' shipments sail on the same departure in one container, then truck apart;
    every path is contiguous in place and time and meets the promise."""
    out = NetworkLinehaulPlanner(NETWORK).plan(
        [_req("p/DE-FC-001", "DE-FC-001", 800), _req("p/DE-FC-002", "DE-FC-002", 600)]
    )
    assert all(s.no_path is None for s in out.shipments)
    for s in out.shipments:
        assert s.legs[0].origin == "CNSHA" and s.legs[-1].destination == s.request.destination
        assert all(a.destination == b.origin and a.arrive <= b.depart for a, b in pairwise(s.legs))
        assert s.arrival is not None and s.arrival <= s.request.deadline
        assert s.cost_cents == sum(leg.cost_cents for leg in s.legs)
    sea = [x for x in out.loads if x.mode == "sea"]
    assert len(sea) == 1 and sea[0].parts == (("p/DE-FC-001", 800.0), ("p/DE-FC-002", 600.0))
    assert sea[0].unit_id.startswith("CTR-") and sea[0].unit_name == "40ft container"
    assert {x.mode for x in out.loads} == {"sea", "truck"}


def test_a_missed_promise_names_the_earliest_arrival_and_unknown_fcs_are_coded():
    """Three days is too short even by air: deadline_unmet with the earliest arrival after
    the deadline; an FC the network lacks: unknown_node; neither makes a load."""
    out = NetworkLinehaulPlanner(NETWORK).plan(
        [_req("p/1", "DE-FC-001", 100, days=3), _req("p/2", "XX-FC-9", 100)]
    )
    late, unknown = out.shipments
    assert late.no_path is not None and late.no_path.code == "deadline_unmet"
    assert late.no_path.earliest_arrival is not None
    assert late.no_path.earliest_arrival > late.request.deadline
    assert unknown.no_path is not None and unknown.no_path.code == "unknown_node"
    assert out.loads == ()


def test_loads_are_recorded_as_load_and_unload_aggregations():
    """Each unit: ADD at its origin when it leaves, DELETE at its destination on arrival;
    the shipment's SSCC traces through its container and trailer."""
    out = NetworkLinehaulPlanner(NETWORK).plan([_req("p/DE-FC-001", "DE-FC-001", 800)])
    service = TrackingService(
        InMemoryEventStore(),
        EpcisHashGeneratorHasher(),
        FixedClock(datetime(2027, 1, 1, tzinfo=UTC)),
    )
    events = record_moves(service, [x.move() for x in out.loads], NETWORK.nodes, shipment_epc)
    assert len(events) == 2 * len(out.loads)
    assert all(isinstance(e, AggregationEvent) for e in events)
    adds = [e for e in events if isinstance(e, AggregationEvent) and e.action is Action.ADD]
    assert {e.parent_id for e in adds} == {giai(x.unit_id) for x in out.loads}
    chain = service.chain_of_custody(shipment_epc("p/DE-FC-001"))
    assert len(chain) == 2 * len(out.loads)
    assert shipment_epc("p/DE-FC-001").startswith("urn:epc:id:sscc:952123.2")
