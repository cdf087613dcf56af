"""The line-haul port of inbound: what fulfillment asks of transport, as plain values (pure).

Fulfillment decides *what* moves (one shipment per destination FC of an inbound plan, or one
FC-to-FC transfer) and by when; a ``LinehaulPlanner`` (adapter over ``transport.planner``)
decides *how*: the scheduled departures, their cost and CO2, and the loading units
(containers, ULDs, trailers) shipments share when they board the same departure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

DEFAULT_LEAD_TIME = timedelta(days=35)
"""Promised arrival of an inbound plan when the seller gives none: five weeks, enough for a
weekly Asia–Europe vessel plus port dwell and the truck to the FC at the planning percentile."""

TRANSFER_LEAD_TIME = timedelta(days=7)
"""Arrival promise of an inter-FC transfer: a week, as transfers rebalance weeks of cover;
trucks between FCs run daily but reach only 800 km a leg, so a cross-country US transfer
takes several legs."""

TRANSFER_SEARCH_HORIZON = timedelta(days=21)
"""How far past the promise a missed transfer looks for its earliest possible arrival."""

SHIPMENT_MAX_KG = 20_000.0
"""Most one shipment weighs: a 40 ft container's planning payload, under a trailer's 24 t, so
every part of a split FC shipment fits any single departure."""

CRITERIA = ("cost", "co2")

UnitMove = tuple[str, str, str, datetime, datetime, tuple[str, ...]]
"""(unit id, from node, to node, depart, arrive, shipment ids inside) — plain, so an event
carrying it serialises to JSON as is."""


@dataclass(frozen=True, slots=True)
class LinehaulRequest:
    """Move ``kg`` of ``shipment_id`` from node ``origin`` to node ``destination``."""

    shipment_id: str
    origin: str
    destination: str
    kg: float
    ready: datetime
    deadline: datetime
    criterion: str = "cost"


@dataclass(frozen=True, slots=True)
class LinehaulLeg:
    """One boarded departure; money in US cents for this shipment's weight."""

    origin: str
    destination: str
    mode: str
    depart: datetime
    arrive: datetime
    cost_cents: int
    co2_kg: float
    departure_id: str


@dataclass(frozen=True, slots=True)
class NoPath:
    """Why a shipment has no plan: a transport error code, its detail, and (for a missed
    deadline) the earliest arrival the network allows."""

    code: str
    detail: str
    earliest_arrival: datetime | None = None


@dataclass(frozen=True, slots=True)
class ShipmentLinehaul:
    """The plan of one request: ``legs`` and totals, or ``no_path``."""

    request: LinehaulRequest
    legs: tuple[LinehaulLeg, ...] = ()
    no_path: NoPath | None = None

    @property
    def cost_cents(self) -> int:
        return sum(leg.cost_cents for leg in self.legs)

    @property
    def co2_kg(self) -> float:
        return sum(leg.co2_kg for leg in self.legs)

    @property
    def arrival(self) -> datetime | None:
        return self.legs[-1].arrive if self.legs else None


@dataclass(frozen=True, slots=True)
class ContainerLoad:
    """One loading unit on one departure and the shipments (or parts of them) inside."""

    unit_id: str
    unit_name: str
    departure_id: str
    origin: str
    destination: str
    mode: str
    depart: datetime
    arrive: datetime
    capacity_kg: float
    parts: tuple[tuple[str, float], ...]

    @property
    def kg(self) -> float:
        return sum(kg for _, kg in self.parts)

    def move(self) -> UnitMove:
        shipments = tuple(dict.fromkeys(sid for sid, _ in self.parts))
        return (self.unit_id, self.origin, self.destination, self.depart, self.arrive, shipments)


@dataclass(frozen=True, slots=True)
class LinehaulOutcome:
    """Every request's plan, in request order, and the loads of the planned legs."""

    shipments: tuple[ShipmentLinehaul, ...]
    loads: tuple[ContainerLoad, ...] = ()


class LinehaulPlanner(Protocol):
    """Plans shipments over the line-haul network (adapter: ``adapters.linehaul_planner``)."""

    def origin_for(self, country: str, lat: float, lon: float, site_id: str) -> str | None:
        """The node a seller in ``country`` at (lat, lon) hands freight for ``site_id`` over
        at, or ``None`` when the network has none."""
        ...

    def plan(self, requests: Sequence[LinehaulRequest]) -> LinehaulOutcome:
        """Plan every request in order (each books capacity the next cannot use), then
        consolidate the planned legs into loading units. Never raises for an unplannable
        request: it comes back with ``no_path``."""
        ...


def no_origin(request: LinehaulRequest, country: str) -> ShipmentLinehaul:
    """The plan of a request whose origin country has no gateway in the network."""
    detail = f"the line-haul network has no gateway in {country} for this site"
    return ShipmentLinehaul(request, no_path=NoPath("no_origin_gateway", detail))
