import pytest
from sqlalchemy import func, select

from tests.integration.seed import make_shop
from tests.integration.statements import StatementCounter
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import CancelOrder, PlaceOrder
from tradewind.orders.model import CartLine
from tradewind.orders.services import cancel_order
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.clock import SystemClock
from tradewind.shared.errors import TradewindError

STATEMENT_BUDGET = 15
# Exactly what the two-phase checkout sends for the budget cart: 12 on PostgreSQL before it
# (one transaction), 13 now (the conditional UPDATE that settles the order); SQLite also
# counts each transaction's BEGIN IMMEDIATE (13 -> 15).
EXACT = {"postgresql": 13, "sqlite": 15}


def stock(engine, fc, sku):
    i = t.inventory_positions.c
    with engine.connect() as c:
        r = c.execute(select(i.on_hand, i.reserved).where(i.fc_id == fc, i.sku == sku)).one()
    return r.on_hand - r.reserved


def count(engine, table, **where):
    q = select(func.count()).select_from(table)
    for k, v in where.items():
        q = q.where(table.c[k] == v)
    with engine.connect() as c:
        return c.execute(q).scalar()


def test_checkout_stays_within_its_sql_budget_and_splits_across_fcs(engine):
    """A 2-line order with a split and an FBM line: 13 statements (15 with SQLite's two
    BEGINs), stock reserved, the order placed."""
    shop = make_shop(engine)
    cmd = PlaceOrder(
        shop.customers[1], (CartLine(shop.offers["a1"], 5), CartLine(shop.offers["a2"], 1)), "k1"
    )
    with StatementCounter(engine) as counter:
        result = place_order(cmd, SqlUnitOfWork(engine), FakePaymentGateway(), SystemClock())
    assert counter.n <= STATEMENT_BUDGET, counter.n
    assert counter.n == EXACT[engine.dialect.name], counter.n
    assert count(engine, t.orders, order_id=result.order_id, status="placed") == 1
    sku = f"{shop.products[0]}.{shop.sellers[0]}"
    assert stock(engine, shop.fcs[0], sku) == 0 and stock(engine, shop.fcs[1], sku) == 8
    assert count(engine, t.shipments, order_id=result.order_id) == 3  # near, far, seller
    with engine.connect() as c:
        total = c.execute(
            select(func.sum(t.ledger_entries.c.amount_minor)).where(
                t.ledger_entries.c.reference == result.order_id
            )
        ).scalar()
    assert total == 0


def test_retry_returns_the_same_order_and_cancel_releases(engine):
    """Idempotent by key on the real database; cancel gives the units back."""
    shop = make_shop(engine)
    psp = FakePaymentGateway()
    cmd = PlaceOrder(shop.customers[0], (CartLine(shop.offers["a1"], 2),), "same-key")
    first = place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
    again = place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
    assert again.order_id == first.order_id and again.replayed
    assert count(engine, t.orders, customer_id=shop.customers[0]) == 1
    sku = f"{shop.products[0]}.{shop.sellers[0]}"
    assert stock(engine, shop.fcs[0], sku) == 1
    cancel_order(CancelOrder(first.order_id, "test"), SqlUnitOfWork(engine), psp)
    assert stock(engine, shop.fcs[0], sku) == 3
    with engine.connect() as c:
        seller_net = c.execute(
            select(func.sum(t.ledger_entries.c.amount_minor)).where(
                t.ledger_entries.c.account == f"seller:{shop.sellers[0]}:payable"
            )
        ).scalar()
    assert seller_net == 0


@pytest.mark.parametrize("method", ["card_decline", "card_timeout"])
def test_failed_payment_releases_the_stock_and_books_nothing(engine, method):
    """After a decline or a PSP time-out: no ledger or outbox rows, the reservation released,
    the order kept as payment_failed; a retry with the key answers the same failure."""
    shop = make_shop(engine)
    before = (count(engine, t.ledger_entries), count(engine, t.outbox))
    cmd = PlaceOrder(shop.customers[0], (CartLine(shop.offers["a1"], 1),), "k", method)
    psp = FakePaymentGateway(timeout_s=0.01, test_methods=True)
    codes = []
    for _ in range(2):
        with pytest.raises(TradewindError) as info:
            place_order(cmd, SqlUnitOfWork(engine), psp, SystemClock())
        codes.append(info.value.code)
    assert (
        codes[0] == codes[1] == method.replace("card_", "payment_").replace("decline", "declined")
    )
    assert (count(engine, t.ledger_entries), count(engine, t.outbox)) == before
    assert count(engine, t.orders, customer_id=shop.customers[0]) == 1
    assert count(engine, t.orders, customer_id=shop.customers[0], status="payment_failed") == 1
    assert stock(engine, shop.fcs[0], f"{shop.products[0]}.{shop.sellers[0]}") == 3


def test_checkout_with_the_lp_sourcing_policy_keeps_the_budget_and_invariants(engine):
    """TRADEWIND_SOURCING=lp: the HiGHS policy sources inside the same transaction, within
    the same statement budget, never reserving more than is on hand."""
    from tradewind.bootstrap import sourcing_policy
    from tradewind.platform.settings import Settings

    shop = make_shop(engine)
    policy = sourcing_policy(Settings(sourcing="lp"))
    cmd = PlaceOrder(shop.customers[1], (CartLine(shop.offers["a1"], 5),), "lp-1")
    with StatementCounter(engine) as counter:
        place_order(cmd, SqlUnitOfWork(engine), FakePaymentGateway(), SystemClock(), policy)
    assert counter.n <= STATEMENT_BUDGET
    sku = f"{shop.products[0]}.{shop.sellers[0]}"
    assert stock(engine, shop.fcs[0], sku) + stock(engine, shop.fcs[1], sku) == 13 - 5
    assert stock(engine, shop.fcs[0], sku) >= 0 and stock(engine, shop.fcs[1], sku) >= 0
    assert policy.last_result is not None and policy.last_result.fallback_reason is None
