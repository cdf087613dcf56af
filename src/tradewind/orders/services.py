"""Order use cases besides checkout: cancel, membership, cart."""

from __future__ import annotations

from typing import Protocol

from tradewind.marketplace.api import Posting
from tradewind.orders.cart_quote import CartQuote, quote_cart
from tradewind.orders.checkout_settle import release_stock
from tradewind.orders.commands import CancelOrder, StartMembership
from tradewind.orders.errors import CustomerNotFound, OrderNotCancellable, OrderNotFound
from tradewind.orders.events import MembershipStarted
from tradewind.orders.model import CartLine, validate_cart_lines
from tradewind.orders.ports import (
    Authorization,
    CheckoutUnitOfWork,
    ImportQuoter,
    PaymentGateway,
)
from tradewind.orders.refunds import REFUND_MEMO, LedgerBook
from tradewind.shared.clock import Clock
from tradewind.shared.errors import NotFound
from tradewind.shared.ids import new_id


class CartRepository(Protocol):
    def lines(self, customer_id: str) -> list[CartLine]: ...
    def put(self, customer_id: str, line: CartLine) -> None: ...
    def remove(self, customer_id: str, offer_id: str) -> bool: ...
    def clear(self, customer_id: str) -> None: ...


class OrdersUnitOfWork(CheckoutUnitOfWork, Protocol):
    @property
    def carts(self) -> CartRepository: ...

    @property
    def ledger(self) -> LedgerBook: ...


def cancel_order(cmd: CancelOrder, uow: OrdersUnitOfWork, psp: PaymentGateway) -> None:
    """Cancel a placed order: reservations go back to stock, the ledger is reversed, the
    payment authorisation is voided."""
    with uow:
        order = uow.orders.get(cmd.order_id, for_update=True)
        if order is None or (cmd.customer_id and order.customer_id != cmd.customer_id):
            raise OrderNotFound(f"no order {cmd.order_id}")
        booked = uow.ledger.entries(order.order_id)
        if any(p.memo.startswith(REFUND_MEMO) for p in booked):
            # Part of the payment went back already; voiding the rest is a refund of each
            # remaining parcel, not a cancellation of the whole authorisation.
            raise OrderNotCancellable(
                f"order {order.order_id} has a refunded parcel; refund the other parcels instead"
            )
        order.cancel(cmd.reason)
        release_stock(order, uow)
        uow.orders.save_status(order)
        memo = "reversal (order cancelled)"
        uow.ledger.add(
            new_id("txn"),
            order.order_id,
            [Posting(p.account, -p.amount, p.seller_id, memo) for p in booked],
        )
        for e in order.events:
            uow.record(e)
        uow.commit()
    psp.void(Authorization(order.payment_ref, order.total))


def start_membership(cmd: StartMembership, uow: OrdersUnitOfWork, clock: Clock) -> str:
    """Subscribe (or renew) the customer to their site's plan; returns the new end date."""
    with uow:
        customer = uow.customers.get(cmd.customer_id)
        if customer is None:
            raise CustomerNotFound(f"no customer {cmd.customer_id}")
        plan = uow.sites.plan(customer.site_id)
        if plan is None:
            raise NotFound(f"site {customer.site_id} has no membership plan")
        until = customer.subscribe(plan, clock.now())
        uow.customers.save_membership(customer)
        uow.record(MembershipStarted(customer.customer_id, plan.plan_id, until.isoformat()))
        uow.commit()
    return until.isoformat()


def put_in_cart(customer_id: str, line: CartLine, uow: OrdersUnitOfWork) -> list[CartLine]:
    """Set the quantity of an offer in the cart (validated like checkout)."""
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise CustomerNotFound(f"no customer {customer_id}")
        current = {ln.offer_id: ln for ln in uow.carts.lines(customer_id)}
        current[line.offer_id] = line
        validate_cart_lines(tuple(current.values()))
        if line.offer_id not in uow.offers.for_checkout(customer.site_id, [line.offer_id]):
            raise NotFound(f"no offer {line.offer_id} on site {customer.site_id}")
        uow.carts.put(customer_id, line)
        uow.commit()
        return list(current.values())


def quote_customer_cart(
    customer_id: str, uow: OrdersUnitOfWork, clock: Clock, quoter: ImportQuoter | None
) -> CartQuote:
    """The customer's cart priced as checkout would price it now, import charges included."""
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise CustomerNotFound(f"no customer {customer_id}")
        site = uow.sites.get(customer.site_id)
        if site is None:  # pragma: no cover - guarded by a foreign key
            raise NotFound(f"no site {customer.site_id}")
        cart = uow.carts.lines(customer_id)
        ids = [ln.offer_id for ln in cart]
        offers = uow.offers.for_checkout(customer.site_id, ids) if ids else {}
    now = clock.now()
    return quote_cart(
        cart, offers, site, member=customer.is_member(now), on=now.date(), quoter=quoter
    )
