"""FBA inbound over SQLAlchemy Core: plan repository, network reads, stock writes, the unit of
work that adds them to ``SqlUnitOfWork``, and views. Wiring: ``inbound_wiring.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, select, update

from tradewind.fulfillment.adapters import inbound_tables as it
from tradewind.fulfillment.inbound import (
    InboundLine,
    InboundPlan,
    InboundReceived,
    InboundStatus,
    InvalidInboundPlan,
    Origin,
    Placement,
)
from tradewind.fulfillment.inbound_public import line_json, option_from, option_json
from tradewind.fulfillment.inbound_services import CreateInboundPlan, PlanContext
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.model import sku_for
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.errors import Conflict
from tradewind.shared.events import Event
from tradewind.shared.geo import haversine_km
from tradewind.transport.adapters import network_tables as nt


class SqlInboundPlanRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, plan: InboundPlan) -> None:
        choice = plan.choice
        assert choice is not None, "only placed plans are stored"
        self.conn.execute(
            insert(it.inbound_plans),
            [
                {
                    "plan_id": plan.plan_id,
                    "seller_id": plan.seller_id,
                    "site_id": plan.site_id,
                    "status": plan.status.value,
                    "origin_country": plan.origin.country,
                    "origin_city": plan.origin.city,
                    "origin_lat": plan.origin.lat,
                    "origin_lon": plan.origin.lon,
                    "max_fcs": choice.max_fcs,
                    "network_cost_cents": choice.network_cost,
                    "placement_fee_cents": round(choice.seller_fee),
                    "fallback_reason": choice.fallback_reason,
                    "options": [option_json(o) for o in plan.options],
                    "version": plan.version,
                    "created_at": plan.created_at,
                }
            ],
        )
        self.conn.execute(
            insert(it.inbound_plan_lines),
            [
                {"plan_id": plan.plan_id, "line_no": n, **line_json(line)}
                for n, line in enumerate(plan.lines, start=1)
            ],
        )
        self.conn.execute(
            insert(it.inbound_placements),
            [
                {"plan_id": plan.plan_id, "fc_id": p.fc_id, "sku": p.sku, "units": p.units}
                for p in plan.placements
            ],
        )

    def get(self, plan_id: str, *, for_update: bool = False) -> InboundPlan | None:
        q = select(it.inbound_plans).where(it.inbound_plans.c.plan_id == plan_id)
        row = self.conn.execute(q.with_for_update() if for_update else q).first()
        if row is None:
            return None
        lc, pc = it.inbound_plan_lines.c, it.inbound_placements.c
        lines = self.conn.execute(
            select(lc.sku, lc.product_id, lc.units)
            .where(lc.plan_id == plan_id)
            .order_by(lc.line_no)
        ).all()
        placed = self.conn.execute(
            select(pc.fc_id, pc.sku, pc.units, pc.received)
            .where(pc.plan_id == plan_id)
            .order_by(pc.fc_id, pc.sku)
        ).all()
        options = tuple(option_from(o) for o in row.options)
        return InboundPlan(
            row.plan_id,
            row.seller_id,
            row.site_id,
            Origin(row.origin_country, row.origin_city, row.origin_lat, row.origin_lon),
            tuple(InboundLine(r.sku, r.product_id, r.units) for r in lines),
            row.created_at,
            InboundStatus(row.status),
            [Placement(r.fc_id, r.sku, r.units, r.received) for r in placed],
            next((o for o in options if o.max_fcs == row.max_fcs), None),
            options,
            row.version,
        )

    def save(self, plan: InboundPlan) -> None:
        """Status and received counts, guarded by ``version``; receipts from new events."""
        p = it.inbound_plans.c
        done = self.conn.execute(
            update(it.inbound_plans)
            .where(p.plan_id == plan.plan_id, p.version == plan.version)
            .values(status=plan.status.value, version=plan.version + 1)
        )
        if done.rowcount != 1:
            raise Conflict(f"inbound plan {plan.plan_id} changed concurrently; retry")
        plan.version += 1
        pc = it.inbound_placements.c
        for pl in plan.placements:
            self.conn.execute(
                update(it.inbound_placements)
                .where(pc.plan_id == plan.plan_id, pc.fc_id == pl.fc_id, pc.sku == pl.sku)
                .values(received=pl.received)
            )
        receipts = [e for e in plan.events if isinstance(e, InboundReceived)]
        if receipts:
            self.conn.execute(
                insert(it.inbound_receipts),
                [
                    {
                        "plan_id": e.plan_id,
                        "fc_id": e.fc_id,
                        "sku": e.sku,
                        "units": e.units,
                        "expected": e.units - e.over + e.short,
                        "over": e.over,
                        "short": e.short,
                        "at": e.at,
                    }
                    for e in receipts
                ],
            )


class SqlInboundNetwork:
    """What placement reads: products, FCs, free capacity and regional demand history."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def context(self, cmd: CreateInboundPlan) -> PlanContext:
        seller = self.conn.execute(
            select(t.sellers).where(t.sellers.c.seller_id == cmd.seller_id)
        ).first()
        if seller is None:
            raise InvalidInboundPlan(f"no seller {cmd.seller_id}")
        pids = [pid for pid, _ in cmd.lines]
        pc = t.products.c
        rows = self.conn.execute(
            select(pc.product_id, pc.weight_g).where(pc.product_id.in_(pids))
        ).all()
        weights: dict[str, int] = {r.product_id: r.weight_g for r in rows}
        missing = [
            {"field": f"lines[{n}].product_id", "reason": f"unknown product {pid}"}
            for n, pid in enumerate(pids, start=1)
            if pid not in weights
        ]
        if missing:
            raise InvalidInboundPlan("the inbound plan names unknown products", errors=missing)
        skus = {pid: sku_for(cmd.seller_id, pid) for pid in pids}
        origin = Origin(
            cmd.origin_country or seller.country,
            cmd.origin_city or "",
            seller.lat if cmd.origin_lat is None else cmd.origin_lat,
            seller.lon if cmd.origin_lon is None else cmd.origin_lon,
        )
        site_id = cmd.site_id or self._site_of(cmd.seller_id, pids)
        grams = {skus[p]: w for p, w in weights.items()}
        return PlanContext(site_id, skus, grams, origin, self._entry(site_id, origin))

    def _entry(self, site_id: str, origin: Origin) -> tuple[float, float] | None:
        """An import (origin outside the site's country) enters at the nearest sea port."""
        s, n = t.sites.c, nt.network_nodes.c
        country = self.conn.execute(select(s.country).where(s.site_id == site_id)).scalar()
        if country is None or country == origin.country:
            return None
        ports = self.conn.execute(
            select(n.lat, n.lon).where(n.site_id == site_id, n.kind == "sea_port")
        ).all()
        near = min(
            ports, key=lambda p: haversine_km(origin.lat, origin.lon, p.lat, p.lon), default=None
        )
        return (near.lat, near.lon) if near else None

    def _site_of(self, seller_id: str, pids: Sequence[str]) -> str:
        o = t.offers.c
        sites = (
            self.conn.execute(
                select(o.site_id).distinct().where(o.seller_id == seller_id, o.product_id.in_(pids))
            )
            .scalars()
            .all()
        )
        if len(sites) != 1:
            raise InvalidInboundPlan(
                f"cannot tell the site from the seller's offers ({sorted(sites)}); give site_id",
                errors=[{"field": "site_id", "reason": "required"}],
            )
        return str(sites[0])

    def centers(self, site_id: str) -> dict[str, FulfillmentCenter]:
        return centers(self.conn, site_id)

    def free_capacity(self, site_id: str) -> dict[str, int]:
        f, i = t.fulfillment_centers.c, t.inventory_positions.c
        used = (
            select(i.fc_id, func.sum(i.on_hand + i.inbound).label("used"))
            .group_by(i.fc_id)
            .subquery()
        )
        rows = self.conn.execute(
            select(f.fc_id, f.capacity_units, func.coalesce(used.c.used, 0))
            .outerjoin(used, used.c.fc_id == f.fc_id)
            .where(f.site_id == site_id)
        ).all()
        return {r[0]: max(0, int(r[1]) - int(r[2])) for r in rows}

    def demand(self, site_id: str) -> dict[tuple[str, str], float]:
        return demand_history(self.conn, site_id)[0]


