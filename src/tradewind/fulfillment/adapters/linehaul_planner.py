"""The inbound ``LinehaulPlanner`` over ``transport.planner``, the EPCIS subscriber for its
loads, and line-haul plans for inter-FC transfer proposals.

Origin of an inbound shipment (``NetworkLinehaulPlanner.origin_for``):

* **Import** (the seller's country is not the site's): the seller country's sea port nearest
  the seller (Shanghai sellers: ``CNSHA``); with no sea port there, its nearest airport or
  rail terminal. From a port the planner may still truck to the country's airport or rail
  terminal (drayage lanes) when the promise is too tight for a vessel.
* **Domestic**: the site's gateway (sea port, airport or rail terminal) nearest the seller,
  standing in for the carrier's cross-dock: every gateway has a truck lane to every FC of its
  site (a feeder vessel or flight to a remote FC), whereas FC-to-FC trucks only reach 800 km.

No path (an unknown FC, a missed promise, no gateway) is an answer, not an error: the shipment
comes back with ``no_path`` and, for a missed promise, the earliest possible arrival.

Time budget: ``budget_s`` bounds the wall-clock time of one ``plan`` call (the searches ask
it every few hundred departures). Over budget, the call raises ``PlanningBudgetExceeded``
(an inbound plan is then not written), or with ``partial`` the shipments not planned in time
come back with ``no_path`` ``planning_budget_exceeded`` (transfer reports).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from tradewind.fulfillment.inbound_limits import MAX_TRANSFER_PROPOSALS, TRANSFER_BUDGET_S
from tradewind.fulfillment.inbound_linehaul import InboundLinehaulPlanned
from tradewind.fulfillment.inbound_public import shipment_linehaul_json
from tradewind.fulfillment.linehaul_port import (
    TRANSFER_LEAD_TIME,
    TRANSFER_SEARCH_HORIZON,
    ContainerLoad,
    LinehaulLeg,
    LinehaulOutcome,
    LinehaulRequest,
    NoPath,
    ShipmentLinehaul,
)
from tradewind.platform.db import tables as t
from tradewind.shared.errors import TradewindError
from tradewind.shared.events import Event
from tradewind.shared.geo import haversine_km
from tradewind.tracking.identifiers import sscc
from tradewind.transport.adapters.network_loader import load_network
from tradewind.transport.adapters.tracking import record_moves
from tradewind.transport.consolidation import UNIT_PREFIX, Load, PlannedShipment, consolidate
from tradewind.transport.errors import DeadlineUnmet, NoRoute
from tradewind.transport.linehaul import Criterion, Plan, PlanningBudgetExceeded, Request
from tradewind.transport.modes import MODE_PARAMS
from tradewind.transport.network import Network, Node, NodeKind, departure_id
from tradewind.transport.planner import earliest_arrival, make_request, plan

SHIPMENT_EXTENSION_DIGIT = 2
"""SSCC extension digit of a seller's inbound shipment (packages use 0, containers 1)."""

GATEWAY_PREFERENCE = (NodeKind.SEA_PORT, NodeKind.AIRPORT, NodeKind.RAIL_TERMINAL)


def shipment_epc(shipment_id: str) -> str:
    """SSCC of an inbound shipment: a digest of its id (10 digits; collisions ~1 in 10^10)."""
    digest = int(hashlib.sha256(shipment_id.encode()).hexdigest(), 16)
    return sscc(digest % 10**10, SHIPMENT_EXTENSION_DIGIT)


