import pytest

from tests.unit.factories import clock, small_world
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import CancelOrder, PlaceOrder
from tradewind.orders.model import CartLine, OrderStatus
from tradewind.orders.services import cancel_order
from tradewind.shared.errors import TradewindError


def place(uow, psp, customer="C1", lines=(("O1", 1),), key="k1", method="card"):
    cmd = PlaceOrder(customer, tuple(CartLine(o, q) for o, q in lines), key, method)
    return place_order(cmd, uow, psp, clock())


def available(uow, fc, sku="P1.S1"):
    p = uow.committed.inventory[(fc, sku)]
    return p.on_hand - p.reserved


def test_reserves_from_the_nearest_fc_and_records_order_ledger_and_event():
    """A New York shopper's unit comes from the New York FC; books balance; event queued."""
    uow, psp = small_world(), FakePaymentGateway()
    result = place(uow, psp)
    order = uow.committed.orders[result.order_id]
    assert [s.origin for s in order.shipments] == ["NYC"]
    assert available(uow, "NYC") == 2 and available(uow, "LAX") == 10
    assert sum(p.amount.amount for _, _, p in uow.committed.ledger) == 0
    assert [e.name for e in uow.committed.outbox] == ["OrderPlaced"]
    assert order.total.amount == 2000  # the member ships FBA for free


def test_non_member_pays_site_shipping_on_fba_and_seller_shipping_on_fbm():
    """Shipping: 4.99 per FBA unit from the site, 3.00 per FBM unit from the seller."""
    uow, psp = small_world(), FakePaymentGateway()
    r = place(uow, psp, customer="C2", lines=(("O1", 2), ("O3", 1)))
    order = uow.committed.orders[r.order_id]
    assert order.total.amount == 2 * 2000 + 2 * 499 + 500 + 300
    assert uow.committed.offers["O3"].fbm_quantity == 4


def test_splits_across_fcs_when_the_nearest_is_short():
    """5 units with 3 in New York: 3 from NYC and 2 from LAX, two shipments."""
    uow, psp = small_world(), FakePaymentGateway()
    r = place(uow, psp, lines=(("O1", 5),))
    order = uow.committed.orders[r.order_id]
    assert sorted((s.origin, s.lines[0].quantity) for s in order.shipments) == [
        ("LAX", 2),
        ("NYC", 3),
    ]
    assert order.is_split


def test_retry_with_the_same_key_returns_the_same_order_and_charges_once():
    """Idempotency: the second call replays; stock and payment are taken once."""
    uow, psp = small_world(), FakePaymentGateway()
    first, second = place(uow, psp), place(uow, psp)
    assert second.order_id == first.order_id and second.replayed
    assert len(uow.committed.orders) == 1 and len(psp.authorized) == 1
    assert available(uow, "NYC") == 2


def test_same_key_with_a_different_cart_is_refused():
    """A reused key with another body is an error, not a silent replay."""
    uow, psp = small_world(), FakePaymentGateway()
    place(uow, psp)
    with pytest.raises(TradewindError) as info:
        place(uow, psp, lines=(("O2", 1),))
    assert info.value.code == "idempotency_key_reused"


@pytest.mark.parametrize(
    "method,code", [("card_decline", "payment_declined"), ("card_timeout", "payment_timeout")]
)
def test_declined_or_timed_out_payment_releases_everything(method, code):
    """After a failed payment: stock back, no ledger entry, no event; the order is kept only
    as payment_failed (what a retry with the same key answers)."""
    uow, psp = small_world(), FakePaymentGateway(timeout_s=0.001, test_methods=True)
    with pytest.raises(TradewindError) as info:
        place(uow, psp, method=method)
    assert info.value.code == code
    [order] = uow.committed.orders.values()
    assert (order.status, order.payment_ref) == (OrderStatus.PAYMENT_FAILED, code)
    assert not uow.committed.ledger and not uow.committed.outbox
    assert available(uow, "NYC") == 3


