"""Small read queries that only the pages need (titles, map points, live KPIs).

Read models of several contexts that only the server-rendered pages use.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from tradewind.platform.db import tables as t
from tradewind.simulation.adapters.kpis import usd_cents
from tradewind.tracking.errors import InvalidIdentifier
from tradewind.tracking.identifiers import parse_sgln
from tradewind.transport.adapters import network_tables as nt

NODE_KINDS = ("fc", "sort_center", "delivery_station", "airport", "sea_port")


def product_titles(engine: Engine, product_ids: list[str]) -> dict[str, str]:
    if not product_ids:
        return {}
    with engine.connect() as c:
        rows = c.execute(
            select(t.products.c.product_id, t.products.c.title).where(
                t.products.c.product_id.in_(product_ids)
            )
        )
        return {pid: title for pid, title in rows}


def product_rating(engine: Engine, product_id: str) -> tuple[int | None, int]:
    """(average stars x 10 or None, review count) of a product; (None, 0) when unknown."""
    p = t.products.c
    with engine.connect() as c:
        row = c.execute(
            select(p.rating_x10, p.review_count).where(p.product_id == product_id)
        ).first()
    return (row.rating_x10, int(row.review_count or 0)) if row else (None, 0)


def lowest_prices(engine: Engine, site_id: str, product_ids: list[str]) -> dict[str, int]:
    """Current lowest active price per product on a site (fresher than the search index)."""
    if not product_ids:
        return {}
    o = t.offers.c
    with engine.connect() as c:
        rows = c.execute(
            select(o.product_id, func.min(o.price_minor))
            .where(o.site_id == site_id, o.active, ~o.suppressed, o.product_id.in_(product_ids))
            .group_by(o.product_id)
        )
        return {pid: int(p) for pid, p in rows}


def seller_summary(engine: Engine, seller_id: str) -> dict[str, Any] | None:
    s = t.sellers.c
    with engine.connect() as c:
        row = c.execute(
            select(s.seller_id, s.name, s.kind, s.country, s.kyc_status, s.health_permille).where(
                s.seller_id == seller_id
            )
        ).first()
    return dict(row._mapping) if row else None


def network_nodes(engine: Engine) -> list[dict[str, Any]]:
    n = nt.network_nodes.c
    with engine.connect() as c:
        rows = c.execute(
            select(n.node_id, n.kind, n.site_id, n.region, n.name, n.city, n.lat, n.lon).order_by(
                n.site_id, n.kind, n.node_id
            )
        )
        return [dict(r._mapping) for r in rows]


def resolve_locations(engine: Engine, uris: list[str]) -> dict[str, dict[str, Any]]:
    """SGLN URI -> {name, kind, lat, lon} via network_nodes (customer addresses via
    customers); unknown or foreign locations are left out."""
    ext: dict[str, str] = {}
    for uri in uris:
        try:
            ext[uri] = parse_sgln(uri).extension
        except InvalidIdentifier:
            continue
    ids = sorted(set(ext.values()))
    if not ids:
        return {}
    n, cu = nt.network_nodes.c, t.customers.c
    with engine.connect() as c:
        found = {
            r.node_id: {"name": r.name, "kind": r.kind, "lat": r.lat, "lon": r.lon}
            for r in c.execute(
                select(n.node_id, n.name, n.kind, n.lat, n.lon).where(n.node_id.in_(ids))
            )
        }
        for r in c.execute(
            select(cu.customer_id, cu.city, cu.lat, cu.lon).where(cu.customer_id.in_(ids))
        ):
            found[r.customer_id] = {
                "name": f"Delivery address, {r.city}", "kind": "customer", "lat": r.lat,
                "lon": r.lon,
            }  # fmt: skip
    return {uri: found[e] for uri, e in ext.items() if e in found}


def live_kpis(engine: Engine, window_hours: int = 24) -> dict[str, Any]:
    """KPIs over the last ``window_hours`` of (simulated) time, ending at the newest order."""
    o, s, ol = t.orders.c, t.shipments.c, t.order_lines.c
    fc = nt.fulfillment_costs.c
    with engine.connect() as c:
        now = c.execute(select(func.max(o.placed_at))).scalar()
        if now is None:
            return {  # an empty world: every key, nothing measured yet
                "now": None, "orders": 0, "orders_per_min": None, "on_time_rate": None,
                "split_rate": None, "fulfillment_cost_share": None, "gmv_usd": 0.0,
                "series": [], "backlog": [],
            }  # fmt: skip
        start = now - timedelta(hours=window_hours)
        placed = c.execute(select(o.placed_at).where(o.placed_at > start)).scalars().all()
        last_hour = sum(1 for p in placed if p > now - timedelta(hours=1))
        delivered, on_time = c.execute(
            select(
                func.count(s.delivered_at),
                func.count(s.delivered_at).filter(s.delivered_at <= s.promised_by),
            ).where(s.delivered_at > start)
        ).one()
        per_order = (
            select(s.order_id, func.count().label("n"))
            .join(t.orders, o.order_id == s.order_id)
            .where(o.placed_at > start)
            .group_by(s.order_id)
            .subquery()
        )
        shipped, split = c.execute(
            select(func.count(), func.count().filter(per_order.c.n > 1))
        ).one()
        gmv_rows = c.execute(
            select(ol.currency, func.sum(ol.unit_price_minor * ol.quantity))
            .join(t.orders, o.order_id == ol.order_id)
            .where(o.placed_at > start)
            .group_by(ol.currency)
        ).all()
        cost = c.execute(select(func.coalesce(func.sum(fc.usd_cents), 0)).where(fc.at > start))
        cost_cents = int(cost.scalar() or 0)
        backlog = c.execute(
            select(s.origin, func.count())
            .where(s.delivered_at.is_(None), s.status != "cancelled")
            .group_by(s.origin)
            .order_by(func.count().desc(), s.origin)
            .limit(15)
        ).all()
    gmv = sum(usd_cents(int(v or 0), cur) for cur, v in gmv_rows)
    hours = Counter(p.replace(minute=0, second=0, microsecond=0) for p in placed)
    first = (now - timedelta(hours=window_hours - 1)).replace(minute=0, second=0, microsecond=0)
    buckets = [first + timedelta(hours=i) for i in range(window_hours)]
    series = [[b.strftime("%m-%d %H:00"), hours.get(b, 0)] for b in buckets]
    return {
        "now": now.isoformat(),
        "orders": len(placed),
        "orders_per_min": round(last_hour / 60, 2),
        "on_time_rate": round(on_time / delivered, 4) if delivered else None,
        "split_rate": round(split / shipped, 4) if shipped else None,
        "fulfillment_cost_share": round(cost_cents / gmv, 4) if gmv else None,
        "gmv_usd": round(gmv / 100, 2),
        "series": series,
        "backlog": [[origin, int(n)] for origin, n in backlog],
    }
