"""The simulation's ports over the real platform: checkout, buy box, restocking, tracking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from tradewind.bootstrap import Container
from tradewind.fulfillment.services import ReceiveStock
from tradewind.marketplace.commands import UpdateOffer
from tradewind.orders.commands import PlaceOrder, RefundShipment, SweepPendingOrders
from tradewind.orders.model import CartLine
from tradewind.orders.sweep import sweep_cutoff
from tradewind.platform.db import tables as t
from tradewind.shared.clock import FixedClock
from tradewind.shared.errors import TradewindError
from tradewind.shared.geo import haversine_km
from tradewind.simulation.adapters.border import BorderDesk, parcel_lines
from tradewind.simulation.adapters.progress import (
    dispatch_packed,
    record_progress,
    record_trip_cost,
)
from tradewind.simulation.journey import JourneyStep, Node, ShipmentPlan
from tradewind.simulation.markets import ECOMMERCE_USD_BN
from tradewind.simulation.ports import Shopper
from tradewind.simulation.runner import Simulation
from tradewind.tracking.identifiers import Gtin, LocationKind, SsccAllocator, giai, sgln, sgtin
from tradewind.tracking.steps import PhysicalStep, Step
from tradewind.transport.adapters import network_tables as nt
from tradewind.transport.ports import RouteSolver

RESTOCK_BELOW, RESTOCK_UNITS, RESTOCK_BATCH = 3, 60, 400
RESUME_BLOCK = 100_000_000  # package serials of each resumption of a run
REQUEUE_WINDOW = timedelta(days=30)  # longer than any journey, returns included
_KINDS = {
    "fc": LocationKind.FULFILLMENT_CENTER,
    "sort_center": LocationKind.SORT_CENTER,
    "delivery_station": LocationKind.DELIVERY_STATION,
    "customer": LocationKind.CUSTOMER_ADDRESS,
    "seller": LocationKind.SELLER_SITE,
    "gateway": LocationKind.GATEWAY,
}


def location(node: Node) -> str:
    return sgln(_KINDS[node.kind], node.node_id)


class PlatformPorts:
    """Implements ``SimulationPorts`` with the container's bus, views and engine."""

    def __init__(
        self, container: Container, run_id: str, seed: int = 0, *, resumes: int = 0
    ) -> None:
        if not isinstance(container.clock, FixedClock):
            raise TypeError("the simulation needs a container built with a FixedClock")
        self.c, self.clock, self.run_id = container, container.clock, run_id
        self.tracking = container.tracking
        self.units: dict[str, tuple[str, ...]] = {}  # shipment -> unit EPCs
        self.packages: dict[str, str] = {}  # shipment -> package SSCC
        with container.engine.connect() as conn:
            used = (
                conn.execute(
                    select(func.count())
                    .select_from(t.shipments)
                    .where(t.shipments.c.package_epc.is_not(None))
                ).scalar()
                or 0
            )
            nodes = conn.execute(select(nt.network_nodes)).all()
        # A resumed run allocates in its own block: serials the killed process handed out
        # but never stored must not be handed out twice.
        start = int(used) + 1 + _run_offset(run_id) + resumes * RESUME_BLOCK
        self.sscc = SsccAllocator(start=start)
        self.border = BorderDesk(container.engine, seed)
        self.stations: dict[str, list[Node]] = {}
        self.sort_centers: dict[str, Node] = {}
        self.region_of: dict[str, str] = {}
        for n in nodes:
            node = Node(n.kind, n.node_id, n.lat, n.lon)
            if n.kind == "delivery_station":
                self.stations.setdefault(n.site_id, []).append(node)
                self.region_of[n.node_id] = n.region
            elif n.kind == "sort_center":
                self.sort_centers[n.region] = node

    # --- world facts ----------------------------------------------------------------------

    def set_time(self, at: datetime) -> None:
        self.clock.set(at)

    def sites(self) -> dict[str, float]:
        fc = t.fulfillment_centers.c
        with self.c.engine.connect() as conn:
            rows = conn.execute(select(fc.site_id, func.avg(fc.lon)).group_by(fc.site_id)).all()
        return {site: float(lon) for site, lon in rows}

    def site_weights(self) -> dict[str, int]:
        return {s: ECOMMERCE_USD_BN.get(s, 10) for s in self.sites()}

    def catalog(self, site_id: str) -> list[str]:
        o = t.offers.c
        with self.c.engine.connect() as conn:
            return list(
                conn.execute(
                    select(o.product_id)
                    .where(o.site_id == site_id, o.active)
                    .distinct()
                    .order_by(o.product_id)
                ).scalars()
            )

    def shoppers(self, site_id: str) -> list[Shopper]:
        c = t.customers.c
        now = self.clock.now()
        with self.c.engine.connect() as conn:
            rows = conn.execute(
                select(c.customer_id, c.member_until)
                .where(c.site_id == site_id)
                .order_by(c.customer_id)
            ).all()
        return [Shopper(r.customer_id, bool(r.member_until and r.member_until > now)) for r in rows]

    def choose_offer(self, site_id: str, product_id: str, member: bool) -> str | None:
        page = self.c.views.product_page(product_id, site_id, member=member)
        return page["buy_box"]["winner_offer_id"] if page else None

    # --- commands through the real services -----------------------------------------------

    def place_order(
        self, customer_id: str, lines: Sequence[tuple[str, int]], key: str
    ) -> list[ShipmentPlan] | None:
        cmd = PlaceOrder(customer_id, tuple(CartLine(o, q) for o, q in lines), key)
        try:
            result = self.c.bus.handle(cmd)
        except TradewindError:
            return None
        return self._plans(result.order_id)

    def restock(self, at: datetime) -> int:
        i, o = t.inventory_positions.c, t.offers.c
        with self.c.engine.connect() as conn:
            low = conn.execute(
                select(i.fc_id, i.sku, i.seller_id, i.product_id)
                .where(i.on_hand - i.reserved < RESTOCK_BELOW)
                .order_by(i.sku, i.fc_id)
                .limit(RESTOCK_BATCH)
            ).all()
            fbm = conn.execute(
                select(o.offer_id, o.seller_id)
                .where(o.channel == "fbm", o.fbm_quantity < RESTOCK_BELOW, o.active)
                .order_by(o.offer_id)
                .limit(RESTOCK_BATCH)
            ).all()
        for r in low:
            self.c.bus.handle(
                ReceiveStock(r.fc_id, r.seller_id, r.product_id, r.sku, RESTOCK_UNITS)
            )
        for f in fbm:
            self.c.bus.handle(UpdateOffer(f.seller_id, f.offer_id, quantity=RESTOCK_UNITS // 2))
        return len(low) * RESTOCK_UNITS + len(fbm) * (RESTOCK_UNITS // 2)

    def apply(self, batch: Sequence[tuple[ShipmentPlan, JourneyStep]]) -> None:
        physical, updates, costs, dispatch = [], [], [], []
        for plan, step in batch:
            physical.append(self._physical(plan, step))
            if step.status:
                delivered = step.at if step.status == "delivered" else None
                updates.append(
                    (
                        plan.shipment_id,
                        plan.order_id,
                        step.status,
                        delivered,
                        self.packages.get(plan.shipment_id),
                    )
                )
            if step.usd_cents:
                costs.append((plan.shipment_id, None, step.step, step.usd_cents, step.at))
            if step.ships_inventory:
                dispatch.append(plan.shipment_id)
        self.tracking.record(physical)
        for plan, step in batch:
            if step.step == "pack":  # units travel inside the package from here on
                self.units.pop(plan.shipment_id, None)
            elif step.step.startswith("customs_"):
                self.border.observe(plan.origin.node_id, step.step)
        if dispatch:
            dispatch_packed(self.c.engine, dispatch)
        record_progress(self.c.engine, updates, costs)
        for plan, step in batch:
            if step.step == "customs_refused":  # it will never arrive: the shopper is paid back
                reason = f"customs_refused:{step.reason or 'refused'}"
                self.c.bus.handle(RefundShipment(plan.order_id, plan.shipment_id, reason))

    def record_trip_cost(self, trip_id: str, at: datetime, usd_cents: int) -> None:
        record_trip_cost(self.c.engine, trip_id, at, usd_cents)

    def sweep(self, at: datetime) -> list[str]:
        """Fail and release checkouts a crash left pending (older than the sweep timeout)."""
        return list(self.c.bus.handle(SweepPendingOrders(sweep_cutoff(at))))

    def requeue_run(self, sim: Simulation, after: datetime) -> int:
        """Re-derive the parcels of this run's orders and queue their steps from ``after`` on
        (a resumed run: nothing of its killed process's queue survived)."""
        o = t.orders.c
        with self.c.engine.connect() as conn:
            rows = conn.execute(
                select(o.order_id, o.idempotency_key)
                .where(
                    o.idempotency_key.like(f"{self.run_id}-%"),
                    o.status.in_(("placed", "delivered")),
                    o.placed_at >= after - REQUEUE_WINDOW,
                )
                .order_by(o.placed_at, o.order_id)
            ).all()
        before = len(sim.requeued)
        for order_id, key in rows:
            sim.queue_journeys(int(key.rsplit("-", 1)[1]), self._plans(order_id), after=after)
        return len(sim.requeued) - before

    # --- helpers --------------------------------------------------------------------------

    def _plans(self, order_id: str) -> list[ShipmentPlan]:
        s, sl, ol, p, o, c, sel = (
            t.shipments,
            t.shipment_lines,
            t.order_lines,
            t.products,
            t.offers,
            t.customers,
            t.sellers,
        )
        with self.c.engine.connect() as conn:
            rows = conn.execute(
                select(
                    s.c.shipment_id,
                    s.c.origin,
                    sl.c.line_no,
                    sl.c.quantity,
                    p.c.gtin,
                    p.c.weight_g,
                    p.c.title,
                    p.c.hs_code,
                    p.c.category,
                    ol.c.unit_price_minor,
                    ol.c.shipping_minor,
                    ol.c.currency,
                    o.c.handling_days,
                    t.orders.c.placed_at,
                    s.c.package_epc,
                    c.c.customer_id,
                    c.c.site_id,
                    c.c.name.label("customer_name"),
                    c.c.city.label("customer_city"),
                    t.sites.c.country.label("customer_country"),
                    c.c.lat,
                    c.c.lon,
                    sel.c.seller_id,
                    sel.c.name.label("seller_name"),
                    sel.c.country.label("seller_country"),
                    sel.c.lat.label("s_lat"),
                    sel.c.lon.label("s_lon"),
                    t.fulfillment_centers.c.lat.label("f_lat"),
                    t.fulfillment_centers.c.lon.label("f_lon"),
                )
                .join(sl, sl.c.shipment_id == s.c.shipment_id)
                .join(ol, (ol.c.order_id == s.c.order_id) & (ol.c.line_no == sl.c.line_no))
                .join(p, p.c.product_id == ol.c.product_id)
                .join(o, o.c.offer_id == ol.c.offer_id)
                .join(sel, sel.c.seller_id == ol.c.seller_id)
                .join(t.orders, t.orders.c.order_id == s.c.order_id)
                .join(c, c.c.customer_id == t.orders.c.customer_id)
                .join(t.sites, t.sites.c.site_id == c.c.site_id)
                .outerjoin(t.fulfillment_centers, t.fulfillment_centers.c.fc_id == s.c.origin)
                .where(s.c.order_id == order_id)
                # by origin, not by the random shipment id: the same run every time
                .order_by(s.c.origin, sl.c.line_no)
            ).all()
        grouped: dict[str, list[Any]] = {}
        for r in rows:
            grouped.setdefault(r.shipment_id, []).append(r)
        return [self._plan(order_id, sid, rs) for sid, rs in grouped.items()]

    def _plan(self, order_id: str, shipment_id: str, rows: list[Any]) -> ShipmentPlan:
        r0 = rows[0]
        customer = Node("customer", r0.customer_id, r0.lat, r0.lon)
        units = []
        for r in rows:
            gtin = Gtin.from_gtin14("0" + r.gtin if len(r.gtin) == 13 else r.gtin, 7)
            units += [sgtin(gtin, f"{order_id[4:16]}L{r.line_no}U{k}") for k in range(r.quantity)]
        self.units[shipment_id] = tuple(units)
        # A resumed run keeps the package its parcel already travels in.
        self.packages[shipment_id] = r0.package_epc or self.sscc.next()
        weight = sum(r.weight_g * r.quantity for r in rows)
        if r0.origin.startswith("seller:"):
            origin = Node("seller", r0.seller_id, r0.s_lat, r0.s_lon)
            crossing = self.border.check(
                shipment_id,
                seller=(r0.seller_id, r0.seller_name, r0.seller_country),
                customer=(r0.site_id, r0.customer_name, r0.customer_city, r0.customer_country),
                lines=parcel_lines(rows),
                on=r0.placed_at.date(),
            )
            return ShipmentPlan(
                shipment_id,
                order_id,
                r0.placed_at,
                origin,
                None,
                None,
                customer,
                len(units),
                weight,
                max(r.handling_days for r in rows),
                border=crossing[0] if crossing else None,
                gateway=crossing[1] if crossing else None,
            )
        station = min(
            self.stations[r0.site_id],
            key=lambda n: haversine_km(n.lat, n.lon, customer.lat, customer.lon),
        )
        sort_center = self.sort_centers[self.region_of[station.node_id]]
        origin = Node("fc", r0.origin, r0.f_lat, r0.f_lon)
        return ShipmentPlan(
            shipment_id,
            order_id,
            r0.placed_at,
            origin,
            sort_center,
            station,
            customer,
            len(units),
            weight,
        )

    def _physical(self, plan: ShipmentPlan, step: JourneyStep) -> PhysicalStep:
        package = self.packages[plan.shipment_id]
        trailer = giai("T" + _short(step.trip)) if step.trip else None
        epcs: tuple[str, ...] = {
            "units": self.units.get(plan.shipment_id, ()),
            "package": (package,),
            "trailer": (trailer,) if trailer else (),
        }[step.subject]
        parent = {"package": package, "trailer": trailer, None: None}[step.parent]
        shared = step.subject == "trailer"
        return PhysicalStep(
            step=Step(step.step),
            at=step.at,
            location=location(step.where),
            epcs=epcs,
            parent=parent,
            order_id=None if shared else plan.order_id,
            destination=location(step.destination) if step.destination else None,
            reason=step.reason,
        )


def route_solver() -> RouteSolver:
    """The simulation's last-mile solver: PyVRP on the CPU (imported when routing is on)."""
    from tradewind.transport.adapters.pyvrp_solver import PyVRPSolver

    return PyVRPSolver()


def _short(trip: str) -> str:
    import hashlib

    return hashlib.sha1(trip.encode()).hexdigest()[:16].upper()


def _run_offset(run_id: str) -> int:
    """Runs interleave package serials in separate blocks of a billion (never collide)."""
    import zlib

    return (zlib.crc32(run_id.encode()) % 9) * 1_000_000_000
