"""Record line-haul consolidation as EPCIS events through the tracking context.

Each :class:`~tradewind.transport.consolidation.Load` becomes two ``AggregationEvent``s: a
LOAD (``ADD``, bizStep ``loading``) of the shipments into the unit at the departure's origin
when it leaves, and an UNLOAD (``DELETE``) at the destination when it arrives. The unit is a
GIAI (container, ULD or trailer); shipments are whatever EPC ``epc_of`` gives them (the
package SSCC in the simulation). This mirrors the trailer LOAD/UNLOAD steps the simulation
records (``adapters.sim_ports``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from tradewind.tracking.identifiers import LocationKind, giai, sgln
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.services import TrackingService
from tradewind.tracking.steps import PhysicalStep, Step
from tradewind.transport.consolidation import Load
from tradewind.transport.network import Node, NodeKind

LOCATION_KIND = {
    NodeKind.FC: LocationKind.FULFILLMENT_CENTER,
    NodeKind.SORT_CENTER: LocationKind.SORT_CENTER,
    NodeKind.SEA_PORT: LocationKind.GATEWAY,
    NodeKind.AIRPORT: LocationKind.GATEWAY,
    NodeKind.RAIL_TERMINAL: LocationKind.GATEWAY,
}


def node_location(node: Node) -> str:
    """SGLN of a network node (ports, airports and rail terminals are gateways)."""
    return sgln(LOCATION_KIND[node.kind], node.node_id)


def load_steps(
    loads: Iterable[Load], nodes: Mapping[str, Node], epc_of: Callable[[str], str]
) -> list[PhysicalStep]:
    """LOAD at departure and UNLOAD at arrival for every load, in time order."""
    steps: list[PhysicalStep] = []
    for load in loads:
        dep = load.departure
        unit = giai(load.unit_id)
        children = tuple(dict.fromkeys(epc_of(sid) for sid in load.child_ids))
        origin, destination = nodes[dep.lane.origin], nodes[dep.lane.destination]
        steps.append(
            PhysicalStep(
                step=Step.LOAD,
                at=dep.depart,
                location=node_location(origin),
                epcs=children,
                parent=unit,
            )
        )
        steps.append(
            PhysicalStep(
                step=Step.UNLOAD,
                at=dep.arrive,
                location=node_location(destination),
                epcs=children,
                parent=unit,
            )
        )
    return sorted(steps, key=lambda s: s.at)


def record_loads(
    tracking: TrackingService,
    loads: Iterable[Load],
    nodes: Mapping[str, Node],
    epc_of: Callable[[str], str],
) -> list[EpcisEvent]:
    """Record the loads' aggregation events; returns the stored (hashed) events."""
    return tracking.record(load_steps(loads, nodes, epc_of))