def centers(conn: Connection, site_id: str) -> dict[str, FulfillmentCenter]:
    f = t.fulfillment_centers.c
    rows = conn.execute(select(t.fulfillment_centers).where(f.site_id == site_id)).all()
    return {
        r.fc_id: FulfillmentCenter(
            r.fc_id, r.name, r.city, r.site_id, r.lat, r.lon, int(r.capacity_units), r.region
        )
        for r in rows
    }


def demand_history(conn: Connection, site_id: str) -> tuple[dict[tuple[str, str], float], float]:
    """Units per (region, sku) shipped to the site's customers (region of the shipping FC),
    and the days that history spans (at least 1). Cancelled orders do not count."""
    o, c, s = t.orders.c, t.customers.c, t.shipments.c
    sl, f = t.shipment_lines.c, t.fulfillment_centers.c
    base = (
        select(
            f.region, sl.sku, func.sum(sl.quantity), func.min(o.placed_at), func.max(o.placed_at)
        )
        .select_from(t.shipment_lines)
        .join(t.shipments, s.shipment_id == sl.shipment_id)
        .join(t.orders, o.order_id == s.order_id)
        .join(t.customers, c.customer_id == o.customer_id)
        .join(t.fulfillment_centers, f.fc_id == s.origin)
        .where(c.site_id == site_id, o.status != "cancelled")
        .group_by(f.region, sl.sku)
    )
    rows = conn.execute(base).all()
    if not rows:
        return {}, 1.0
    first, last = min(r[3] for r in rows), max(r[4] for r in rows)
    days = max(1.0, (last - first).total_seconds() / 86_400)
    return {(r[0], r[1]): float(r[2]) for r in rows}, days


