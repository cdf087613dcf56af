"""The reference: the same logical checkout transaction in hand-written SQL on the DBAPI.

Same reads (idempotency key, customer, site, offers, locked stock) and the same writes
(reservations, order, lines, shipments, shipment lines, ledger postings, outbox row) as the
service, so ``ratio_to_raw`` measures what the layers cost, nothing else.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from tradewind.orders.model import CartLine

_SQL = {
    # The same single read as the service: customer, site (with fees), earlier order by key.
    "context": "SELECT c.site_id, s.currency, s.referral_bps, s.fba_fee_minor, o.order_id "
    "FROM customers c JOIN sites s ON s.site_id = c.site_id "
    "LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.idempotency_key = {p} "
    "WHERE c.customer_id = {p}",
    "offers": "SELECT o.offer_id, o.seller_id, o.product_id, o.price_minor, o.channel, "
    "s.kyc_status, p.category FROM offers o JOIN sellers s ON s.seller_id = o.seller_id "
    "JOIN products p ON p.product_id = o.product_id "
    "WHERE o.site_id = {p} AND o.offer_id IN ({ins})",
    "lock": "SELECT i.fc_id, i.sku, i.on_hand, i.reserved FROM inventory_positions i "
    "JOIN fulfillment_centers f ON f.fc_id = i.fc_id WHERE i.sku IN ({ins}) "
    "ORDER BY i.sku, i.fc_id{forupdate}",
    "reserve": "UPDATE inventory_positions SET reserved = {p} WHERE sku = {p} AND fc_id = {p}",
    "order": "INSERT INTO orders (order_id, customer_id, site_id, status, total_minor, currency, "
    "placed_at, idempotency_key, request_hash, payment_ref, version) "
    "VALUES ({p}, {p}, {p}, 'placed', {p}, {p}, {p}, {p}, {p}, {p}, 1)",
    "line": "INSERT INTO order_lines (order_id, line_no, offer_id, seller_id, product_id, sku, "
    "quantity, unit_price_minor, shipping_minor, currency, channel) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})",
    "shipment": "INSERT INTO shipments (shipment_id, order_id, origin, status, distance_km) "
    "VALUES ({p}, {p}, {p}, 'created', 0)",
    "sline": "INSERT INTO shipment_lines (shipment_id, line_no, sku, quantity) "
    "VALUES ({p}, {p}, {p}, {p})",
    "ledger": "INSERT INTO ledger_entries (txn_id, reference, account, seller_id, amount_minor, "
    "currency, memo, created_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, '', {p})",
    "outbox": "INSERT INTO outbox (event_type, payload, created_at) "
    "VALUES ('OrderPlaced', {p}, {p})",
}


class RawCheckout:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.p = "?" if self.sqlite else "%s"

    def sql(self, name: str, n_in: int = 0) -> str:
        return _SQL[name].format(
            p=self.p,
            ins=", ".join([self.p] * n_in),
            forupdate="" if self.sqlite else " FOR UPDATE OF i",
        )

    def reserve_sql(self, n: int) -> str:
        """One UPDATE for every reserved position (the service batches the same way)."""
        p = self.p
        first = f"(CAST({p} AS BIGINT), CAST({p} AS VARCHAR), CAST({p} AS VARCHAR))"
        rows = ", ".join([first] + [f"({p}, {p}, {p})"] * (n - 1))
        return (
            f"WITH v (reserved, sku, fc_id) AS (VALUES {rows}) "
            "UPDATE inventory_positions SET reserved = v.reserved FROM v "
            "WHERE inventory_positions.sku = v.sku AND inventory_positions.fc_id = v.fc_id"
        )

    def _insert_many(self, cur: Any, name: str, rows: list[tuple[Any, ...]]) -> None:
        """All rows in one multi-row INSERT (as the service sends them)."""
        head, _, values = self.sql(name).partition(" VALUES ")
        cur.execute(
            f"{head} VALUES " + ", ".join([values] * len(rows)), [v for r in rows for v in r]
        )

    def run(self, customer_id: str, lines: tuple[CartLine, ...], key: str) -> str:
        conn = self.engine.raw_connection()
        try:
            cur = conn.cursor()
            if self.sqlite:
                cur.execute("BEGIN IMMEDIATE")
            order_id = self._txn(cur, customer_id, lines, key)
            conn.commit()
            return order_id
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _txn(self, cur: Any, customer_id: str, lines: tuple[CartLine, ...], key: str) -> str:
        cur.execute(self.sql("context"), (key, customer_id))
        site_id, currency, referral, fba, found = cur.fetchone()
        if found is not None:
            return str(found)
        referral = json.loads(referral) if isinstance(referral, str) else referral
        fba = json.loads(fba) if isinstance(fba, str) else fba
        ids = [ln.offer_id for ln in lines]
        cur.execute(self.sql("offers", len(ids)), (site_id, *ids))
        offers = {r[0]: r for r in cur.fetchall()}
        skus = sorted(f"{offers[i][2]}.{offers[i][1]}" for i in ids)
        cur.execute(self.sql("lock", len(skus)), tuple(skus))
        stock: dict[str, list[list[Any]]] = {}
        for fc_id, sku, on_hand, reserved in cur.fetchall():
            stock.setdefault(sku, []).append([fc_id, on_hand, reserved])
        return self._write(
            cur, customer_id, key, site_id, currency, referral, fba, lines, offers, stock
        )

    def _write(
        self,
        cur: Any,
        customer_id: str,
        key: str,
        site_id: str,
        currency: str,
        referral: dict[str, int],
        fba: dict[str, int],
        lines: tuple[CartLine, ...],
        offers: dict[str, Any],
        stock: dict[str, list[list[Any]]],
    ) -> str:
        now = datetime.now(UTC)
        stamp = now.replace(tzinfo=None) if self.sqlite else now
        order_id, txn = f"ord_{secrets.token_hex(8)}", f"txn_{secrets.token_hex(8)}"
        ship: dict[str, str] = {}
        reserve, line_rows, sline, ledger, total = [], [], [], [], 0
        for no, ln in enumerate(lines, start=1):
            _, seller, product, price, channel, _, category = offers[ln.offer_id]
            sku = f"{product}.{seller}"
            fc = next(s for s in stock[sku] if s[1] - s[2] >= ln.quantity)
            fc[2] += ln.quantity
            reserve.append((fc[2], sku, fc[0]))
            ship.setdefault(fc[0], f"shp_{secrets.token_hex(8)}")
            sline.append((ship[fc[0]], no, sku, ln.quantity))
            items = price * ln.quantity
            total += items
            line_rows.append(
                (
                    order_id,
                    no,
                    ln.offer_id,
                    seller,
                    product,
                    sku,
                    ln.quantity,
                    price,
                    0,
                    currency,
                    channel,
                )
            )
            fee = (items * referral.get(category, referral["DEFAULT"]) + 5000) // 10000
            fba_fee = fba["small_standard"] * ln.quantity
            payable = f"seller:{seller}:payable"
            for account, amount in (
                ("psp:clearing", items),
                (payable, -items),
                (payable, fba_fee),
                ("platform:fba_fees", -fba_fee),
                (payable, fee),
                ("platform:referral_fees", -fee),
            ):
                ledger.append((txn, order_id, account, seller, amount, currency, stamp))
        cur.execute(self.reserve_sql(len(reserve)), [v for row in reserve for v in row])
        cur.execute(
            self.sql("order"),
            (order_id, customer_id, site_id, total, currency, stamp, key, "raw", "raw"),
        )
        self._insert_many(cur, "line", line_rows)
        self._insert_many(cur, "shipment", [(s, order_id, fc) for fc, s in ship.items()])
        self._insert_many(cur, "sline", sline)
        self._insert_many(cur, "ledger", ledger)
        cur.execute(
            self.sql("outbox"), (json.dumps({"order_id": order_id, "site_id": site_id}), stamp)
        )
        return order_id
