"""Refunding one parcel: the shopper gets back exactly what they paid for it, the ledger stays
balanced, the rest of the order is untouched, and a retry pays nothing twice."""

from collections import defaultdict
from dataclasses import replace

import pytest

from tests.unit.factories import clock
from tests.unit.orders.test_import_charges import german_shop
from tradewind.customs.adapters.quoter import CustomsImportQuoter
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import CancelOrder, PlaceOrder, RefundShipment
from tradewind.orders.errors import (
    OrderNotCancellable,
    OrderNotFound,
    ShipmentNotFound,
    ShipmentNotRefundable,
)
from tradewind.orders.events import ShipmentRefunded
from tradewind.orders.model import CartLine, OrderStatus
from tradewind.orders.refunds import refund_shipment
from tradewind.orders.services import cancel_order
from tradewind.platform.memory import FakeUnitOfWork


def _order(uow: FakeUnitOfWork, psp: FakePaymentGateway):
    """One order, two parcels: a Chinese seller's (with import charges) and a German one's."""
    r = place_order(
        PlaceOrder("C", (CartLine("O-CN1", 1), CartLine("O-DE1", 2)), "k"),
        uow,
        psp,
        clock(),
        importer=CustomsImportQuoter(),
    )
    order = uow.committed.orders[r.order_id]
    by_origin = {s.origin: s for s in order.shipments}
    return order, by_origin["seller:CN1"], by_origin["seller:DE1"]


def _balances(uow: FakeUnitOfWork) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for _, _, p in uow.committed.ledger:
        out[p.account] += p.amount.amount
    return out


def test_a_refused_parcel_is_paid_back_in_full_and_only_that_parcel():
    uow, psp = german_shop(), FakePaymentGateway()
    order, cn, _ = _order(uow, psp)
    before = _balances(uow)
    owed_to_customs = -sum(v for k, v in before.items() if k.startswith("customs:"))
    assert owed_to_customs > 0
    cn_lines = {sl.line_no for sl in cn.lines}
    items_and_shipping = sum(
        (ln.unit_price.amount * ln.quantity + ln.shipping.amount)
        for ln in order.lines
        if ln.line_no in cn_lines
    )

    result = refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "customs"), uow, psp)

    assert result.amount.amount == items_and_shipping + owed_to_customs and not result.replayed
    after = _balances(uow)
    assert sum(after.values()) == 0  # still balanced
    assert all(v == 0 for k, v in after.items() if k.startswith("customs:"))  # never imported
    assert after["seller:CN1:payable"] == 0  # the seller's sale and fees are undone
    assert after["seller:DE1:payable"] == before["seller:DE1:payable"]  # the other parcel stays
    assert after["psp:clearing"] == before["psp:clearing"] - result.amount.amount
    assert psp.captured_total == order.total.amount - result.amount.amount
    [event] = [e for e in uow.committed.outbox if isinstance(e, ShipmentRefunded)]
    assert (event.shipment_id, event.amount, event.reason) == (
        cn.shipment_id,
        result.amount.amount,
        "customs",
    )


def test_a_second_refund_of_the_same_parcel_pays_nothing_more():
    uow, psp = german_shop(), FakePaymentGateway()
    order, cn, _ = _order(uow, psp)
    first = refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "customs"), uow, psp)
    ledger = list(uow.committed.ledger)
    again = refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "retry"), uow, psp)
    assert again.replayed and again.amount == first.amount
    assert uow.committed.ledger == ledger
    assert psp.captured_total == order.total.amount - first.amount.amount


def test_bad_requests_change_nothing():
    uow, psp = german_shop(), FakePaymentGateway()
    order, cn, de = _order(uow, psp)
    ledger = list(uow.committed.ledger)
    with pytest.raises(OrderNotFound):
        refund_shipment(RefundShipment("ord_nope", cn.shipment_id, "x"), uow, psp)
    with pytest.raises(ShipmentNotFound):
        refund_shipment(RefundShipment(order.order_id, "shp_nope", "x"), uow, psp)
    delivered = replace(de, status="delivered")
    uow.committed.orders[order.order_id].shipments = (cn, delivered)
    with pytest.raises(ShipmentNotRefundable, match="delivered"):
        refund_shipment(RefundShipment(order.order_id, de.shipment_id, "x"), uow, psp)
    uow.committed.orders[order.order_id].status = OrderStatus.CANCELLED
    with pytest.raises(ShipmentNotRefundable, match="cancelled"):
        refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "x"), uow, psp)
    assert uow.committed.ledger == ledger and psp.captured_total == order.total.amount


class _FlakyPsp(FakePaymentGateway):
    """Fails the first refund call (after the refund was booked)."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    def refund(self, authorization, amount, *, idempotency_key):
        if self.failures:
            self.failures -= 1
            raise TimeoutError("the PSP did not answer")
        super().refund(authorization, amount, idempotency_key=idempotency_key)


def test_repeating_after_a_psp_failure_pays_once_and_books_once():
    uow, psp = german_shop(), _FlakyPsp()
    order, cn, _ = _order(uow, psp)
    with pytest.raises(TimeoutError):
        refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "customs"), uow, psp)
    booked = list(uow.committed.ledger)
    assert psp.captured_total == order.total.amount  # booked, not yet paid
    done = refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "customs"), uow, psp)
    assert done.replayed and uow.committed.ledger == booked
    assert psp.captured_total == order.total.amount - done.amount.amount
    refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "customs"), uow, psp)
    assert psp.captured_total == order.total.amount - done.amount.amount  # paid once


def test_an_order_with_a_refunded_parcel_cannot_be_cancelled_whole():
    """Voiding the whole authorisation after part of it was paid back would pay twice."""
    uow, psp = german_shop(), FakePaymentGateway()
    order, cn, _ = _order(uow, psp)
    refund_shipment(RefundShipment(order.order_id, cn.shipment_id, "customs"), uow, psp)
    ledger = list(uow.committed.ledger)
    with pytest.raises(OrderNotCancellable, match="refunded parcel"):
        cancel_order(CancelOrder(order.order_id, "changed my mind"), uow, psp)
    assert uow.committed.ledger == ledger
