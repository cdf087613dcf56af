"""The reference: the same logical checkout in hand-written SQL on the DBAPI.

The same two-phase flow as the service (orders/checkout.py): transaction 1 reads the context
(customer, site, fees, an earlier order by key), the offers (refusing inactive, suppressed or
non-KYC-verified sellers' offers), locks stock in (sku, fc_id) order, sources each line from
the nearest FC with stock (splitting when needed), reserves, writes the order as
``pending_payment`` with lines, shipments (distance, delivery promise) and shipment lines,
commits; the PSP authorises with no transaction open; transaction 2 settles the order once
(conditional UPDATE), writes the ledger postings (shipping charged to non-members, FBA fee by
size tier, referral fee by category) and the ``OrderPlaced`` outbox row, or releases the
stock on a failed payment. tests/integration/test_raw_checkout_parity.py proves both paths
write the same rows for the same carts, so ``ratio_to_raw`` measures what the layers cost.

It covers what the bench buys: third-party FBA offers on a domestic site (no DDP charges,
no self-fulfilled lines, no resumption of a crashed attempt); anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from tradewind.catalog.model import size_tier_for
from tradewind.orders.model import CartLine
from tradewind.orders.ports import PaymentGateway
from tradewind.shared.errors import TradewindError
from tradewind.shared.geo import haversine_km
from tradewind.shared.money import Money

_SQL = {
    "context": "SELECT c.site_id, c.lat, c.lon, c.member_until, s.currency, "
    "s.standard_shipping_minor, s.referral_bps, s.fba_fee_minor, o.order_id, o.status "
    "FROM customers c JOIN sites s ON s.site_id = c.site_id "
    "LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.idempotency_key = {p} "
    "WHERE c.customer_id = {p}",
    "offers": "SELECT o.offer_id, o.seller_id, o.product_id, o.price_minor, o.channel, "
    "o.active, o.suppressed, s.kind, s.kyc_status, s.country, p.category, p.weight_g, "
    "p.longest_side_mm FROM offers o JOIN sellers s ON s.seller_id = o.seller_id "
    "JOIN products p ON p.product_id = o.product_id "
    "WHERE o.site_id = {p} AND o.offer_id IN ({ins})",
    "lock": "SELECT i.fc_id, i.sku, i.on_hand, i.reserved, f.lat, f.lon "
    "FROM inventory_positions i JOIN fulfillment_centers f ON f.fc_id = i.fc_id "
    "WHERE i.sku IN ({ins}) ORDER BY i.sku, i.fc_id{forupdate}",
    "order": "INSERT INTO orders (order_id, customer_id, site_id, status, total_minor, currency, "
    "placed_at, idempotency_key, request_hash, payment_ref, version) "
    "VALUES ({p}, {p}, {p}, 'pending_payment', {p}, {p}, {p}, {p}, {p}, '', 1)",
    "line": "INSERT INTO order_lines (order_id, line_no, offer_id, seller_id, product_id, sku, "
    "quantity, unit_price_minor, shipping_minor, currency, channel) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})",
    "shipment": "INSERT INTO shipments (shipment_id, order_id, origin, status, distance_km, "
    "promised_by) VALUES ({p}, {p}, {p}, 'created', {p}, {p})",
    "sline": "INSERT INTO shipment_lines (shipment_id, line_no, sku, quantity) "
    "VALUES ({p}, {p}, {p}, {p})",
    "settle": "UPDATE orders SET status = {p}, payment_ref = {p}, version = version + 1 "
    "WHERE order_id = {p} AND status = 'pending_payment'",
    "ledger": "INSERT INTO ledger_entries (txn_id, reference, account, seller_id, amount_minor, "
    "currency, memo, created_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})",
    "outbox": "INSERT INTO outbox (event_type, payload, created_at) "
    "VALUES ('OrderPlaced', {p}, {p})",
}
PROMISE_DAYS = {True: 2, False: 4}  # FBA: members, others (orders.model)


@dataclass
class _Pending:
    """What transaction 1 decided and transaction 2 books."""

    order_id: str
    customer_id: str
    total: int
    currency: str
    site_id: str
    units: int
    reserve: list[tuple[int, str, str]]  # (units, sku, fc_id)
    ledger: list[tuple[Any, ...]] = field(default_factory=list)
    shipments: int = 0


class RawCheckout:
    def __init__(self, engine: Engine, psp: PaymentGateway) -> None:
        self.engine = engine
        self.psp = psp
        self.sqlite = engine.dialect.name == "sqlite"
        self.p = "?" if self.sqlite else "%s"

    def sql(self, name: str, n_in: int = 0) -> str:
        return _SQL[name].format(
            p=self.p,
            ins=", ".join([self.p] * n_in),
            forupdate="" if self.sqlite else " FOR UPDATE OF i",
        )

    def reserve_sql(self, n: int, sign: str) -> str:
        """One UPDATE for every reserved (or released) position, as the service batches."""
        p = self.p
        first = f"(CAST({p} AS BIGINT), CAST({p} AS VARCHAR), CAST({p} AS VARCHAR))"
        rows = ", ".join([first] + [f"({p}, {p}, {p})"] * (n - 1))
        return (
            f"WITH v (units, sku, fc_id) AS (VALUES {rows}) UPDATE inventory_positions "
            f"SET reserved = inventory_positions.reserved {sign} v.units FROM v "
            "WHERE inventory_positions.sku = v.sku AND inventory_positions.fc_id = v.fc_id"
        )

    def _insert_many(self, cur: Any, name: str, rows: list[tuple[Any, ...]]) -> None:
        """All rows in one multi-row INSERT (as the service sends them)."""
        head, _, values = self.sql(name).partition(" VALUES ")
        cur.execute(
            f"{head} VALUES " + ", ".join([values] * len(rows)), [v for r in rows for v in r]
        )

    def _transaction(self, conn: Any) -> Any:
        cur = conn.cursor()
        if self.sqlite:
            cur.execute("BEGIN IMMEDIATE")
        return cur

    def run(self, customer_id: str, lines: tuple[CartLine, ...], key: str) -> str:
        conn = self.engine.raw_connection()
        try:
            pending = self._reserve(self._transaction(conn), customer_id, lines, key)
            conn.commit()
            if isinstance(pending, str):
                return pending
            try:  # no transaction open while the PSP answers
                auth = self.psp.authorize(
                    Money(pending.total, pending.currency),
                    idempotency_key=f"{customer_id}:{key}",
                    method="card",
                )
            except TradewindError as exc:  # declined or timed out: release the stock
                self._settle(self._transaction(conn), pending, "payment_failed", str(exc.code))
                conn.commit()
                raise
            self._settle(self._transaction(conn), pending, "placed", auth.reference)
            conn.commit()
            return pending.order_id
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _reserve(
        self, cur: Any, customer_id: str, lines: tuple[CartLine, ...], key: str
    ) -> _Pending | str:
        cur.execute(self.sql("context"), (key, customer_id))
        site_id, lat, lon, member_until, currency, ship, referral, fba, found, status = (
            cur.fetchone()
        )
        if found is not None:
            if status == "payment_failed":
                raise RuntimeError("an earlier attempt with this key failed at payment")
            return str(found)
        now = datetime.now(UTC)
        member_until = _aware(member_until)
        member = member_until is not None and now < member_until
        ids = [ln.offer_id for ln in lines]
        cur.execute(self.sql("offers", len(ids)), (site_id, *ids))
        offers = {r[0]: r for r in cur.fetchall()}
        for i in ids:
            o = offers.get(i)
            if o is None or not o[5] or o[6] or o[8] != "verified":
                raise RuntimeError(f"offer {i} is not available")
            if o[4] != "fba" or o[7] != "third_party":
                raise NotImplementedError("the raw reference buys third-party FBA offers only")
        skus = sorted({f"{offers[i][2]}.{offers[i][1]}" for i in ids})
        cur.execute(self.sql("lock", len(skus)), tuple(skus))
        stock: dict[str, list[list[Any]]] = {}
        for fc_id, sku, on_hand, reserved, f_lat, f_lon in cur.fetchall():
            km = haversine_km(f_lat, f_lon, lat, lon)
            stock.setdefault(sku, []).append([km, fc_id, on_hand - reserved])
        fees = (_json(referral), _json(fba), ship, member)
        return self._write(
            cur, (customer_id, key, site_id, currency, now), lines, offers, stock, fees
        )

    def _write(
        self,
        cur: Any,
        head: tuple[str, str, str, str, datetime],
        lines: tuple[CartLine, ...],
        offers: dict[str, Any],
        stock: dict[str, list[list[Any]]],
        fees: tuple[dict[str, int], dict[str, int], int, bool],
    ) -> _Pending:
        customer_id, key, site_id, currency, now = head
        referral, fba, ship, member = fees
        stamp = now.replace(tzinfo=None) if self.sqlite else now
        order_id, txn = f"ord_{secrets.token_hex(8)}", f"txn_{secrets.token_hex(8)}"
        pending = _Pending(order_id, customer_id, 0, currency, site_id, 0, [])
        line_rows, by_fc = [], dict[str, list[tuple[int, str, int, float]]]()
        for no, ln in enumerate(lines, start=1):
            _, seller, product, price, channel, *_, category, weight, side = offers[ln.offer_id]
            sku, need = f"{product}.{seller}", ln.quantity
            for fc in sorted(stock[sku]):  # nearest first, then by FC id
                take = min(need, fc[2])
                if take > 0:
                    fc[2] -= take
                    need -= take
                    pending.reserve.append((take, sku, fc[1]))
                    by_fc.setdefault(fc[1], []).append((no, sku, take, fc[0]))
                if need == 0:
                    break
            if need:
                raise RuntimeError(f"not enough units of {sku}")
            items, shipping = price * ln.quantity, 0 if member else ship * ln.quantity
            pending.total += items + shipping
            pending.units += ln.quantity
            row = (order_id, no, ln.offer_id, seller, product, sku, ln.quantity, price)
            line_rows.append((*row, shipping, currency, channel))
            tier = size_tier_for(weight, side).value
            pending.ledger += _postings(
                (txn, order_id, seller, currency, stamp),
                (items, shipping, fba[tier] * ln.quantity, _bps(items, referral, category)),
                (tier, category),
            )
        promised = (now + timedelta(days=PROMISE_DAYS[member])).replace(
            hour=23, minute=59, second=59, microsecond=0
        )
        promised_at = promised.replace(tzinfo=None) if self.sqlite else promised
        ships = [
            (f"shp_{secrets.token_hex(8)}", fc, allocs) for fc, allocs in sorted(by_fc.items())
        ]
        pending.shipments = len(ships)
        cur.execute(self.reserve_sql(len(pending.reserve), "+"), _flat(pending.reserve))
        digest = _request_hash(customer_id, lines)
        cur.execute(
            self.sql("order"),
            (order_id, customer_id, site_id, pending.total, currency, stamp, key, digest),
        )
        self._insert_many(cur, "line", line_rows)
        self._insert_many(
            cur,
            "shipment",
            [(s, order_id, fc, round(a[0][3], 1), promised_at) for s, fc, a in ships],
        )
        self._insert_many(
            cur, "sline", [(s, no, sku, q) for s, _, a in ships for no, sku, q, _ in a]
        )
        return pending

    def _settle(self, cur: Any, pending: _Pending, status: str, ref: str) -> None:
        cur.execute(self.sql("settle"), (status, ref, pending.order_id))
        if cur.rowcount != 1:
            return  # another attempt with the key settled it
        now = datetime.now(UTC)
        stamp = now.replace(tzinfo=None) if self.sqlite else now
        if status != "placed":
            cur.execute(
                self.sql("lock", len({s for _, s, _ in pending.reserve})),
                tuple(sorted({s for _, s, _ in pending.reserve})),
            )
            cur.execute(self.reserve_sql(len(pending.reserve), "-"), _flat(pending.reserve))
            return
        self._insert_many(cur, "ledger", [(*r, stamp) for r in pending.ledger])
        payload = {
            "order_id": pending.order_id,
            "customer_id": pending.customer_id,
            "site_id": pending.site_id,
            "total_amount": pending.total,
            "currency": pending.currency,
            "units": pending.units,
            "shipments": pending.shipments,
        }
        cur.execute(self.sql("outbox"), (json.dumps(payload), stamp))


def _postings(
    ids: tuple[str, str, str, str, datetime],
    amounts: tuple[int, int, int, int],
    names: tuple[str, str],
) -> list[tuple[Any, ...]]:
    """A third-party FBA line's postings, in the service's order (marketplace/settlement)."""
    txn, order_id, seller, currency, _ = ids
    items, shipping, fba_fee, referral = amounts
    tier, category = names
    payable = f"seller:{seller}:payable"
    rows: list[tuple[str, str | None, int, str]] = [
        ("psp:clearing", None, items + shipping, "shopper payment"),
        (payable, seller, -items, "item sale"),
    ]
    if shipping:
        rows.append(("platform:shipping_revenue", None, -shipping, "FBA shipping"))
    rows += [
        (payable, seller, fba_fee, f"FBA fee {tier}"),
        ("platform:fba_fees", seller, -fba_fee, "FBA fee"),
        (payable, seller, referral, f"referral fee {category}"),
        ("platform:referral_fees", seller, -referral, "referral fee"),
    ]
    return [(txn, order_id, acc, who, amt, currency, memo) for acc, who, amt, memo in rows]


def _bps(items: int, referral: dict[str, int], category: str) -> int:
    bps = referral.get(category, referral["DEFAULT"])
    return (items * bps + 5_000) // 10_000


def _request_hash(customer_id: str, lines: tuple[CartLine, ...]) -> str:
    body = "|".join(
        f"{ln.offer_id}x{ln.quantity}" for ln in sorted(lines, key=lambda x: x.offer_id)
    )
    return hashlib.sha256(f"{customer_id}|{body}".encode()).hexdigest()[:32]


def _flat(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [v for r in rows for v in r]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _aware(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value  # type: ignore[no-any-return]
