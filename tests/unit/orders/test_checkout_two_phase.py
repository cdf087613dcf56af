"""Checkout reserves, commits, asks the PSP with no transaction open, then settles once."""

import contextlib

import pytest

from tests.unit.factories import clock, small_world
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.model import CartLine, OrderStatus
from tradewind.shared.errors import TradewindError


def cmd(method="card", key="k1", lines=(("O1", 2),)):
    return PlaceOrder("C1", tuple(CartLine(o, q) for o, q in lines), key, method)


def available(uow, fc="NYC", sku="P1.S1"):
    p = uow.committed.inventory[(fc, sku)]
    return p.on_hand - p.reserved


class Crashed(Exception):
    pass


class CrashingPsp(FakePaymentGateway):
    """The process dies while the PSP is being asked."""

    def authorize(self, *a, **k):
        raise Crashed


class WatchingPsp(FakePaymentGateway):
    """Records whether a transaction was open (the fake UoW's working copy) when asked."""

    def __init__(self, uow, **kw):
        super().__init__(**kw)
        self.uow, self.open_during_call = uow, []

    def authorize(self, amount, *, idempotency_key, method):
        self.open_during_call.append(self.uow.working is not None)
        return super().authorize(amount, idempotency_key=idempotency_key, method=method)


@pytest.mark.parametrize("method", ["card", "card_decline", "card_timeout"])
def test_the_psp_is_asked_with_no_transaction_open(method):
    """Stock is reserved and committed before the PSP call, settled after it."""
    uow = small_world()
    psp = WatchingPsp(uow, timeout_s=0.0, test_methods=True)
    with contextlib.suppress(TradewindError):
        place_order(cmd(method), uow, psp, clock())
    assert psp.open_during_call == [False]
    assert uow.commits == 2  # reserve, then confirm or release


def test_a_retry_after_a_crash_between_the_two_transactions_places_the_same_order():
    """The crashed attempt left a pending order holding stock; the retry pays and confirms it
    (one order, one authorisation, balanced ledger), and a further retry replays it."""
    uow = small_world()
    with pytest.raises(Crashed):
        place_order(cmd(), uow, CrashingPsp(), clock())
    [pending] = uow.committed.orders.values()
    assert pending.status == OrderStatus.PENDING_PAYMENT and available(uow) == 1
    assert not uow.committed.ledger and not uow.committed.outbox
    psp = FakePaymentGateway()
    again = place_order(cmd(), uow, psp, clock())
    assert again.order_id == pending.order_id and again.replayed
    order = uow.committed.orders[pending.order_id]
    assert order.status == OrderStatus.PLACED and order.payment_ref in psp.authorized
    assert available(uow) == 1 and len(uow.committed.orders) == 1
    assert sum(p.amount.amount for _, _, p in uow.committed.ledger) == 0
    assert (
        psp.captured_total
        == order.total.amount
        == sum(p.amount.amount for _, _, p in uow.committed.ledger if p.account == "psp:clearing")
    )
    assert [e.name for e in uow.committed.outbox] == ["OrderPlaced"]
    assert place_order(cmd(), uow, psp, clock()).order_id == order.order_id
    assert len(psp.authorized) == 1 and len(uow.committed.ledger) == len(order_ledger(uow))


def order_ledger(uow):
    return [p for _, _, p in uow.committed.ledger]


def test_a_retry_after_a_crash_whose_payment_then_fails_releases_cleanly():
    """Crash, then the retry is declined: stock back, payment_failed, no second order."""
    uow = small_world()
    with pytest.raises(Crashed):
        place_order(cmd(), uow, CrashingPsp(), clock())
    with pytest.raises(TradewindError) as info:
        place_order(cmd(), uow, FakePaymentGateway(mode="card_decline"), clock())
    assert info.value.code == "payment_declined"
    [order] = uow.committed.orders.values()
    assert order.status == OrderStatus.PAYMENT_FAILED and available(uow) == 3


@pytest.mark.parametrize(
    "method,code", [("card_decline", "payment_declined"), ("card_timeout", "payment_timeout")]
)
def test_a_retry_of_a_failed_payment_answers_the_same_failure(method, code):
    """The same key after a failed payment: the same code, nothing reserved, no new order."""
    uow, psp = small_world(), FakePaymentGateway(timeout_s=0.0, test_methods=True)
    for _ in range(2):
        with pytest.raises(TradewindError) as info:
            place_order(cmd(method), uow, psp, clock())
        assert info.value.code == code
    assert len(uow.committed.orders) == 1 and available(uow) == 3
    assert not psp.authorized and not uow.committed.ledger


@pytest.mark.parametrize("method", ["card_decline", "card_timeout", "card_ok", "x" * 1_000_000])
def test_a_serving_psp_takes_only_the_shoppers_methods_and_echoes_nothing(method):
    """The PSP that serving builds refuses test behaviours and unknown methods before anything
    is reserved, without repeating the input."""
    uow, psp = small_world(), FakePaymentGateway()
    with pytest.raises(TradewindError) as info:
        place_order(cmd(method), uow, psp, clock())
    assert info.value.code == "invalid_payment_method"
    assert method not in str(info.value) and method not in repr(info.value.errors)
    assert not uow.committed.orders and available(uow) == 3 and uow.commits == 0
