"""Record line-haul consolidation as EPCIS events through the tracking context.

Each :class:`~tradewind.transport.consolidation.Load` becomes two ``AggregationEvent``s: a
LOAD (``ADD``, bizStep ``loading``) of the shipments into the unit at the departure's origin
when it leaves, and an UNLOAD (``DELETE``) at the destination when it arrives. The unit is a
GIAI (container, ULD or trailer); shipments are whatever EPC ``epc_of`` gives them (the
package SSCC in the simulation). This mirrors the trailer LOAD/UNLOAD steps the simulation
records (``adapters.sim_ports``). FBA inbound plans record theirs through :func:`record_moves`
(``adapters.linehaul_planner``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

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


Move = tuple[str, str, str, datetime, datetime, tuple[str, ...]]
"""(unit id, from node, to node, depart, arrive, shipment ids): a load as plain values."""


def _unit_steps(
    move: Move, nodes: Mapping[str, Node], children: tuple[str, ...]
) -> list[PhysicalStep]:
    unit_ref, origin, destination, depart, arrive, _ = move
    unit = giai(unit_ref)
    return [
        PhysicalStep(
            step=Step.LOAD,
            at=depart,
            location=node_location(nodes[origin]),
            epcs=children,
            parent=unit,
        ),
        PhysicalStep(
            step=Step.UNLOAD,
            at=arrive,
            location=node_location(nodes[destination]),
            epcs=children,
            parent=unit,
        ),
    ]


def move_steps(
    moves: Iterable[Move], nodes: Mapping[str, Node], epc_of: Callable[[str], str]
) -> list[PhysicalStep]:
    """LOAD at departure and UNLOAD at arrival for every move, in time order."""
    steps: list[PhysicalStep] = []
    for move in moves:
        children = tuple(dict.fromkeys(epc_of(sid) for sid in move[5]))
        steps += _unit_steps(move, nodes, children)
    return sorted(steps, key=lambda s: s.at)


def load_steps(
    loads: Iterable[Load], nodes: Mapping[str, Node], epc_of: Callable[[str], str]
) -> list[PhysicalStep]:
    """LOAD at departure and UNLOAD at arrival for every load, in time order."""
    moves = [
        (
            x.unit_id,
            x.departure.lane.origin,
            x.departure.lane.destination,
            x.departure.depart,
            x.departure.arrive,
            x.child_ids,
        )
        for x in loads
    ]
    return move_steps(moves, nodes, epc_of)


def record_moves(
    tracking: TrackingService,
    moves: Iterable[Move],
    nodes: Mapping[str, Node],
    epc_of: Callable[[str], str],
) -> list[EpcisEvent]:
    """Record the aggregation events of plain moves (e.g. from an event payload)."""
    return tracking.record(move_steps(moves, nodes, epc_of))


def record_loads(
    tracking: TrackingService,
    loads: Iterable[Load],
    nodes: Mapping[str, Node],
    epc_of: Callable[[str], str],
) -> list[EpcisEvent]:
    """Record the loads' aggregation events; returns the stored (hashed) events."""
    return tracking.record(load_steps(loads, nodes, epc_of))
