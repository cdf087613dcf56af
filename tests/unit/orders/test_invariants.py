"""Property tests: whatever shoppers and operators do, stock never goes negative, nothing is
oversold, and money is never created or lost."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.factories import clock, small_world
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import CancelOrder, PlaceOrder, RefundShipment
from tradewind.orders.model import CartLine, OrderStatus
from tradewind.orders.refunds import refund_shipment
from tradewind.orders.services import cancel_order
from tradewind.shared.errors import TradewindError

line = st.tuples(st.sampled_from(["O1", "O2", "O3"]), st.integers(1, 6))
action = st.one_of(
    st.tuples(
        st.just("buy"),
        st.sampled_from(["C1", "C2"]),
        st.lists(line, min_size=1, max_size=3, unique_by=lambda x: x[0]),
        # "crash": the process dies between reserving and settling (the order stays pending)
        st.sampled_from(["card", "card", "card", "card_decline", "card_timeout", "crash"]),
    ),
    st.tuples(st.just("retry"), st.integers(0, 20)),  # the same key and cart again
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("refund"), st.integers(0, 20), st.integers(0, 3)),
)


class _Crashed(Exception):
    pass


class _Crash(FakePaymentGateway):
    """The process dies while the PSP is being asked (after the first transaction)."""

    def authorize(self, *a, **k):
        raise _Crashed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, max_size=25))
def test_no_oversell_no_negative_stock_and_balanced_money(actions):
    """Random checkouts, cancels and parcel refunds keep every invariant."""
    uow, psp = small_world(), FakePaymentGateway(timeout_s=0.0, test_methods=True)
    start = {k: p.on_hand for k, p in uow.committed.inventory.items()}
    placed: list[str] = []
    tried: list[PlaceOrder] = []
    for n, a in enumerate(actions):
        try:
            if a[0] == "buy":
                method = "card" if a[3] == "crash" else a[3]
                cmd = PlaceOrder(a[1], tuple(CartLine(o, q) for o, q in a[2]), f"k{n}", method)
                tried.append(cmd)
                placed.append(
                    place_order(cmd, uow, _Crash() if a[3] == "crash" else psp, clock()).order_id
                )
            elif tried and a[0] == "retry":
                placed.append(place_order(tried[a[1] % len(tried)], uow, psp, clock()).order_id)
            elif placed and a[0] == "cancel":
                oid = placed[a[1] % len(placed)]
                cancel_order(CancelOrder(oid, "prop"), uow, psp)
            elif placed:  # a parcel lost on the way: the shopper is paid back for it
                order = uow.committed.orders[placed[a[1] % len(placed)]]
                parcel = order.shipments[a[2] % len(order.shipments)]
                refund_shipment(
                    RefundShipment(order.order_id, parcel.shipment_id, "lost"), uow, psp
                )
        except (TradewindError, _Crashed):
            pass
    s = uow.committed
    assert len(s.orders) <= len({(c.customer_id, c.idempotency_key) for c in tried})
    paid = [o for o in s.orders.values() if o.status == OrderStatus.PLACED]
    # A pending order holds its reservation (no payment, no postings) until it is settled.
    live = paid + [o for o in s.orders.values() if o.status == OrderStatus.PENDING_PAYMENT]
    for key, p in s.inventory.items():
        assert 0 <= p.reserved <= p.on_hand == start[key]
        ordered = sum(
            sl.quantity
            for o in live
            for sh in o.shipments
            if sh.origin == key[0]
            for sl in sh.lines
            if sl.sku == key[1]
        )
        assert p.reserved == ordered  # every reserved unit backs exactly one ordered unit
    assert (
        s.offers["O3"].fbm_quantity
        + sum(ln.quantity for o in live for ln in o.lines if ln.offer_id == "O3")
        == 5
    )
    assert sum(p.amount.amount for _, _, p in s.ledger) == 0
    refunded = sum(
        -p.amount.amount
        for _, ref, p in s.ledger
        if p.account == "psp:clearing" and p.memo.startswith("refund")
    )
    assert psp.captured_total == sum(o.total.amount for o in paid) - refunded
    # What the PSP kept is exactly what the ledger's clearing account says it holds.
    assert psp.captured_total == sum(
        p.amount.amount for _, _, p in s.ledger if p.account == "psp:clearing"
    )
