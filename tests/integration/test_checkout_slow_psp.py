"""No row lock and no transaction is held while the PSP answers (SQLite and PostgreSQL)."""

import threading
import time

import pytest
from sqlalchemy import func, select

from tests.integration.seed import make_shop
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.model import CartLine
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.clock import SystemClock

PSP_DELAY_S = 2.0
SLOW_BUYERS = 8


class SlowPsp(FakePaymentGateway):
    """A PSP that takes PSP_DELAY_S to answer and says when the first call came in."""

    def __init__(self) -> None:
        super().__init__(latency_s=PSP_DELAY_S)
        self.asked = threading.Event()

    def authorize(self, amount, *, idempotency_key, method):
        self.asked.set()
        return super().authorize(amount, idempotency_key=idempotency_key, method=method)


def test_checkouts_waiting_on_a_slow_psp_do_not_block_another_buyer_of_the_sku(engine):
    """8 checkouts of one SKU wait 2 s on the PSP; another buyer of the same SKU is served in
    well under that (it used to queue behind the locked stock rows)."""
    shop = make_shop(engine, near_stock=40, far_stock=0)
    offer, slow = shop.offers["a1"], SlowPsp()

    def buy(i: int) -> None:
        cmd = PlaceOrder(shop.customers[1], (CartLine(offer, 1),), f"slow-{i}")
        place_order(cmd, SqlUnitOfWork(engine), slow, SystemClock())

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(SLOW_BUYERS)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    assert slow.asked.wait(10)
    time.sleep(0.2)  # let the others reserve and reach the PSP too
    cmd = PlaceOrder(shop.customers[0], (CartLine(offer, 1),), "fast")
    t0 = time.perf_counter()
    place_order(cmd, SqlUnitOfWork(engine), FakePaymentGateway(), SystemClock())
    other_buyer_s = time.perf_counter() - t0
    for th in threads:
        th.join()
    assert other_buyer_s < PSP_DELAY_S / 4, other_buyer_s
    assert time.perf_counter() - started < PSP_DELAY_S * 2  # the slow ones ran side by side
    i = t.inventory_positions.c
    with engine.connect() as c:
        reserved = c.execute(
            select(i.reserved).where(i.sku == f"{shop.products[0]}.{shop.sellers[0]}")
        ).scalar()
        placed = c.execute(
            select(func.count())
            .select_from(t.orders)
            .where(t.orders.c.site_id == shop.site, t.orders.c.status == "placed")
        ).scalar()
    assert (reserved, placed) == (SLOW_BUYERS + 1, SLOW_BUYERS + 1)


class Crashed(Exception):
    pass


class CrashingPsp(FakePaymentGateway):
    def authorize(self, *a, **k):
        raise Crashed


@pytest.mark.parametrize("then", ["card", "card_decline"])
def test_a_retry_after_a_crash_between_reserve_and_settle_settles_the_same_order(engine, then):
    """The first attempt dies after reserving; the retry with the key places that order (or
    releases it cleanly when payment then fails): one order row, stock counted once."""
    shop = make_shop(engine)
    sku = f"{shop.products[0]}.{shop.sellers[0]}"
    cmd = PlaceOrder(shop.customers[0], (CartLine(shop.offers["a1"], 2),), "crash", then)
    with pytest.raises(Crashed):
        place_order(cmd, SqlUnitOfWork(engine), CrashingPsp(test_methods=True), SystemClock())
    psp = FakePaymentGateway(test_methods=True)
    if then == "card":
        result = place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
        assert result.replayed and len(psp.authorized) == 1
    else:
        with pytest.raises(Exception, match="declined"):
            place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
    o, i, le = t.orders.c, t.inventory_positions.c, t.ledger_entries.c
    with engine.connect() as c:
        rows = c.execute(select(o.order_id, o.status).where(o.customer_id == shop.customers[0]))
        [(order_id, status)] = rows.all()
        reserved = c.execute(select(func.sum(i.reserved)).where(i.sku == sku)).scalar()
        ledger = c.execute(
            select(func.count(), func.coalesce(func.sum(le.amount_minor), 0)).where(
                le.reference == order_id
            )
        ).one()
    if then == "card":
        assert (status, reserved) == ("placed", 2) and ledger[0] > 0 and ledger[1] == 0
    else:
        assert (status, reserved, ledger[0]) == ("payment_failed", 0, 0)
