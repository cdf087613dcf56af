"""KPI aggregates of one simulation run (orders keyed by the run's idempotency-key prefix)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Engine, case, func, or_, select

from tradewind.economics.kpis import Aggregates
from tradewind.economics.rates import convert_minor
from tradewind.platform.db import tables as t
from tradewind.transport.adapters import network_tables as nt


def usd_cents(amount_minor: int, currency: str) -> int:
    return convert_minor(amount_minor, currency, "USD")


def run_aggregates(engine: Engine, run_id: str) -> Aggregates:
    o, ol, s, sel = t.orders.c, t.order_lines.c, t.shipments.c, t.sellers.c
    run_orders = select(o.order_id).where(o.idempotency_key.like(f"{run_id}-%")).subquery()
    third = sel.kind == "third_party"
    items = ol.unit_price_minor * ol.quantity
    with engine.connect() as c:
        line_rows = c.execute(
            select(
                ol.currency,
                func.sum(items),
                func.sum(case((third, items), else_=0)),
                func.sum(ol.quantity),
                func.sum(case((third, ol.quantity), else_=0)),
                func.sum(case(((ol.channel == "fba") & third, ol.quantity), else_=0)),
            )
            .join(t.sellers, sel.seller_id == ol.seller_id)
            .where(ol.order_id.in_(select(run_orders.c.order_id)))
            .group_by(ol.currency)
        ).all()
        per_order = (
            select(s.order_id, func.count().label("n"))
            .where(s.order_id.in_(select(run_orders.c.order_id)))
            .group_by(s.order_id)
            .subquery()
        )
        orders, shipments, split = c.execute(
            select(
                func.count(),
                func.coalesce(func.sum(per_order.c.n), 0),
                func.coalesce(func.sum(case((per_order.c.n > 1, 1), else_=0)), 0),
            )
        ).one()
        delivered, on_time = c.execute(
            select(
                func.count(s.delivered_at),
                func.coalesce(func.sum(case((s.delivered_at <= s.promised_by, 1), else_=0)), 0),
            ).where(s.order_id.in_(select(run_orders.c.order_id)))
        ).one()
        run_shipments = select(s.shipment_id).where(s.order_id.in_(select(run_orders.c.order_id)))
        cost = c.execute(
            select(func.coalesce(func.sum(nt.fulfillment_costs.c.usd_cents), 0)).where(
                or_(
                    nt.fulfillment_costs.c.shipment_id.in_(run_shipments),
                    nt.fulfillment_costs.c.trip_id.like(f"{run_id}:%"),
                )
            )
        ).scalar()
    sums: dict[str, int] = defaultdict(int)
    for cur, gmv, gmv3p, units, units3p, fba3p in line_rows:
        sums["gmv"] += usd_cents(int(gmv or 0), cur)
        sums["gmv3p"] += usd_cents(int(gmv3p or 0), cur)
        sums["units"] += int(units or 0)
        sums["units3p"] += int(units3p or 0)
        sums["fba3p"] += int(fba3p or 0)
    return Aggregates(
        int(orders),
        sums["units"],
        sums["gmv"],
        sums["gmv3p"],
        int(shipments),
        int(split),
        int(delivered),
        int(on_time),
        sums["fba3p"],
        sums["units3p"],
        int(cost or 0),
    )
