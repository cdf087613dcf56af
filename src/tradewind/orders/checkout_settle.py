"""Checkout's second half: authorise with the PSP outside any transaction, then settle the
pending order in one short transaction.

- confirm: the order becomes ``placed``, its ledger postings and its ``OrderPlaced`` outbox
  row are written;
- release: the PSP declined or timed out: the reserved units go back to stock and the order
  becomes ``payment_failed`` (no postings, no event).

Settling is conditional on the order still being ``pending_payment`` (one UPDATE ... WHERE
status = 'pending_payment'), so two attempts with the same Idempotency-Key (a double click,
a retry after a crash between the two transactions) settle an order once; the loser answers
with what the winner did and voids its own authorisation if the PSP gave it a different one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.marketplace.api import Channel, Posting
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.errors import OrdersError, PaymentDeclined, PaymentTimeout
from tradewind.orders.events import OrderPlaced
from tradewind.orders.model import Order, OrderStatus
from tradewind.orders.ports import (
    Authorization,
    CheckoutUnitOfWork,
    ExistingOrder,
    PaymentGateway,
)
from tradewind.shared.errors import TradewindError
from tradewind.shared.ids import new_id


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    order_id: str
    replayed: bool  # True when the idempotency key matched an earlier order


@dataclass(frozen=True, slots=True)
class Reserved:
    """An order written as pending payment, with the postings its confirmation books."""

    order: Order
    postings: list[Posting]
    fresh: bool  # False when resumed from an earlier attempt with the same key


def pay_and_settle(
    cmd: PlaceOrder, uow: CheckoutUnitOfWork, psp: PaymentGateway, reserved: Reserved
) -> CheckoutResult:
    """Authorise (no transaction open, no row locked), then confirm or release."""
    order = reserved.order
    try:
        auth = psp.authorize(
            order.total,
            method=cmd.payment_method,
            idempotency_key=f"{cmd.customer_id}:{cmd.idempotency_key}",
        )
    except (PaymentDeclined, PaymentTimeout) as exc:
        return _release(uow, reserved, exc)
    # Any other failure of the PSP call leaves the order pending: a retry with the same key
    # resumes it (the PSP is idempotent by that key).
    return _confirm(uow, reserved, auth, psp)


def _confirm(
    uow: CheckoutUnitOfWork, reserved: Reserved, auth: Authorization, psp: PaymentGateway
) -> CheckoutResult:
    order = reserved.order
    try:
        with uow:
            if uow.orders.settle(order.order_id, OrderStatus.PLACED, auth.reference):
                uow.ledger.add(new_id("txn"), order.order_id, reserved.postings)
                uow.record(placed_event(order))
                uow.commit()
                return CheckoutResult(order.order_id, replayed=not reserved.fresh)
            winner = uow.orders.find_by_key(order.customer_id, order.idempotency_key)
    except BaseException:
        # Not confirmed: the order stays pending (a retry with the key resumes it).
        psp.void(auth)
        raise
    if winner is None or winner.payment_ref != auth.reference:
        psp.void(auth)
    if winner is not None and winner.status != OrderStatus.PAYMENT_FAILED:
        # The attempt that wrote the order answers "new" whoever settled it.
        return CheckoutResult(order.order_id, replayed=not reserved.fresh)
    raise payment_failure(winner.payment_ref if winner else "")


def _release(uow: CheckoutUnitOfWork, reserved: Reserved, exc: TradewindError) -> CheckoutResult:
    order = reserved.order
    with uow:
        if uow.orders.settle(order.order_id, OrderStatus.PAYMENT_FAILED, str(exc.code)):
            release_stock(order, uow)
            uow.commit()
            raise exc
        winner = uow.orders.find_by_key(order.customer_id, order.idempotency_key)
    if winner is not None and winner.status != OrderStatus.PAYMENT_FAILED:
        # Another attempt with the key paid for it.
        return CheckoutResult(order.order_id, replayed=not reserved.fresh)
    raise exc


def payment_failure(code: str) -> TradewindError:
    """The error an earlier attempt with this key ended with (a retry answers the same)."""
    message = "an earlier checkout with this Idempotency-Key failed at payment; use a new key"
    if code == OrdersError.PAYMENT_TIMEOUT:
        return PaymentTimeout(message)
    return PaymentDeclined(message)


def replay(existing: ExistingOrder) -> CheckoutResult:
    """The answer to a retry of a settled order: the same order, or the same failure."""
    if existing.status == OrderStatus.PAYMENT_FAILED:
        raise payment_failure(existing.payment_ref)
    return CheckoutResult(existing.order_id, replayed=True)


def placed_event(order: Order) -> OrderPlaced:
    units = sum(ln.quantity for ln in order.lines)
    return OrderPlaced(
        order.order_id,
        order.customer_id,
        order.site_id,
        order.total.amount,
        order.total.currency,
        units,
        len(order.shipments),
    )


def release_stock(order: Order, uow: CheckoutUnitOfWork) -> None:
    """Give an order's reserved units back: FC positions (locked in the fixed order) and
    self-fulfilled offers' quantities."""
    fc_shipments = [s for s in order.shipments if not s.origin.startswith("seller:")]
    skus = sorted({sl.sku for s in fc_shipments for sl in s.lines})
    if skus:
        positions, _ = uow.inventory.lock(skus)
        by_key = {(p.fc_id, p.sku): p for p in positions}
        touched = set()
        for s in fc_shipments:
            for sl in s.lines:
                by_key[(s.origin, sl.sku)].release(sl.quantity)
                touched.add((sl.sku, s.origin))
        uow.inventory.save_reserved([by_key[(fc, sku)] for sku, fc in sorted(touched)])
    fbm = [ln for ln in order.lines if ln.channel == Channel.FBM.value]
    if fbm:
        stock = uow.offers.lock_fbm_quantities(sorted(ln.offer_id for ln in fbm))
        uow.offers.save_fbm_quantities(
            {ln.offer_id: stock.get(ln.offer_id, 0) + ln.quantity for ln in fbm}
        )
