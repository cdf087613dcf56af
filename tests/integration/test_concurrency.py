import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.integration.seed import make_shop
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.model import CartLine
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.clock import SystemClock
from tradewind.shared.errors import TradewindError

SHOPPERS = 200
UNITS_LEFT = 10


def run_concurrently(n, fn):
    barrier = threading.Barrier(n)

    def go(i):
        barrier.wait()
        try:
            return fn(i)
        except TradewindError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(go, range(n)))


def test_200_concurrent_checkouts_for_10_units_make_exactly_10_orders(engine):
    """No oversell under contention: 10 units, 200 buyers -> 10 orders, 190 refusals."""
    shop = make_shop(engine, near_stock=UNITS_LEFT, far_stock=0)
    psp = FakePaymentGateway()
    offer = shop.offers["a1"]

    def buy(i):
        cmd = PlaceOrder(shop.customers[i % 2], (CartLine(offer, 1),), f"hot-{i}")
        return place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())

    results = run_concurrently(SHOPPERS, buy)
    ok = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, TradewindError)]
    assert len(ok) == UNITS_LEFT
    assert len(refused) == SHOPPERS - UNITS_LEFT
    assert {r.code for r in refused} == {"insufficient_stock"}
    i = t.inventory_positions.c
    with engine.connect() as c:
        on_hand, reserved = c.execute(
            select(i.on_hand, i.reserved).where(i.sku == f"{shop.products[0]}.{shop.sellers[0]}")
        ).one()
        orders = c.execute(
            select(func.count()).select_from(t.orders).where(t.orders.c.site_id == shop.site)
        ).scalar()
    assert (on_hand, reserved, orders) == (UNITS_LEFT, UNITS_LEFT, UNITS_LEFT)
    assert len(psp.authorized) - len(psp.voided) == UNITS_LEFT


def test_concurrent_retries_with_one_key_make_one_order(engine):
    """A double-clicked 'Place order' (20 racing retries) makes a single order."""
    shop = make_shop(engine)
    psp = FakePaymentGateway()
    cmd = PlaceOrder(shop.customers[0], (CartLine(shop.offers["a1"], 1),), "double-click")
    results = run_concurrently(
        20, lambda i: place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
    )
    assert len({r.order_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    assert len(psp.authorized) - len(psp.voided) == 1
