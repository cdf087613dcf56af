"""The checkout's reads on the driver cursor return what Core returns, are counted like Core's
statements, and fail with SQLAlchemy's exception types (SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import insert, literal, select
from sqlalchemy.exc import IntegrityError

from tests.integration.seed import make_shop
from tests.integration.statements import StatementCounter
from tradewind.marketplace.model import sku_for
from tradewind.platform.db import statements as st
from tradewind.platform.db import tables as t
from tradewind.platform.db.driver import execute, fetch_all


def _cases(shop):
    member = shop.customers[0]
    offers = list(shop.offers.values())
    seller_a, seller_b = shop.sellers
    skus = sorted({sku_for(seller_a, shop.products[0]), sku_for(seller_b, shop.products[0])})
    return [
        (st.CHECKOUT_CONTEXT, {"customer_id": member, "key": "no-such-key"}),
        (st.checkout_offers(len(offers)), {"site_id": shop.site, **st.in_params("o", offers)}),
        (st.lock_stock(len(skus)), st.in_params("s", skus)),
    ]


def test_fetch_all_returns_the_rows_core_returns(engine):
    shop = make_shop(engine)
    for stmt, params in _cases(shop):
        with engine.begin() as c:
            core = c.execute(stmt, params).all()
            driver = fetch_all(c, stmt, params)
        assert core, "the case must return rows to compare"
        assert [r._fields for r in driver] == [tuple(r._fields) for r in core]
        assert [tuple(r) for r in driver] == [tuple(r) for r in core]
        # Processed like Core: aware UTC datetimes, decoded JSON fee tables, Python floats.
        for d, k in zip(driver, core, strict=True):
            assert [type(v) for v in d] == [type(v) for v in k]


def test_driver_statements_are_counted_by_statement_listeners(engine):
    shop = make_shop(engine)
    with engine.begin() as c, StatementCounter(engine, include_begin=False) as counter:
        for stmt, params in _cases(shop):
            fetch_all(c, stmt, params)
    assert counter.n == 3


def test_driver_errors_are_sqlalchemy_errors_and_leave_the_connection_usable(engine):
    shop = make_shop(engine)
    with engine.connect() as c:
        c.begin()
        c.execute(
            insert(t.sites).values(
                site_id=shop.site + "x",
                country="US",
                currency="USD",
                language="en-US",
                standard_shipping_minor=0,
                referral_bps={},
                fba_fee_minor={},
            )
        )
        mark = "?" if c.dialect.positional else "%s"
        with pytest.raises(IntegrityError):
            execute(
                c,
                f"INSERT INTO sites (site_id, country, currency, language, "
                f"standard_shipping_minor, referral_bps, fba_fee_minor) "
                f"VALUES ({mark}, 'US', 'USD', 'en-US', 0, '{{}}', '{{}}')",
                (shop.site + "x",),
            )
        c.rollback()
    with engine.connect() as c:  # the pooled connection was rolled back and works
        assert fetch_all(c, *_cases(shop)[0])


def test_statements_with_values_inside_are_refused(engine):
    with engine.connect() as c, pytest.raises(ValueError, match="value inside the statement"):
        fetch_all(c, select(literal(1).label("one")), {})


# The SQLAlchemy releases whose execution internals driver.py and bulk.py were checked against
# (bind/result processors, compiled positions, listener dispatch, DBAPIError.instance). A new
# minor release fails here until the contract tests in this file and test_bulk_writes.py are
# re-run and this set is extended: the fast path never silently outlives the internals it
# copies.
VERIFIED_SQLALCHEMY = {"2.0", "2.1"}


def test_the_fast_path_runs_only_on_sqlalchemy_releases_it_was_checked_against(engine):
    """driver.py/bulk.py lean on Core internals: the installed release is a verified one and
    every internal they call still exists with the shape they use."""
    import sqlalchemy
    from sqlalchemy.exc import DBAPIError

    assert ".".join(sqlalchemy.__version__.split(".")[:2]) in VERIFIED_SQLALCHEMY
    dialect = engine.dialect
    compiled = st.lock_stock(2).compile(dialect=dialect)
    assert isinstance(compiled.string, str) and isinstance(compiled.binds, dict)
    if dialect.positional:
        assert list(compiled.positiontup) == ["s0", "s1"]
    column = t.orders.c.placed_at
    impl = column.type.dialect_impl(dialect)
    assert callable(impl.bind_processor) and callable(impl.result_processor)
    assert callable(DBAPIError.instance) and dialect.loaded_dbapi is not None
    with engine.connect() as c:
        assert hasattr(c.dispatch, "before_cursor_execute")
        assert c.connection.cursor() is not None