class SqlInboundStock:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, fc_id: str, sku: str, *, for_update: bool = False) -> InventoryPosition | None:
        i = t.inventory_positions.c
        q = select(t.inventory_positions).where(i.fc_id == fc_id, i.sku == sku)
        r = self.conn.execute(q.with_for_update() if for_update else q).first()
        return InventoryPosition(r.fc_id, r.sku, r.on_hand, r.reserved, r.inbound) if r else None

    def add(self, position: InventoryPosition, seller_id: str, product_id: str) -> None:
        row = {**asdict(position), "seller_id": seller_id, "product_id": product_id}
        self.conn.execute(insert(t.inventory_positions), [row])

    def save(self, position: InventoryPosition) -> None:
        i = t.inventory_positions.c
        self.conn.execute(
            update(t.inventory_positions)
            .where(i.fc_id == position.fc_id, i.sku == position.sku)
            .values(on_hand=position.on_hand, inbound=position.inbound)
        )


class SqlInboundUnitOfWork:
    """The bus's ``SqlUnitOfWork`` plus the inbound repositories on the same transaction."""

    def __init__(self, inner: SqlUnitOfWork) -> None:
        self.inner = inner

    def __enter__(self) -> Self:
        self.inner.__enter__()
        conn = self.inner.conn
        assert conn is not None
        self.inbound_plans = SqlInboundPlanRepository(conn)
        self.network = SqlInboundNetwork(conn)
        self.stock = SqlInboundStock(conn)
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.__exit__(*exc)

    def record(self, event: Event) -> None:
        self.inner.record(event)

    def commit(self) -> None:
        self.inner.commit()


# --- reads for the API and CLI -------------------------------------------------------------


def load_plan(engine: Engine, plan_id: str) -> InboundPlan | None:
    with engine.connect() as conn:
        return SqlInboundPlanRepository(conn).get(plan_id)


def seller_plans(engine: Engine, seller_id: str) -> list[dict[str, Any]]:
    """A seller's plans, newest first (summary rows, one query)."""
    p, lc = it.inbound_plans.c, it.inbound_plan_lines.c
    units = select(lc.plan_id, func.sum(lc.units).label("units")).group_by(lc.plan_id).subquery()
    q = (
        select(
            p.plan_id,
            p.site_id,
            p.status,
            p.max_fcs,
            p.placement_fee_cents,
            p.created_at,
            units.c.units,
        )
        .join(units, units.c.plan_id == p.plan_id)
        .where(p.seller_id == seller_id)
        .order_by(p.created_at.desc(), p.plan_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        {**r._asdict(), "units": int(r.units), "created_at": r.created_at.isoformat()} for r in rows
    ]


def transfer_report(engine: Engine, site_id: str, cover_days: float = 14.0) -> dict[str, Any]:
    """Transfer and replenishment proposals for one site (nothing is moved)."""
    from tradewind.fulfillment.inbound_rules import targets, transfer_proposals

    i = t.inventory_positions.c
    with engine.connect() as conn:
        fcs = centers(conn, site_id)
        history, days = demand_history(conn, site_id)
        rows = conn.execute(
            select(i.fc_id, i.sku, i.on_hand - i.reserved + i.inbound).where(i.fc_id.in_(list(fcs)))
        ).all()
    stock = {(r[0], r[1]): int(r[2]) for r in rows}
    rate = {k: q / days for k, q in history.items()}
    proposals = transfer_proposals(targets(rate, stock, fcs, cover_days), stock, fcs)
    return {
        "site_id": site_id,
        "cover_days": cover_days,
        "forecast": "order_history" if history else "uniform",
        "history_days": round(days, 2) if history else 0,
        "proposals": [asdict(x) for x in proposals],
    }