def test_not_enough_stock_changes_nothing_and_says_how_short():
    """Asking 14 of 13 units fails with insufficient_stock and the shortfall."""
    uow, psp = small_world(), FakePaymentGateway()
    with pytest.raises(TradewindError) as info:
        place(uow, psp, lines=(("O1", 14),))
    assert info.value.code == "insufficient_stock"
    assert info.value.errors[0]["short"] == 1
    assert available(uow, "NYC") == 3 and not psp.authorized


@pytest.mark.parametrize(
    "lines,code",
    [
        ((), "empty_cart"),
        ((("O1", 0),), "invalid_cart"),
        ((("O1", 1), ("O1", 2)), "invalid_cart"),
        ((("NOPE", 1),), "offer_unavailable"),
    ],
)
def test_bad_carts_get_a_stable_code(lines, code):
    """Bad input gets a clear error and changes nothing."""
    uow, psp = small_world(), FakePaymentGateway()
    with pytest.raises(TradewindError) as info:
        place(uow, psp, lines=lines)
    assert info.value.code == code
    assert not uow.committed.orders


def test_unknown_customer_and_missing_key():
    """Unknown customers and blank keys are refused."""
    uow, psp = small_world(), FakePaymentGateway()
    with pytest.raises(TradewindError) as info:
        place(uow, psp, customer="NOPE")
    assert info.value.code == "customer_not_found"
    with pytest.raises(TradewindError) as info:
        place(uow, psp, key="")
    assert info.value.code == "idempotency_key_required"


def test_cancel_releases_reservations_reverses_ledger_and_voids_payment():
    """After cancel, stock is back, the seller's books net to zero, the auth is void."""
    uow, psp = small_world(), FakePaymentGateway()
    r = place(uow, psp, customer="C2", lines=(("O1", 5), ("O3", 2)))
    cancel_order(CancelOrder(r.order_id, "changed mind", "C2"), uow, psp)
    assert uow.committed.orders[r.order_id].status == OrderStatus.CANCELLED
    assert available(uow, "NYC") == 3 and available(uow, "LAX") == 10
    assert uow.committed.offers["O3"].fbm_quantity == 5
    seller_net = sum(
        p.amount.amount for _, _, p in uow.committed.ledger if p.account == "seller:S1:payable"
    )
    assert seller_net == 0
    assert psp.captured_total == 0


def test_cannot_cancel_twice_or_someone_elses_order():
    """A cancelled order stays cancelled; other customers get not-found."""
    uow, psp = small_world(), FakePaymentGateway()
    r = place(uow, psp)
    with pytest.raises(TradewindError) as info:
        cancel_order(CancelOrder(r.order_id, "x", "C2"), uow, psp)
    assert info.value.code == "order_not_found"
    cancel_order(CancelOrder(r.order_id, "x", "C1"), uow, psp)
    with pytest.raises(TradewindError) as info:
        cancel_order(CancelOrder(r.order_id, "x", "C1"), uow, psp)
    assert info.value.code == "order_not_cancellable"


def test_an_order_total_past_the_bound_is_refused_and_changes_nothing():
    """A price the API would refuse can still come from stored data: the domain caps the total
    (far below bigint), before any stock is reserved."""
    from dataclasses import replace

    from tradewind.orders.model import MAX_ORDER_TOTAL_MINOR
    from tradewind.shared.money import Money

    uow, psp = small_world(), FakePaymentGateway()
    offer = uow.committed.offers["O1"]
    uow.committed.offers["O1"] = replace(offer, price=Money(MAX_ORDER_TOTAL_MINOR // 2, "USD"))
    with pytest.raises(TradewindError) as info:
        place(uow, psp, lines=(("O1", 3),))
    assert info.value.code == "invalid_cart"
    assert not uow.committed.orders and not psp.authorized
    assert available(uow, "NYC") == 3
