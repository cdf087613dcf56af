"""Read side for Seller Central and world statistics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, or_, select

from tradewind.platform.db import tables as t
from tradewind.platform.db.rows import offer_from
from tradewind.platform.db.views import money


def seller_offers(engine: Engine, seller_id: str) -> list[dict[str, Any]]:
    with engine.connect() as c:
        rows = c.execute(
            select(t.offers)
            .where(t.offers.c.seller_id == seller_id)
            .order_by(t.offers.c.created_at, t.offers.c.offer_id)
        ).all()
    return [offer_public(offer_from(r)) for r in rows]


def offer_public(o: Any) -> dict[str, Any]:
    return {
        "offer_id": o.offer_id,
        "seller_id": o.seller_id,
        "product_id": o.product_id,
        "site_id": o.site_id,
        "price": money(o.price.amount, o.price.currency),
        "shipping_fee": money(o.shipping_fee.amount, o.shipping_fee.currency),
        "condition": o.condition.value,
        "channel": o.channel.value,
        "handling_days": o.handling_days,
        "quantity": o.fbm_quantity,
        "active": o.active,
        "version": o.version,
    }


def seller_inventory(engine: Engine, seller_id: str) -> list[dict[str, Any]]:
    i = t.inventory_positions.c
    with engine.connect() as c:
        rows = c.execute(
            select(i.fc_id, i.sku, i.product_id, i.on_hand, i.reserved, i.inbound)
            .where(i.seller_id == seller_id)
            .order_by(i.sku, i.fc_id)
        ).all()
    return [dict(r._mapping) for r in rows]


def seller_ledger(engine: Engine, seller_id: str, limit: int = 100) -> dict[str, Any]:
    le = t.ledger_entries.c
    with engine.connect() as c:
        entries = c.execute(
            select(
                le.txn_id,
                le.reference,
                le.account,
                le.amount_minor,
                le.currency,
                le.memo,
                le.created_at,
            )
            .where(le.seller_id == seller_id, le.account.like("seller:%"))
            .order_by(le.entry_id.desc())
            .limit(limit)
        ).all()
        balances = c.execute(
            select(le.currency, func.sum(le.amount_minor))
            .where(le.account == f"seller:{seller_id}:payable")
            .group_by(le.currency)
        ).all()
    return {
        # Payable is a credit balance: what the platform owes the seller (negated for display).
        "payable": [money(-int(total), cur) for cur, total in balances],
        "entries": [
            {
                "txn_id": e.txn_id,
                "reference": e.reference,
                "account": e.account,
                "amount": money(e.amount_minor, e.currency),
                "memo": e.memo,
                "created_at": e.created_at.isoformat(),
            }
            for e in entries
        ],
    }


def seller_ledger_page(
    engine: Engine, seller_id: str, *, text: str = "", offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    """One page of the seller's ledger for Seller Central, newest first, optionally filtered by
    text (reference, memo or transaction id), with the total count for paging. ``for_seller`` is
    each amount from the seller's point of view: money the platform owes the seller (a credit
    to their payable account) is positive, a fee or a refund taken back is negative."""
    le = t.ledger_entries.c
    where = [le.seller_id == seller_id, le.account.like("seller:%")]
    if text.strip():
        like = f"%{text.strip().lower()}%"
        where.append(
            or_(
                func.lower(le.reference).like(like),
                func.lower(le.memo).like(like),
                func.lower(le.txn_id).like(like),
            )
        )
    with engine.connect() as c:
        total = c.execute(select(func.count()).select_from(t.ledger_entries).where(*where))
        count = int(total.scalar() or 0)
        entries = c.execute(
            select(le.txn_id, le.reference, le.account, le.amount_minor, le.currency, le.memo)
            .add_columns(le.created_at)
            .where(*where)
            .order_by(le.entry_id.desc())
            .offset(max(0, offset))
            .limit(limit)
        ).all()
    return {
        "total": count,
        "entries": [
            {
                "txn_id": e.txn_id,
                "reference": e.reference,
                "account": e.account,
                "for_seller": money(-e.amount_minor, e.currency),
                "memo": e.memo,
                "created_at": e.created_at,
            }
            for e in entries
        ],
    }


def ledger_sums(engine: Engine) -> dict[str, int]:
    """Sum of all postings per currency: zero when the books balance."""
    le = t.ledger_entries.c
    with engine.connect() as c:
        return {
            cur: int(s)
            for cur, s in c.execute(
                select(le.currency, func.sum(le.amount_minor)).group_by(le.currency)
            )
        }


def world_stats(engine: Engine) -> dict[str, int]:
    def count(table: Any) -> Any:
        return select(func.count()).select_from(table).scalar_subquery()

    with engine.connect() as c:
        row = c.execute(
            select(
                count(t.sites).label("sites"),
                count(t.fulfillment_centers).label("fulfillment_centers"),
                count(t.sellers).label("sellers"),
                count(t.products).label("products"),
                count(t.offers).label("offers"),
                count(t.customers).label("customers"),
                select(func.coalesce(func.sum(t.inventory_positions.c.on_hand), 0))
                .scalar_subquery()
                .label("inventory_units"),
            )
        ).one()
    return {k: int(v) for k, v in row._mapping.items()}