class NetworkLinehaulPlanner:
    """``LinehaulPlanner`` over a built :class:`~tradewind.transport.network.Network`.

    ``search_horizon`` (transfers): look for the earliest arrival of a shipment that misses
    its promise only that far ahead instead of the planner's 120 days, which is what makes a
    batch of hundreds of short FC-to-FC requests slow in a large site. ``budget_s`` and
    ``partial``: see the module docstring; ``timer`` is injectable for tests.
    """

    def __init__(
        self,
        network: Network,
        *,
        search_horizon: timedelta | None = None,
        budget_s: float | None = None,
        partial: bool = False,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.network = network
        self.search_horizon = search_horizon
        self.budget_s, self.partial, self.timer = budget_s, partial, timer
        self._stop: Callable[[], bool] | None = None

    def _start_budget(self) -> None:
        if self.budget_s is None:
            self._stop = None
            return
        until = self.timer() + self.budget_s
        self._stop = lambda: self.timer() > until

    def origin_for(self, country: str, lat: float, lon: float, site_id: str) -> str | None:
        nodes = self.network.nodes.values()
        site_country = next((n.country for n in nodes if n.site_id == site_id), None)
        if site_country is None:
            return None
        if country != site_country:
            found = [n for n in nodes if n.country == country and n.kind in GATEWAY_PREFERENCE]
            best = min((GATEWAY_PREFERENCE.index(n.kind) for n in found), default=None)
            found = [n for n in found if best is not None and n.kind is GATEWAY_PREFERENCE[best]]
        else:
            found = [n for n in nodes if n.site_id == site_id and n.kind in GATEWAY_PREFERENCE]
        near = min(found, key=lambda n: (_km(n, lat, lon), n.node_id), default=None)
        return near.node_id if near else None

    def plan(self, requests: Sequence[LinehaulRequest]) -> LinehaulOutcome:
        booked: dict[str, float] = {}
        results: list[ShipmentLinehaul] = []
        boarded: list[PlannedShipment] = []
        self._start_budget()
        for r in requests:
            try:
                req = make_request(
                    self.network,
                    r.origin,
                    r.destination,
                    r.kg,
                    (r.ready, r.deadline),
                    Criterion(r.criterion),
                )
                found = self._route(req, booked)
            except PlanningBudgetExceeded as exc:
                if not self.partial:
                    raise
                results.append(ShipmentLinehaul(r, no_path=_no_path(exc)))
                continue
            except TradewindError as exc:
                results.append(ShipmentLinehaul(r, no_path=_no_path(exc)))
                continue
            for d in found.legs:
                booked[departure_id(d)] = booked.get(departure_id(d), 0.0) + r.kg
                boarded.append(PlannedShipment(r.shipment_id, r.kg, d))
            results.append(ShipmentLinehaul(r, _legs(found, r.kg)))
        salt = "|".join(r.shipment_id for r in requests)
        loads = tuple(_load(x, salt) for x in consolidate(boarded))
        return LinehaulOutcome(tuple(results), loads)

    def _route(self, req: Request, booked: dict[str, float]) -> Plan:
        if self.search_horizon is not None:
            self._fail_fast(req, booked, self.search_horizon)
        return plan(self.network, req, booked=booked, stop=self._stop)

    def _fail_fast(self, req: Request, booked: dict[str, float], horizon: timedelta) -> None:
        """Raise what ``plan`` would, but search only ``horizon`` for the earliest arrival.

        An earliest arrival by the deadline (same departures, capacity and connection rule
        as ``plan``) means ``plan`` will find a path."""
        net, stop = self.network, self._stop
        if earliest_arrival(net, req, horizon=req.deadline - req.ready, booked=booked, stop=stop):
            return
        earliest = earliest_arrival(net, req, horizon=horizon, booked=booked, stop=stop)
        route = f"{req.origin} -> {req.destination} ({req.kg:g} kg)"
        if earliest is None:
            raise NoRoute(f"no departures connect {route} within {horizon.days} days")
        raise DeadlineUnmet(
            f"no plan for {route} arrives by {req.deadline.isoformat()}; "
            f"the earliest possible arrival is {earliest.isoformat()}",
            errors=[{"field": "deadline", "earliest_arrival": earliest.isoformat()}],
        )


def _km(n: Node, lat: float, lon: float) -> float:
    return haversine_km(n.lat, n.lon, lat, lon)


def _no_path(exc: TradewindError) -> NoPath:
    earliest = None
    if isinstance(exc, DeadlineUnmet) and exc.errors:
        earliest = datetime.fromisoformat(exc.errors[0]["earliest_arrival"])
    return NoPath(str(exc.code), exc.detail, earliest)


def _legs(found: Plan, kg: float) -> tuple[LinehaulLeg, ...]:
    return tuple(
        LinehaulLeg(
            d.lane.origin,
            d.lane.destination,
            str(d.lane.mode),
            d.depart,
            d.arrive,
            d.lane.cost_minor(kg),
            d.lane.co2_kg(kg),
            departure_id(d),
        )
        for d in found.legs
    )


def _load(load: Load, salt: str) -> ContainerLoad:
    """A load with a unit id unique to this batch (the same vessel carries other plans'
    containers too): prefix, digest of departure + batch, sequence number."""
    digest = hashlib.sha256(f"{load.departure_id}|{salt}".encode()).hexdigest()[:10].upper()
    dep = load.departure
    return ContainerLoad(
        unit_id=f"{UNIT_PREFIX[load.mode]}-{digest}-{load.unit_id.rsplit('-', 1)[-1]}",
        unit_name=MODE_PARAMS[load.mode].unit_name,
        departure_id=load.departure_id,
        origin=dep.lane.origin,
        destination=dep.lane.destination,
        mode=str(load.mode),
        depart=dep.depart,
        arrive=dep.arrive,
        capacity_kg=load.capacity_kg,
        parts=load.parts,
    )


# --- wiring helpers -------------------------------------------------------------------------


def load_linehaul_network(engine: Engine) -> Network:
    """The world's line-haul network (schedule seed 0, as ``transport plan``; the container
    reads it once, on first use); an unreadable or empty world gives an empty network."""
    try:
        return load_network(engine)
    except SQLAlchemyError:
        from tradewind.transport.network import build_network

        return build_network([])


def record_linehaul(network: Any, tracking: Any, event: Event) -> None:
    """EPCIS LOAD/UNLOAD aggregation events for every loading unit of an inbound plan."""
    assert isinstance(event, InboundLinehaulPlanned)
    record_moves(tracking(), event.moves, network().nodes, shipment_epc)


def _weights(engine: Engine, skus: Sequence[str]) -> dict[str, int]:
    i, p = t.inventory_positions.c, t.products.c
    q = (
        select(i.sku, p.weight_g)
        .join(t.products, p.product_id == i.product_id)
        .where(i.sku.in_(list(skus)))
        .distinct()
    )
    with engine.connect() as conn:
        return {r.sku: int(r.weight_g) for r in conn.execute(q)}


def with_transfer_plans(
    report: dict[str, Any],
    network: Network,
    engine: Engine,
    ready: datetime,
    *,
    limit: int = MAX_TRANSFER_PROPOSALS,
) -> dict[str, Any]:
    """``report`` (``transfer_report``) with its first ``limit`` proposals (at most
    :data:`MAX_TRANSFER_PROPOSALS`), each transfer with a ``linehaul`` plan.

    One shipment per FC pair carries every SKU moving between them (its weight is theirs
    together): the cheapest path by ``ready + TRANSFER_LEAD_TIME``. Replenishments from a
    vendor get ``None``. The trucks are planned within :data:`TRANSFER_BUDGET_S`; pairs not
    planned by then carry ``no_path`` ``planning_budget_exceeded``. ``total_proposals``
    counts every proposal, ``truncated`` says whether some were left out.
    """
    every = report["proposals"]
    shown = every[: max(0, min(limit, MAX_TRANSFER_PROPOSALS))]
    moves = [p for p in shown if _moves(p)]
    grams = _weights(engine, sorted({p["sku"] for p in moves})) if moves else {}
    kg: dict[tuple[str, str], float] = {}
    for p in moves:
        pair = (p["from_fc"], p["to_fc"])
        kg[pair] = kg.get(pair, 0.0) + p["units"] * grams.get(p["sku"], 0) / 1000.0
    requests = [
        LinehaulRequest(f"transfer/{a}/{b}", a, b, w, ready, ready + TRANSFER_LEAD_TIME)
        for (a, b), w in sorted(kg.items())
    ]
    planner = NetworkLinehaulPlanner(
        network,
        search_horizon=TRANSFER_SEARCH_HORIZON,
        budget_s=TRANSFER_BUDGET_S,
        partial=True,
    )
    done = {(s.request.origin, s.request.destination): s for s in planner.plan(requests).shipments}
    proposals = [
        {
            **p,
            "linehaul": shipment_linehaul_json(done[(p["from_fc"], p["to_fc"])])
            if _moves(p)
            else None,
        }
        for p in shown
    ]
    hours = TRANSFER_LEAD_TIME.total_seconds() / 3600
    return {
        **report,
        "transfer_lead_hours": hours,
        "total_proposals": len(every),
        "truncated": len(shown) < len(every),
        "proposals": proposals,
    }


def _moves(proposal: dict[str, Any]) -> bool:
    return proposal["kind"] == "transfer" and bool(proposal.get("from_fc"))
