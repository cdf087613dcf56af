"""Statements of the checkout hot path, built once at import (no I/O): building a select()
costs more Python than executing a cached one, and checkout runs them thousands of times."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, insert, select, update

from tradewind.platform.db import tables as t

_o, _s, _p = t.offers, t.sellers, t.products
_i, _f = t.inventory_positions, t.fulfillment_centers

ORDER_BY_KEY = select(
    t.orders.c.order_id, t.orders.c.request_hash, t.orders.c.status, t.orders.c.payment_ref
).where(
    t.orders.c.customer_id == bindparam("customer_id"),
    t.orders.c.idempotency_key == bindparam("key"),
)
# Settle a pending order once: the WHERE on the status makes a second attempt a no-op.
SETTLE_ORDER = (
    update(t.orders)
    .where(
        t.orders.c.order_id == bindparam("b_order_id"),
        t.orders.c.status == bindparam("b_pending"),
    )
    .values(
        status=bindparam("b_status"),
        payment_ref=bindparam("b_ref"),
        version=t.orders.c.version + 1,
    )
)
_c = t.customers.c
CUSTOMER = select(
    _c.customer_id, _c.site_id, _c.name, _c.city, _c.lat, _c.lon, _c.member_until
).where(_c.customer_id == bindparam("customer_id"))
SITE = select(t.sites).where(t.sites.c.site_id == bindparam("site_id"))
# The customer, their site (with its fee schedule) and any order already placed with this
# Idempotency-Key, in one round trip.
_so, _st = t.orders.c, t.sites.c
CHECKOUT_CONTEXT = (
    select(
        _c.customer_id,
        _c.site_id,
        _c.name,
        _c.city,
        _c.lat,
        _c.lon,
        _c.member_until,
        _st.country,
        _st.currency,
        _st.language,
        _st.tax_regime,
        _st.standard_shipping_minor,
        _st.referral_bps,
        _st.fba_fee_minor,
        _so.order_id,
        _so.request_hash,
        _so.status.label("order_status"),
        _so.payment_ref,
    )
    .join(t.sites, _st.site_id == _c.site_id)
    .outerjoin(
        t.orders, (_so.customer_id == _c.customer_id) & (_so.idempotency_key == bindparam("key"))
    )
    .where(_c.customer_id == bindparam("customer_id"))
)


def _in(column: Any, prefix: str, n: int) -> Any:
    """``column IN (:p0, ..., :pn-1)``: a fixed list of plain parameters, so the statement
    is compiled once per list length (an expanding IN is re-rendered on every execution)."""
    return column.in_([bindparam(f"{prefix}{k}") for k in range(n)])


def in_params(prefix: str, values: Sequence[Any]) -> dict[str, Any]:
    return {f"{prefix}{k}": v for k, v in enumerate(values)}


_CHECKOUT_OFFERS = (
    select(
        _o,
        _s.c.kind,
        _s.c.kyc_status,
        _s.c.country.label("s_country"),
        _p.c.hs_code,
        _s.c.lat.label("s_lat"),
        _s.c.lon.label("s_lon"),
        _p.c.category,
        _p.c.weight_g,
        _p.c.longest_side_mm,
    )
    .join(_s, _s.c.seller_id == _o.c.seller_id)
    .join(_p, _p.c.product_id == _o.c.product_id)
    .where(_o.c.site_id == bindparam("site_id"))
)


@lru_cache(maxsize=64)
def checkout_offers(n: int) -> Select[Any]:
    """The offers of a checkout (``o0``..``o{n-1}``) on one site, with seller and product."""
    return _CHECKOUT_OFFERS.where(_in(_o.c.offer_id, "o", n))


# One fixed lock order for every transaction, (sku, fc_id), so checkouts never deadlock.
_LOCK_STOCK = (
    select(
        _i.c.fc_id,
        _i.c.sku,
        _i.c.on_hand,
        _i.c.reserved,
        _i.c.inbound,
        _f.c.name,
        _f.c.city,
        _f.c.site_id,
        _f.c.lat,
        _f.c.lon,
        _f.c.capacity_units,
        _f.c.region,
    )
    .join(_f, _f.c.fc_id == _i.c.fc_id)
    .order_by(_i.c.sku, _i.c.fc_id)
    .with_for_update(of=_i)
)


@lru_cache(maxsize=64)
def lock_stock(n: int) -> Select[Any]:
    """Stock of ``s0``..``s{n-1}`` at every FC, locked in the one fixed order."""
    return _LOCK_STOCK.where(_in(_i.c.sku, "s", n))


LOCK_FBM = (
    select(_o.c.offer_id, _o.c.fbm_quantity)
    .where(_o.c.offer_id.in_(bindparam("offer_ids", expanding=True)))
    .order_by(_o.c.offer_id)
    .with_for_update()
)
# Multi-row writes of checkout are in bulk.py; these serve the occasional single writes.
INSERT_LEDGER = insert(t.ledger_entries)
INSERT_OUTBOX = insert(t.outbox)
