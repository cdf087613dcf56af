"""The bench's raw-SQL reference and the service write the same rows for the same carts."""

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.clock import SystemClock
from tradewind_bench.checkout.fixture import create_fixture, drop_fixture, workload
from tradewind_bench.checkout.raw import RawCheckout

CARTS = 40


def _shop(engine):
    """A small bench fixture: 3 units a position (so carts split across FCs), half the
    customers members (free FBA shipping), products of two size tiers."""
    fx = create_fixture(engine, products=6, customers=6, units_per_position=3)
    with engine.begin() as c:
        c.execute(
            update(t.customers)
            .where(t.customers.c.customer_id.in_(fx.customer_ids[:3]))
            .values(member_until=datetime.now(UTC) + timedelta(days=30))
        )
        c.execute(
            update(t.products)
            .where(t.products.c.product_id.like(f"bench-{fx.run}-p%"))
            .where(t.products.c.product_id.in_([f"bench-{fx.run}-p{i}" for i in (1, 3)]))
            .values(weight_g=2_000)
        )
    return fx


def _rows(engine, fx):
    """Everything both paths wrote, with generated ids replaced by positions."""
    o, ol, s, sl, le = (
        t.orders.c,
        t.order_lines.c,
        t.shipments.c,
        t.shipment_lines.c,
        t.ledger_entries.c,
    )
    strip = lambda v: v.replace(f"bench-{fx.run}-", "").replace(fx.site_id, "SITE")  # noqa: E731
    with engine.connect() as c:
        orders = c.execute(
            select(
                o.order_id,
                o.customer_id,
                o.status,
                o.total_minor,
                o.currency,
                o.idempotency_key,
                o.request_hash,
                o.version,
            )
            .where(o.site_id == fx.site_id)
            .order_by(o.idempotency_key)
        ).all()
        seq = {r.order_id: n for n, r in enumerate(orders)}
        lines = c.execute(select(ol).where(ol.order_id.in_(seq))).all()
        ships = c.execute(
            select(
                s.order_id,
                s.origin,
                s.status,
                s.distance_km,
                s.promised_by,
                sl.line_no,
                sl.sku,
                sl.quantity,
            )
            .join(t.shipment_lines, sl.shipment_id == s.shipment_id)
            .where(s.order_id.in_(seq))
        ).all()
        ledger = c.execute(
            select(
                le.reference, le.account, le.seller_id, le.amount_minor, le.currency, le.memo
            ).where(le.reference.in_(seq))
        ).all()
        stock = c.execute(
            select(
                t.inventory_positions.c.sku,
                t.inventory_positions.c.fc_id,
                t.inventory_positions.c.reserved,
            ).where(t.inventory_positions.c.seller_id == fx.seller_id)
        ).all()
    return {
        "orders": [
            (
                strip(r.customer_id),
                r.status,
                r.total_minor,
                r.currency,
                r.idempotency_key.split("-", 1)[1],
                r.version,
            )
            for r in orders
        ],
        "lines": sorted(
            (
                seq[r.order_id],
                r.line_no,
                strip(r.offer_id),
                strip(r.sku),
                r.quantity,
                r.unit_price_minor,
                r.shipping_minor,
                r.channel,
            )
            for r in lines
        ),
        "shipments": sorted(
            (
                seq[r.order_id],
                strip(r.origin),
                r.status,
                r.distance_km,
                r.promised_by.date() if r.promised_by else None,
                r.line_no,
                strip(r.sku),
                r.quantity,
            )
            for r in ships
        ),
        "ledger": sorted(
            (
                seq[r.reference],
                strip(r.account),
                strip(r.seller_id or ""),
                r.amount_minor,
                r.currency,
                r.memo,
            )
            for r in ledger
        ),
        "stock": sorted((strip(r.sku), strip(r.fc_id), r.reserved) for r in stock),
    }


def test_raw_reference_and_service_write_the_same_rows_for_the_same_carts(engine):
    """40 seeded carts (splits, members and non-members, two size tiers) through each path on
    twin fixtures: the same orders, lines, shipments, ledger postings and reservations."""
    written = []
    for path in ("service", "raw"):
        fx = _shop(engine)
        try:
            raw = RawCheckout(engine, FakePaymentGateway())
            rng, psp = random.Random(7), FakePaymentGateway()
            for n in range(CARTS):
                customer, lines = workload(fx, rng)
                key = f"{path}-{n:03d}"
                try:
                    if path == "raw":
                        raw.run(customer, lines, key)
                    else:
                        cmd = PlaceOrder(customer, lines, key)
                        place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
                except Exception as exc:  # out of stock: both paths must refuse the same carts
                    assert "stock" in str(exc) or "units" in str(exc), exc
            written.append(_rows(engine, fx))
        finally:
            drop_fixture(engine, fx)
    service, raw = written
    assert service["orders"], "the carts must place orders"
    assert {r[1] for r in service["orders"]} == {"placed"}
    assert any(r[6] for r in service["lines"]) and any(not r[6] for r in service["lines"])
    assert len({(r[0], r[1]) for r in service["shipments"]}) > len(service["orders"])  # splits
    for table in service:
        assert raw[table] == service[table], table
