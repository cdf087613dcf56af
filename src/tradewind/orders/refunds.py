"""Refund one shipment of an order: what the shopper paid for its lines comes back.

Used when a parcel never reaches the shopper through no fault of theirs, e.g. customs refused
it (prohibited goods, or the seller abandoned a duty demand). The shopper gets back the items,
the shipping and the import charges of that parcel; the postings checkout made for its lines
are reversed (the seller's sale, the platform's referral and FBA fees, shipping revenue), and
the import duty / VAT / fees booked as owed to customs for that parcel are released: goods
that were refused entry were never imported. The ledger stays balanced and a second refund of
the same shipment changes nothing (it answers with the first one's amount).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tradewind.marketplace.api import FeeSchedule, Posting, sale_postings
from tradewind.orders.checkout import sale_line
from tradewind.orders.commands import RefundShipment
from tradewind.orders.errors import OrderNotFound, ShipmentNotFound, ShipmentNotRefundable
from tradewind.orders.events import ShipmentRefunded
from tradewind.orders.import_charges import CUSTOMS, PSP_CLEARING, parcel_tag
from tradewind.orders.model import Order, OrderStatus, Shipment
from tradewind.orders.ports import (
    Authorization,
    CheckoutUnitOfWork,
    PaymentGateway,
    SiteRepository,
)
from tradewind.shared.ids import new_id
from tradewind.shared.money import Money

REFUND_MEMO = "refund"


def is_refund_of(memo: str, shipment_id: str) -> bool:
    """Whether a ledger memo belongs to the refund of this parcel."""
    return memo.startswith(REFUND_MEMO) and memo.endswith(parcel_tag(shipment_id))


class LedgerBook(Protocol):
    def add(self, txn_id: str, reference: str, postings: Sequence[Posting]) -> None: ...
    def entries(self, reference: str) -> list[Posting]:
        """Every posting made so far with this reference (an order id), oldest first."""
        ...


class SitesWithFees(SiteRepository, Protocol):
    def fees(self, site_id: str) -> FeeSchedule | None: ...


class RefundUnitOfWork(CheckoutUnitOfWork, Protocol):
    @property
    def ledger(self) -> LedgerBook: ...
    @property
    def sites(self) -> SitesWithFees: ...


@dataclass(frozen=True, slots=True)
class RefundResult:
    order_id: str
    shipment_id: str
    amount: Money
    replayed: bool  # True when the shipment had been refunded before


def refund_shipment(
    cmd: RefundShipment, uow: RefundUnitOfWork, psp: PaymentGateway
) -> RefundResult:
    """Book the refund, then ask the PSP to pay it. The PSP call comes after the commit and
    is idempotent by the shipment, so repeating the command after a PSP failure completes the
    payment without booking or paying anything twice."""
    with uow:
        order = uow.orders.get(cmd.order_id, for_update=True)
        if order is None:
            raise OrderNotFound(f"no order {cmd.order_id}")
        shipment = next((s for s in order.shipments if s.shipment_id == cmd.shipment_id), None)
        if shipment is None:
            raise ShipmentNotFound(f"order {cmd.order_id} has no shipment {cmd.shipment_id}")
        booked = uow.ledger.entries(order.order_id)
        earlier = [p for p in booked if is_refund_of(p.memo, shipment.shipment_id)]
        if earlier:
            result = RefundResult(
                order.order_id, shipment.shipment_id, _paid_back(earlier, order), True
            )
        else:
            result = _book(cmd, order, shipment, booked, uow)
    psp.refund(
        Authorization(order.payment_ref, order.total),
        result.amount,
        idempotency_key=f"refund:{shipment.shipment_id}",
    )
    return result


def _book(
    cmd: RefundShipment,
    order: Order,
    shipment: Shipment,
    booked: Sequence[Posting],
    uow: RefundUnitOfWork,
) -> RefundResult:
    if order.status is OrderStatus.CANCELLED or shipment.status == "delivered":
        what = "delivered" if shipment.status == "delivered" else "the order was cancelled"
        raise ShipmentNotRefundable(f"shipment {shipment.shipment_id}: {what}")
    postings = _sale_reversal(order, shipment, uow) + _import_release(shipment, booked)
    refunded = _paid_back(postings, order)
    uow.ledger.add(new_id("txn"), order.order_id, postings)
    uow.record(
        ShipmentRefunded(
            order.order_id, shipment.shipment_id, refunded.amount, refunded.currency, cmd.reason
        )
    )
    uow.commit()
    return RefundResult(order.order_id, shipment.shipment_id, refunded, False)


def _paid_back(postings: Sequence[Posting], order: Order) -> Money:
    """What leaves PSP clearing back to the shopper (a refund credits clearing)."""
    zero = Money.zero(order.total.currency)
    return -sum((p.amount for p in postings if p.account == PSP_CLEARING), zero)


def _sale_reversal(order: Order, shipment: Shipment, uow: RefundUnitOfWork) -> list[Posting]:
    """The negation of what checkout posted for the shipment's lines, recomputed the same
    way (order-time prices; category, seller kind and size tier as the catalogue has them)."""
    numbers = {sl.line_no for sl in shipment.lines}
    lines = [ln for ln in order.lines if ln.line_no in numbers]
    fees = uow.sites.fees(order.site_id)
    if fees is None:  # pragma: no cover - guarded by a foreign key
        raise OrderNotFound(f"no fee schedule for site {order.site_id}")
    offers = uow.offers.for_checkout(order.site_id, sorted({ln.offer_id for ln in lines}))
    sales = [sale_line(ln, offers[ln.offer_id]) for ln in lines]
    tag = parcel_tag(shipment.shipment_id)
    return [
        Posting(p.account, -p.amount, p.seller_id, f"{REFUND_MEMO}: {p.memo} {tag}")
        for p in sale_postings(sales, order.site_id, fees)
    ]


def _import_release(shipment: Shipment, booked: Sequence[Posting]) -> list[Posting]:
    """Import charges booked as owed to customs for this parcel go back to the shopper."""
    tag = parcel_tag(shipment.shipment_id)
    out: list[Posting] = []
    for p in booked:
        if p.account.startswith(CUSTOMS) and p.memo.endswith(tag):
            out.append(Posting(p.account, -p.amount, None, f"{REFUND_MEMO}: {p.memo}"))
            collected = p.memo.replace(" owed ", " collected ")
            out.append(Posting(PSP_CLEARING, p.amount, None, f"{REFUND_MEMO}: {collected}"))
    return out
