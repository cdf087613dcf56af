"""Customers, their carts, and the settlements ledger (append and reverse)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, update

from tradewind.marketplace.ledger import Posting
from tradewind.orders.model import CartLine, Customer
from tradewind.platform.db import statements as st
from tradewind.platform.db import tables as t
from tradewind.platform.db.bulk import insert_rows
from tradewind.platform.db.rows import customer_from
from tradewind.shared.money import Money


def _now() -> datetime:
    return datetime.now(UTC)


class SqlCustomerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, customer_id: str) -> Customer | None:
        r = self.conn.execute(st.CUSTOMER, {"customer_id": customer_id}).first()
        return customer_from(r) if r else None

    def add(self, customer: Customer, token_hash: str | None = None) -> None:
        self.conn.execute(
            insert(t.customers),
            [
                {
                    "customer_id": customer.customer_id,
                    "site_id": customer.site_id,
                    "name": customer.name,
                    "city": customer.city,
                    "lat": customer.lat,
                    "lon": customer.lon,
                    "member_until": customer.member_until,
                    "token_hash": token_hash,
                }
            ],
        )

    def save_membership(self, customer: Customer) -> None:
        self.conn.execute(
            update(t.customers)
            .where(t.customers.c.customer_id == customer.customer_id)
            .values(member_until=customer.member_until)
        )


class SqlLedgerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, txn_id: str, reference: str, postings: Sequence[Posting]) -> None:
        now = _now()
        insert_rows(
            self.conn,
            t.ledger_entries,
            [
                {
                    "txn_id": txn_id,
                    "reference": reference,
                    "account": p.account,
                    "seller_id": p.seller_id,
                    "amount_minor": p.amount.amount,
                    "currency": p.amount.currency,
                    "memo": p.memo,
                    "created_at": now,
                }
                for p in postings
            ],
        )

    def entries(self, reference: str) -> list[Posting]:
        le = t.ledger_entries.c
        rows = self.conn.execute(
            select(le.account, le.amount_minor, le.currency, le.seller_id, le.memo)
            .where(le.reference == reference)
            .order_by(le.entry_id)
        )
        return [
            Posting(r.account, Money(r.amount_minor, r.currency), r.seller_id, r.memo) for r in rows
        ]


class SqlCartRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lines(self, customer_id: str) -> list[CartLine]:
        c = t.cart_lines.c
        return [
            CartLine(r.offer_id, r.quantity)
            for r in self.conn.execute(
                select(c.offer_id, c.quantity)
                .where(c.customer_id == customer_id)
                .order_by(c.added_at, c.offer_id)
            )
        ]

    def put(self, customer_id: str, line: CartLine) -> None:
        c = t.cart_lines.c
        res = self.conn.execute(
            update(t.cart_lines)
            .where(c.customer_id == customer_id, c.offer_id == line.offer_id)
            .values(quantity=line.quantity)
        )
        if res.rowcount == 0:
            self.conn.execute(
                insert(t.cart_lines),
                [
                    {
                        "customer_id": customer_id,
                        "offer_id": line.offer_id,
                        "quantity": line.quantity,
                        "added_at": _now(),
                    }
                ],
            )

    def remove(self, customer_id: str, offer_id: str) -> bool:
        c = t.cart_lines.c
        res = self.conn.execute(
            delete(t.cart_lines).where(c.customer_id == customer_id, c.offer_id == offer_id)
        )
        return res.rowcount > 0

    def clear(self, customer_id: str) -> None:
        self.conn.execute(delete(t.cart_lines).where(t.cart_lines.c.customer_id == customer_id))
