"""Bulk-load a generated world (executemany in chunks; one transaction).

Sellers' accounts are back-dated by their drawn age (``world_bad_actors.account_age_days``);
their tax IDs are written last, once the catalog shows where each seller holds FBA stock
(the registration rule is in ``tradewind.simulation.world_bad_actors``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select

from tradewind.platform.db import tables as t
from tradewind.platform.db.rows import offer_values, product_values
from tradewind.shared.tokens import token_hash
from tradewind.simulation.adapters.world_taxids import StdnumTaxNumbers
from tradewind.simulation.world import World, catalog_batches, demo_token
from tradewind.simulation.world_bad_actors import (
    TaxNumberSource,
    account_age_days,
    tax_registrations,
)
from tradewind.transport.adapters import network_tables as nt

CHUNK = 5_000
# Customers per site with a demo token (``world build --load-customers`` gives more, for a
# load test that needs many distinct shoppers).
DEMO_CUSTOMER_TOKENS = 3


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    buf: list[dict[str, Any]] = []
    for r in rows:
        buf.append(r)
        if len(buf) >= CHUNK:
            yield buf
            buf = []
    if buf:
        yield buf


def is_empty(engine: Engine) -> bool:
    with engine.connect() as c:
        return not c.execute(select(func.count()).select_from(t.sites)).scalar()


def _static_rows(
    w: World, creds: dict[str, str], now: datetime
) -> list[tuple[Table, Iterable[dict[str, Any]]]]:
    return [
        (
            t.sites,
            (
                {
                    "site_id": s.site_id,
                    "country": s.country,
                    "currency": s.currency,
                    "language": s.language,
                    "tax_regime": s.tax_regime,
                    "standard_shipping_minor": s.shipping_fee().amount,
                    "referral_bps": f.referral_bps,
                    "fba_fee_minor": f.fba_fee_minor,
                }
                for s, f in w.sites
            ),
        ),
        (
            t.membership_plans,
            (
                {
                    "plan_id": p.plan_id,
                    "site_id": p.site_id,
                    "fee_minor": p.fee.amount,
                    "currency": p.fee.currency,
                    "period_days": p.period_days,
                }
                for p in w.plans
            ),
        ),
        (
            t.sellers,
            (
                {
                    "seller_id": s.seller_id,
                    "name": s.name,
                    "kind": s.kind.value,
                    "country": s.country,
                    "kyc_status": s.kyc_status.value,
                    "health_permille": s.health_permille,
                    "lat": s.lat,
                    "lon": s.lon,
                    "token_hash": token_hash(creds[s.seller_id]),
                    "created_at": now - timedelta(days=account_age_days(w, s.seller_id)),
                }
                for s in w.sellers
            ),
        ),
        (
            t.brands,
            (
                {"brand_id": b.brand_id, "name": b.name, "owner_seller_id": b.owner_seller_id}
                for b in w.brands
            ),
        ),
        (
            t.fulfillment_centers,
            (
                {
                    "fc_id": f.fc_id,
                    "name": f.name,
                    "city": f.city,
                    "site_id": f.site_id,
                    "lat": f.lat,
                    "lon": f.lon,
                    "capacity_units": f.capacity_units,
                    "region": f.region,
                }
                for f in w.centers
            ),
        ),
        (
            nt.network_nodes,
            (
                {
                    "node_id": n.node_id,
                    "kind": n.kind,
                    "site_id": n.site_id,
                    "region": n.region,
                    "name": n.name,
                    "city": n.city,
                    "lat": n.lat,
                    "lon": n.lon,
                }
                for n in w.nodes
            ),
        ),
        (
            t.customers,
            (
                {
                    "customer_id": c.customer_id,
                    "site_id": c.site_id,
                    "name": c.name,
                    "city": c.city,
                    "lat": c.lat,
                    "lon": c.lon,
                    "member_until": c.member_until,
                    "token_hash": token_hash(creds[c.customer_id])
                    if c.customer_id in creds
                    else None,
                }
                for c in w.customers
            ),
        ),
    ]


def load_world(
    engine: Engine,
    w: World,
    seed: int,
    progress: Callable[[str, int], None] | None = None,
    *,
    tax_numbers: TaxNumberSource | None = None,
    customer_tokens: int = DEMO_CUSTOMER_TOKENS,
) -> dict[str, str]:
    """Insert the world in one transaction; returns demo credentials {subject_id: token} for
    every seller and the first ``customer_tokens`` customers of each site. ``progress(table,
    rows)`` is called as rows land (the catalog streams in batches, so memory stays flat).
    ``tax_numbers`` writes the sellers' tax IDs (default: valid python-stdnum numbers)."""
    now = datetime.now(UTC)
    creds = {s.seller_id: demo_token(seed, s.seller_id) for s in w.sellers}
    creds.update(
        {
            c.customer_id: demo_token(seed, c.customer_id)
            for c in w.customers
            if int(c.customer_id.rsplit("-", 1)[1]) <= customer_tokens
        }
    )
    tick = progress or (lambda _table, _n: None)
    site_country = {s.site_id: s.country for s, _ in w.sites}
    country_of_fc = {c.fc_id: site_country[c.site_id] for c in w.centers}
    stock: dict[str, set[str]] = {}
    with engine.begin() as conn:
        for table, rows in _static_rows(w, creds, now):
            for chunk in _chunks(rows):
                conn.execute(insert(table), chunk)
                tick(table.name, len(chunk))
        for batch in catalog_batches(w):
            conn.execute(
                insert(t.products),
                [{**product_values(p), "created_at": now} for p in batch.products],
            )
            conn.execute(
                insert(t.offers), [{**offer_values(o), "created_at": now} for o in batch.offers]
            )
            conn.execute(
                insert(t.inventory_positions),
                [
                    {
                        "fc_id": p.fc_id,
                        "sku": p.sku,
                        "seller_id": sid,
                        "product_id": pid,
                        "on_hand": p.on_hand,
                        "reserved": 0,
                        "inbound": 0,
                    }
                    for p, sid, pid in batch.inventory
                ],
            )
            tick("products", len(batch.products))
            for pos, sid, _ in batch.inventory:
                stock.setdefault(sid, set()).add(country_of_fc[pos.fc_id])
        number = tax_numbers or StdnumTaxNumbers(seed)
        rows = (
            {"seller_id": r.seller_id, "country": r.country, "number": number(r)}
            for r in tax_registrations(w, stock)
        )
        for chunk in _chunks(rows):
            conn.execute(insert(t.seller_tax_ids), chunk)
            tick(t.seller_tax_ids.name, len(chunk))
    return creds
