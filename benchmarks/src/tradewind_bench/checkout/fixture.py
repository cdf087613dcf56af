"""A self-contained checkout fixture inside the configured database, removed afterwards."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from tradewind.catalog.model import make_gtin
from tradewind.marketplace.fees import DEFAULT_REFERRAL_BPS, FBA_FEE_USD_CENTS
from tradewind.marketplace.model import sku_for
from tradewind.orders.model import CartLine
from tradewind.platform.db import tables as t


@dataclass(frozen=True)
class BenchFixture:
    run: str
    site_id: str
    seller_id: str
    offer_ids: tuple[str, ...]
    customer_ids: tuple[str, ...]
    skus: tuple[str, ...]


def create_fixture(
    engine: Engine,
    *,
    products: int = 200,
    customers: int = 400,
    units_per_position: int = 1_000_000,
) -> BenchFixture:
    run = secrets.token_hex(3)
    site, seller, brand = f"B{run.upper()}", f"bench-{run}-seller", f"bench-{run}-brand"
    now = datetime.now(UTC)
    pids = [f"bench-{run}-p{i}" for i in range(products)]
    oids = [f"bench-{run}-o{i}" for i in range(products)]
    cids = [f"bench-{run}-c{i}" for i in range(customers)]
    fcs = [f"bench-{run}-fc{i}" for i in range(3)]
    with engine.begin() as c:
        c.execute(
            insert(t.sites),
            [
                {
                    "site_id": site,
                    "country": "US",
                    "currency": "USD",
                    "language": "en-US",
                    "standard_shipping_minor": 499,
                    "referral_bps": DEFAULT_REFERRAL_BPS,
                    "fba_fee_minor": FBA_FEE_USD_CENTS,
                }
            ],
        )
        c.execute(
            insert(t.sellers),
            [
                {
                    "seller_id": seller,
                    "name": "Bench seller",
                    "kind": "third_party",
                    "country": "US",
                    "kyc_status": "verified",
                    "created_at": now,
                }
            ],
        )
        c.execute(insert(t.brands), [{"brand_id": brand, "name": f"Bench brand {run}"}])
        c.execute(
            insert(t.products),
            [
                {
                    "product_id": p,
                    "gtin": make_gtin(random.Random(p).randrange(10**10), prefix="2"),
                    "title": f"Bench product {i}",
                    "category": "electronics",
                    "brand_id": brand,
                    "weight_g": 300,
                    "longest_side_mm": 200,
                    "variants": [],
                    "created_at": now,
                }
                for i, p in enumerate(pids)
            ],
        )
        c.execute(
            insert(t.offers),
            [
                {
                    "offer_id": o,
                    "seller_id": seller,
                    "product_id": p,
                    "site_id": site,
                    "price_minor": 1999,
                    "shipping_minor": 0,
                    "currency": "USD",
                    "condition": "new",
                    "channel": "fba",
                    "handling_days": 1,
                    "created_at": now,
                }
                for o, p in zip(oids, pids, strict=True)
            ],
        )
        c.execute(
            insert(t.fulfillment_centers),
            [
                {
                    "fc_id": f,
                    "name": f,
                    "city": "Bench",
                    "site_id": site,
                    "lat": 40.0 + i,
                    "lon": -75.0 - i,
                    "capacity_units": 10**9,
                }
                for i, f in enumerate(fcs)
            ],
        )
        c.execute(
            insert(t.inventory_positions),
            [
                {
                    "fc_id": f,
                    "sku": sku_for(seller, p),
                    "seller_id": seller,
                    "product_id": p,
                    "on_hand": units_per_position,
                }
                for p in pids
                for f in fcs
            ],
        )
        c.execute(
            insert(t.customers),
            [
                {
                    "customer_id": cid,
                    "site_id": site,
                    "name": cid,
                    "city": "Bench",
                    "lat": 40.5,
                    "lon": -74.5,
                }
                for cid in cids
            ],
        )
    return BenchFixture(
        run, site, seller, tuple(oids), tuple(cids), tuple(sku_for(seller, p) for p in pids)
    )


def workload(fx: BenchFixture, rng: random.Random) -> tuple[str, tuple[CartLine, ...]]:
    """One checkout: a random customer buying 1-3 distinct offers, 1-2 units each."""
    offers = rng.sample(fx.offer_ids, k=rng.randint(1, 3))
    return rng.choice(fx.customer_ids), tuple(CartLine(o, rng.randint(1, 2)) for o in offers)


def oversold_units(engine: Engine, fx: BenchFixture) -> dict[str, int]:
    """Units reserved beyond on-hand, and units ordered that no reservation backs."""
    i, sl, s = t.inventory_positions.c, t.shipment_lines.c, t.shipments.c
    with engine.connect() as c:
        rows = c.execute(select(i.on_hand, i.reserved).where(i.seller_id == fx.seller_id)).all()
        reserved = sum(r.reserved for r in rows)
        beyond = sum(max(0, r.reserved - r.on_hand) for r in rows)
        shipped = sum(
            r.quantity
            for r in c.execute(
                select(sl.quantity)
                .join(t.shipments, s.shipment_id == sl.shipment_id)
                .join(t.orders, t.orders.c.order_id == s.order_id)
                .where(t.orders.c.site_id == fx.site_id)
            )
        )
    return {
        "oversold_units": beyond + max(0, shipped - reserved),
        "reserved_units": reserved,
        "ordered_units": shipped,
    }


def drop_fixture(engine: Engine, fx: BenchFixture) -> None:
    o = t.orders.c
    with engine.begin() as c:
        order_ids = select(o.order_id).where(o.site_id == fx.site_id).scalar_subquery()
        ship_ids = (
            select(t.shipments.c.shipment_id)
            .where(t.shipments.c.order_id.in_(order_ids))
            .scalar_subquery()
        )
        c.execute(delete(t.shipment_lines).where(t.shipment_lines.c.shipment_id.in_(ship_ids)))
        c.execute(delete(t.shipments).where(t.shipments.c.order_id.in_(order_ids)))
        c.execute(delete(t.order_lines).where(t.order_lines.c.order_id.in_(order_ids)))
        c.execute(delete(t.ledger_entries).where(t.ledger_entries.c.reference.in_(order_ids)))
        c.execute(delete(t.orders).where(o.site_id == fx.site_id))
        c.execute(delete(t.cart_lines).where(t.cart_lines.c.customer_id.in_(fx.customer_ids)))
        c.execute(delete(t.customers).where(t.customers.c.site_id == fx.site_id))
        c.execute(
            delete(t.inventory_positions).where(t.inventory_positions.c.seller_id == fx.seller_id)
        )
        c.execute(
            delete(t.fulfillment_centers).where(t.fulfillment_centers.c.site_id == fx.site_id)
        )
        c.execute(delete(t.offers).where(t.offers.c.site_id == fx.site_id))
        c.execute(delete(t.products).where(t.products.c.product_id.like(f"bench-{fx.run}-%")))
        c.execute(delete(t.brands).where(t.brands.c.brand_id == f"bench-{fx.run}-brand"))
        c.execute(delete(t.sellers).where(t.sellers.c.seller_id == fx.seller_id))
        c.execute(delete(t.sites).where(t.sites.c.site_id == fx.site_id))
