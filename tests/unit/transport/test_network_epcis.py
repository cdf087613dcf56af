"""Consolidated loads recorded as EPCIS AggregationEvents (in-memory tracking store)."""

from __future__ import annotations

from datetime import UTC, datetime

from tradewind.shared.clock import FixedClock, utc
from tradewind.tracking.adapters import EpcisHashGeneratorHasher, InMemoryEventStore
from tradewind.tracking.identifiers import giai, sscc
from tradewind.tracking.model import Action, AggregationEvent
from tradewind.tracking.services import TrackingService
from tradewind.transport.adapters.tracking import load_steps, node_location, record_loads
from tradewind.transport.consolidation import PlannedShipment, consolidate
from tradewind.transport.linehaul import Departure, Lane, Mode
from tradewind.transport.network import Node, NodeKind

NODES = {
    "CNPVG": Node("CNPVG", NodeKind.AIRPORT, "CN", "Shanghai-Pudong airport", 31.14, 121.81),
    "DEFRA": Node("DEFRA", NodeKind.AIRPORT, "DE", "Frankfurt", 50.12, 8.68, "DE", "DE-R1"),
}
FLIGHT = Departure(
    Lane("CNPVG", "DEFRA", Mode.AIR, 9_700, 352, 7_500, 600.0),
    utc(2026, 11, 2, 14),
    utc(2026, 11, 5, 7),
    20_000,
)
EPC = {f"S{i}": sscc(9_000 + i) for i in range(6)}


def test_loads_become_load_and_unload_aggregations() -> None:
    """Each ULD is loaded at Pudong when the flight leaves and unloaded at Frankfurt when it
    lands; the trace of a shipment shows it inside its ULD."""
    loads = consolidate([PlannedShipment(sid, 2_000, FLIGHT) for sid in EPC])
    assert len(loads) == 3  # two 2 t shipments per 4.5 t ULD
    service = TrackingService(
        InMemoryEventStore(),
        EpcisHashGeneratorHasher(),
        FixedClock(datetime(2026, 11, 6, tzinfo=UTC)),
    )
    events = record_loads(service, loads, NODES, EPC.__getitem__)
    assert len(events) == 6 and all(isinstance(e, AggregationEvent) for e in events)
    adds = [e for e in events if isinstance(e, AggregationEvent) and e.action is Action.ADD]
    assert {e.parent_id for e in adds} == {giai(ld.unit_id) for ld in loads}
    assert sorted(c for e in adds for c in e.child_epcs) == sorted(EPC.values())
    chain = service.chain_of_custody(EPC["S0"])
    assert [type(e).__name__ for e in chain] == ["AggregationEvent", "AggregationEvent"]


def test_steps_are_placed_and_timed_by_the_departure() -> None:
    """LOAD happens at the origin gateway at departure, UNLOAD at the destination on arrival."""
    steps = load_steps(consolidate([PlannedShipment("S0", 10, FLIGHT)]), NODES, EPC.__getitem__)
    load, unload = steps
    assert (load.at, load.location) == (FLIGHT.depart, node_location(NODES["CNPVG"]))
    assert (unload.at, unload.location) == (FLIGHT.arrive, node_location(NODES["DEFRA"]))
    assert load.epcs == (EPC["S0"],) and load.parent == unload.parent
