"""Orders persisted with a fixed number of statements (see the checkout query budget)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from tradewind.orders.model import Order, OrderLine, OrderStatus, Shipment, ShipmentLine
from tradewind.orders.ports import CheckoutContext, DuplicateIdempotencyKey, ExistingOrder
from tradewind.platform.db import statements as st
from tradewind.platform.db import tables as t
from tradewind.platform.db.bulk import insert_rows
from tradewind.platform.db.driver import fetch_all
from tradewind.platform.db.rows import customer_from, fees_from, site_from
from tradewind.shared.money import Money


class SqlCheckoutContextReader:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def load(self, customer_id: str, key: str) -> CheckoutContext:
        rows = fetch_all(self.conn, st.CHECKOUT_CONTEXT, {"customer_id": customer_id, "key": key})
        if not rows:
            return CheckoutContext(None, None, None, None)
        r = rows[0]
        existing = (
            ExistingOrder(r.order_id, r.request_hash, r.order_status, r.payment_ref)
            if r.order_id
            else None
        )
        return CheckoutContext(existing, customer_from(r), site_from(r), fees_from(r))


class SqlOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find_by_key(self, customer_id: str, key: str) -> ExistingOrder | None:
        row = self.conn.execute(st.ORDER_BY_KEY, {"customer_id": customer_id, "key": key}).first()
        return (
            ExistingOrder(row.order_id, row.request_hash, row.status, row.payment_ref)
            if row
            else None
        )

    def add(self, order: Order) -> None:
        try:
            insert_rows(
                self.conn,
                t.orders,
                [
                    {
                        "order_id": order.order_id,
                        "customer_id": order.customer_id,
                        "site_id": order.site_id,
                        "status": order.status.value,
                        "total_minor": order.total.amount,
                        "currency": order.total.currency,
                        "placed_at": order.placed_at,
                        "idempotency_key": order.idempotency_key,
                        "request_hash": order.request_hash,
                        "payment_ref": order.payment_ref,
                        "version": order.version,
                    }
                ],
            )
        except IntegrityError as exc:
            if "idempotency_key" in str(exc) or "uq_orders_customer_key" in str(exc):
                raise DuplicateIdempotencyKey(order.idempotency_key) from exc
            raise
        insert_rows(
            self.conn,
            t.order_lines,
            [
                {
                    "order_id": order.order_id,
                    "line_no": ln.line_no,
                    "offer_id": ln.offer_id,
                    "seller_id": ln.seller_id,
                    "product_id": ln.product_id,
                    "sku": ln.sku,
                    "quantity": ln.quantity,
                    "unit_price_minor": ln.unit_price.amount,
                    "shipping_minor": ln.shipping.amount,
                    "currency": ln.unit_price.currency,
                    "channel": ln.channel,
                }
                for ln in order.lines
            ],
        )
        if order.shipments:
            insert_rows(
                self.conn,
                t.shipments,
                [
                    {
                        "shipment_id": s.shipment_id,
                        "order_id": order.order_id,
                        "origin": s.origin,
                        "status": s.status,
                        "distance_km": s.distance_km,
                        "promised_by": s.promised_by,
                    }
                    for s in order.shipments
                ],
            )
            insert_rows(
                self.conn,
                t.shipment_lines,
                [
                    {
                        "shipment_id": s.shipment_id,
                        "line_no": sl.line_no,
                        "sku": sl.sku,
                        "quantity": sl.quantity,
                    }
                    for s in order.shipments
                    for sl in s.lines
                ],
            )

    def get(self, order_id: str, *, for_update: bool = False) -> Order | None:
        q = select(t.orders).where(t.orders.c.order_id == order_id)
        row = self.conn.execute(q.with_for_update() if for_update else q).first()
        if row is None:
            return None
        lines = tuple(
            OrderLine(
                r.line_no,
                r.offer_id,
                r.seller_id,
                r.product_id,
                r.sku,
                r.quantity,
                Money(r.unit_price_minor, r.currency),
                Money(r.shipping_minor, r.currency),
                r.channel,
            )
            for r in self.conn.execute(
                select(t.order_lines)
                .where(t.order_lines.c.order_id == order_id)
                .order_by(t.order_lines.c.line_no)
            )
        )
        ship_rows = self.conn.execute(
            select(
                t.shipments,
                t.shipment_lines.c.line_no,
                t.shipment_lines.c.sku,
                t.shipment_lines.c.quantity,
            )
            .join(t.shipment_lines, t.shipment_lines.c.shipment_id == t.shipments.c.shipment_id)
            .where(t.shipments.c.order_id == order_id)
            .order_by(t.shipments.c.shipment_id, t.shipment_lines.c.line_no)
        ).all()
        grouped: dict[str, list[ShipmentLine]] = {}
        heads = {}
        for r in ship_rows:
            grouped.setdefault(r.shipment_id, []).append(ShipmentLine(r.line_no, r.sku, r.quantity))
            heads[r.shipment_id] = r
        shipments = tuple(
            Shipment(
                sid,
                order_id,
                heads[sid].origin,
                tuple(sl),
                heads[sid].distance_km,
                heads[sid].status,
            )
            for sid, sl in grouped.items()
        )
        return Order(
            row.order_id,
            row.customer_id,
            row.site_id,
            OrderStatus(row.status),
            lines,
            shipments,
            Money(row.total_minor, row.currency),
            row.placed_at,
            row.idempotency_key,
            row.request_hash,
            row.payment_ref,
            row.version,
        )

    def save_status(self, order: Order) -> None:
        self.conn.execute(
            update(t.orders)
            .where(t.orders.c.order_id == order.order_id)
            .values(status=order.status.value, version=order.version)
        )

    def settle(self, order_id: str, status: OrderStatus, payment_ref: str) -> bool:
        result = self.conn.execute(
            st.SETTLE_ORDER,
            {
                "b_order_id": order_id,
                "b_pending": OrderStatus.PENDING_PAYMENT.value,
                "b_status": status.value,
                "b_ref": payment_ref,
            },
        )
        return result.rowcount == 1

    def pending_before(self, cutoff: datetime, limit: int) -> list[str]:
        o = t.orders.c
        return list(
            self.conn.execute(
                select(o.order_id)
                .where(o.status == OrderStatus.PENDING_PAYMENT.value, o.placed_at < cutoff)
                .order_by(o.placed_at, o.order_id)
                .limit(limit)
            ).scalars()
        )
