"""The pending-order sweeper: settles orders a crashed checkout left ``pending_payment``.

Checkout writes the order as pending, asks the PSP, then settles (checkout_settle.py). A
process killed between the two transactions leaves the order pending with its stock
reserved; a retry with the same Idempotency-Key settles it, but a shopper who never retries
would hold the units forever. The sweeper fails such orders once they are older than the
timeout (a payment time-out: the retry then answers ``payment_timeout``, never a second
order), gives their units back and records a ``PendingOrderReleased`` event with the reason.

Settling is the same conditional UPDATE checkout uses, so a checkout that is still waiting on
the PSP and the sweeper settle an order once: if the sweeper wins, the checkout voids its
authorisation and answers the failure. The timeout must exceed the PSP's time-out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tradewind.orders.checkout_settle import release_stock
from tradewind.orders.commands import SweepPendingOrders
from tradewind.orders.errors import OrdersError
from tradewind.orders.events import PendingOrderReleased
from tradewind.orders.model import OrderStatus
from tradewind.orders.ports import CheckoutUnitOfWork

PENDING_TIMEOUT = timedelta(minutes=15)
"""How long an order may stay ``pending_payment`` before the sweeper fails it (and the
invariant checker calls it a violation)."""

SWEEP_REASON = "pending_payment_timeout"


def sweep_pending_orders(cmd: SweepPendingOrders, uow: CheckoutUnitOfWork) -> list[str]:
    """Fail and release every order pending since before ``cmd.cutoff``; returns their ids
    (one short transaction per order, so a live checkout is never blocked for long)."""
    cutoff = datetime.fromisoformat(cmd.cutoff)
    with uow:
        candidates = uow.orders.pending_before(cutoff, cmd.limit)
    released = []
    for order_id in candidates:
        if _release_one(order_id, uow):
            released.append(order_id)
    return released


def _release_one(order_id: str, uow: CheckoutUnitOfWork) -> bool:
    with uow:
        if not uow.orders.settle(
            order_id, OrderStatus.PAYMENT_FAILED, OrdersError.PAYMENT_TIMEOUT.value
        ):
            return False  # settled meanwhile by a retry with its key
        order = uow.orders.get(order_id)
        if order is None:  # pragma: no cover - settled above
            return False
        release_stock(order, uow)
        uow.record(PendingOrderReleased(order_id, order.placed_at.isoformat(), SWEEP_REASON))
        uow.commit()
    return True


def sweep_cutoff(now: datetime, timeout: timedelta = PENDING_TIMEOUT) -> str:
    """The cutoff of a sweep at ``now``."""
    return (now - timeout).isoformat()
