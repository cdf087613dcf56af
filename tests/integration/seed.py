"""Unique, small fixtures inside a shared test database (ids never collide between tests)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert

from tradewind.catalog.model import make_gtin
from tradewind.marketplace.fees import DEFAULT_REFERRAL_BPS, FBA_FEE_USD_CENTS
from tradewind.marketplace.model import sku_for
from tradewind.platform.db import tables as t
from tradewind.shared.tokens import token_hash


@dataclass(frozen=True)
class Shop:
    tag: str
    site: str
    sellers: tuple[str, str]
    tokens: dict[str, str]
    products: tuple[str, ...]
    offers: dict[str, str]  # name -> offer_id
    customers: tuple[str, str]  # member, guest
    fcs: tuple[str, str]  # near, far


def make_shop(engine: Engine, *, near_stock: int = 3, far_stock: int = 10) -> Shop:
    """US-like site; seller A owns P1 (FBA) and P2 (FBM); seller B sells P1 too (FBA)."""
    tag = secrets.token_hex(3)
    site = f"T{tag.upper()}"
    sa, sb = f"sa-{tag}", f"sb-{tag}"
    p1, p2 = f"p1-{tag}", f"p2-{tag}"
    cm, cg = f"cm-{tag}", f"cg-{tag}"
    near, far = f"near-{tag}", f"far-{tag}"
    tokens = {x: f"tok-{x}-{secrets.token_hex(6)}" for x in (sa, sb, cm, cg)}
    now = datetime.now(UTC)
    offers = {"a1": f"a1-{tag}", "a2": f"a2-{tag}", "b1": f"b1-{tag}"}
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
            insert(t.membership_plans),
            [
                {
                    "plan_id": f"plan-{tag}",
                    "site_id": site,
                    "fee_minor": 1499,
                    "currency": "USD",
                    "period_days": 30,
                }
            ],
        )
        c.execute(
            insert(t.sellers),
            [
                {
                    "seller_id": s,
                    "name": s,
                    "kind": "third_party",
                    "country": "US",
                    "kyc_status": "verified",
                    "health_permille": 950,
                    "lat": 40.0,
                    "lon": -74.0,
                    "token_hash": token_hash(tokens[s]),
                    "created_at": now,
                }
                for s in (sa, sb)
            ],
        )
        c.execute(
            insert(t.brands),
            [{"brand_id": f"br-{tag}", "name": f"Brand {tag}", "owner_seller_id": sa}],
        )
        c.execute(
            insert(t.products),
            [
                {
                    "product_id": p,
                    "gtin": make_gtin(int(tag, 16) * 10 + i, prefix="3"),
                    "title": f"Widget {tag} {i}",
                    "category": "electronics",
                    "brand_id": f"br-{tag}",
                    "weight_g": 300,
                    "longest_side_mm": 200,
                    "variants": [],
                    "created_at": now,
                }
                for i, p in enumerate((p1, p2))
            ],
        )
        c.execute(
            insert(t.offers),
            [
                {
                    "offer_id": offers["a1"],
                    "seller_id": sa,
                    "product_id": p1,
                    "site_id": site,
                    "price_minor": 2000,
                    "shipping_minor": 0,
                    "currency": "USD",
                    "condition": "new",
                    "channel": "fba",
                    "handling_days": 1,
                    "fbm_quantity": 0,
                    "created_at": now,
                },
                {
                    "offer_id": offers["a2"],
                    "seller_id": sa,
                    "product_id": p2,
                    "site_id": site,
                    "price_minor": 500,
                    "shipping_minor": 300,
                    "currency": "USD",
                    "condition": "new",
                    "channel": "fbm",
                    "handling_days": 2,
                    "fbm_quantity": 4,
                    "created_at": now,
                },
                {
                    "offer_id": offers["b1"],
                    "seller_id": sb,
                    "product_id": p1,
                    "site_id": site,
                    "price_minor": 2100,
                    "shipping_minor": 0,
                    "currency": "USD",
                    "condition": "new",
                    "channel": "fba",
                    "handling_days": 1,
                    "fbm_quantity": 0,
                    "created_at": now,
                },
            ],
        )
        c.execute(
            insert(t.fulfillment_centers),
            [
                {
                    "fc_id": near,
                    "name": near,
                    "city": "New York",
                    "site_id": site,
                    "lat": 40.7,
                    "lon": -74.0,
                    "capacity_units": 10**6,
                },
                {
                    "fc_id": far,
                    "name": far,
                    "city": "Los Angeles",
                    "site_id": site,
                    "lat": 34.0,
                    "lon": -118.2,
                    "capacity_units": 10**6,
                },
            ],
        )
        rows = [(near, near_stock), (far, far_stock)]
        c.execute(
            insert(t.inventory_positions),
            [
                {
                    "fc_id": fc,
                    "sku": sku_for(seller, p1),
                    "seller_id": seller,
                    "product_id": p1,
                    "on_hand": qty,
                }
                for fc, qty in rows
                if qty
                for seller in (sa, sb)
            ],
        )
        c.execute(
            insert(t.customers),
            [
                {
                    "customer_id": cm,
                    "site_id": site,
                    "name": "Member",
                    "city": "New York",
                    "lat": 40.71,
                    "lon": -74.0,
                    "member_until": now + timedelta(days=30),
                    "token_hash": token_hash(tokens[cm]),
                },
                {
                    "customer_id": cg,
                    "site_id": site,
                    "name": "Guest",
                    "city": "New York",
                    "lat": 40.71,
                    "lon": -74.0,
                    "member_until": None,
                    "token_hash": token_hash(tokens[cg]),
                },
            ],
        )
    return Shop(tag, site, (sa, sb), tokens, (p1, p2), offers, (cm, cg), (near, far))
