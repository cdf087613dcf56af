"""The invariant checker: a clean world reports 0; each planted violation is reported; the
sweeper settles what a crashed checkout left pending."""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, insert, select, text, update

from tests.integration.seed import make_shop
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder, SweepPendingOrders
from tradewind.orders.errors import PaymentTimeout
from tradewind.orders.model import CartLine
from tradewind.orders.sweep import sweep_cutoff, sweep_pending_orders
from tradewind.platform.check import run_checks
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.clock import FixedClock
from tradewind.tracking.adapters.wiring import tracking_service
from tradewind.tracking.identifiers import Gtin, LocationKind, SsccAllocator, sgln, sgtin
from tradewind.tracking.steps import PhysicalStep, Step
from tradewind.transport.adapters import network_tables as nt

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


class CrashingPsp(FakePaymentGateway):
    """The process dies while the PSP is asked: the order stays pending payment."""

    def authorize(self, *args, **kwargs):
        raise ConnectionError("killed")


@pytest.fixture(params=["sqlite", "postgres"])
def world(request, fresh_db):
    url = fresh_db(request.param)
    upgrade(url)
    engine = make_engine(url)
    shop = make_shop(engine)
    order = _order(engine, shop, "k-1")
    yield engine, shop, order
    engine.dispose()


def _order(engine, shop, key, psp=None):
    cmd = PlaceOrder(
        shop.customers[1], (CartLine(shop.offers["a1"], 1), CartLine(shop.offers["a2"], 1)), key
    )
    return place_order(cmd, SqlUnitOfWork(engine), psp or FakePaymentGateway(), FixedClock(NOW))


def _violations(engine, now=NOW + timedelta(minutes=1)):
    report = run_checks(engine, now=now)
    return {c.name: c.examples for c in report.checks if c.violations}


@contextmanager
def _unchecked(engine):
    """A transaction with foreign keys off (to plant rows a bug could leave)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET session_replication_role = replica"))
        else:  # outside any transaction, or SQLite ignores it
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        yield conn
        conn.commit()
        if conn.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")


def test_a_clean_world_reports_no_violation(world):
    """A placed order with an FBA and an FBM line: 0 violations, the outbox counted."""
    engine, _, _ = world
    report = run_checks(engine, now=NOW)
    assert report.violations == 0, report.as_dict()
    assert report.outbox["OrderPlaced"]["total"] == 1


def test_an_unbalanced_ledger_is_reported_per_currency_and_transaction(world):
    """One stray posting unbalances its currency and its transaction."""
    engine, _, order = world
    with engine.begin() as c:
        txn = c.execute(select(t.ledger_entries.c.txn_id).limit(1)).scalar()
        c.execute(
            insert(t.ledger_entries),
            [
                {
                    "txn_id": txn,
                    "reference": order.order_id,
                    "account": "stray",
                    "amount_minor": 5,
                    "currency": "USD",
                    "created_at": NOW,
                }
            ],
        )
    found = _violations(engine)
    assert set(found) == {"ledger_balanced_per_currency", "ledger_balanced_per_txn"}
    assert found["ledger_balanced_per_txn"] == [f"{txn}:USD:+5"]


def test_reserved_units_without_an_open_order_are_reported(world):
    """A reservation no open order explains (or a missing one) is named by FC and SKU."""
    engine, _, _ = world
    i = t.inventory_positions.c
    with engine.begin() as c:
        c.execute(update(t.inventory_positions).values(reserved=i.reserved + 1))
    found = _violations(engine)
    assert set(found) == {"reserved_matches_open_orders"}


@pytest.mark.parametrize("kind", ["sqlite"])
def test_negative_stock_is_reported(kind, fresh_db):
    """Stock out of bounds (only a database without the CHECK constraint could hold it)."""
    engine = make_engine(fresh_db(kind))
    upgrade(str(engine.url))
    shop = make_shop(engine)
    with engine.begin() as c:
        c.execute(text("PRAGMA ignore_check_constraints = 1"))
        c.execute(
            update(t.offers).where(t.offers.c.offer_id == shop.offers["a2"]).values(fbm_quantity=-1)
        )
    assert set(_violations(engine)) == {"stock_bounds"}


def test_a_shipment_status_behind_its_tracking_is_reported(world):
    """The package was packed (an EPCIS event) but the shipment still says created."""
    engine, _, order = world
    package = SsccAllocator(start=77).next()
    with engine.begin() as c:
        sid, fc = c.execute(
            select(t.shipments.c.shipment_id, t.shipments.c.origin).where(
                t.shipments.c.order_id == order.order_id, ~t.shipments.c.origin.like("seller:%")
            )
        ).one()
        c.execute(
            update(t.shipments).where(t.shipments.c.shipment_id == sid).values(package_epc=package)
        )
        gtin = c.execute(select(t.products.c.gtin).limit(1)).scalar()
    unit = sgtin(Gtin.from_gtin14(gtin.zfill(14), 7), "U1")
    tracking_service(engine, clock=FixedClock(NOW)).record(
        [
            PhysicalStep(
                step=Step.PACK,
                at=NOW,
                location=sgln(LocationKind.FULFILLMENT_CENTER, fc),
                epcs=(unit,),
                parent=package,
                order_id=order.order_id,
            )
        ]
    )
    found = _violations(engine)
    assert found["shipment_status_matches_tracking"] == [f"{sid}:created after packing"]
    with engine.begin() as c:  # packed: its units left the FC, nothing reserved for it
        c.execute(
            update(t.shipments).where(t.shipments.c.shipment_id == sid).values(status="packed")
        )
        c.execute(update(t.inventory_positions).values(reserved=0))
    assert _violations(engine) == {}


def test_orphan_rows_are_reported(world):
    """Lines, shipments and ledger rows of no order; an order event about no order."""
    engine, _, _ = world
    with _unchecked(engine) as c:
        c.execute(
            insert(t.shipments),
            [
                {
                    "shipment_id": "shp_orphan",
                    "order_id": "ord_gone",
                    "origin": "x",
                    "status": "created",
                }
            ],
        )
        c.execute(
            insert(t.ledger_entries),
            [
                {
                    "txn_id": "txn_o",
                    "reference": "ord_gone",
                    "account": a,
                    "amount_minor": m,
                    "currency": "USD",
                    "created_at": NOW,
                }
                for a, m in (("a", 3), ("b", -3))
            ],
        )
        c.execute(
            insert(t.outbox),
            [{"event_type": "OrderPlaced", "payload": {"order_id": "ord_gone"}, "created_at": NOW}],
        )
        row = c.execute(select(t.order_lines).limit(1)).one()._asdict()
        c.execute(insert(t.order_lines), [row | {"order_id": "ord_gone"}])
    found = _violations(engine)
    assert found["orphan_shipments"] == ["shp_orphan"]
    assert found["orphan_order_lines"] == ["ord_gone#1"]
    assert [e.split("->")[1] for e in found["orphan_ledger_entries"]] == ["ord_gone", "ord_gone"]
    assert found["orphan_outbox_events"][0].endswith("OrderPlaced->ord_gone")


def test_a_half_written_order_is_reported(world):
    """Shipment lines lost and the ledger postings of a placed order gone."""
    engine, _, order = world
    with engine.begin() as c:
        c.execute(delete(t.ledger_entries).where(t.ledger_entries.c.reference == order.order_id))
        sids = select(t.shipments.c.shipment_id).where(t.shipments.c.order_id == order.order_id)
        c.execute(delete(t.shipment_lines).where(t.shipment_lines.c.shipment_id.in_(sids)))
    found = _violations(engine)
    assert found["confirmed_orders_booked"] == [
        f"{order.order_id}:placed,postings=False,OrderPlaced=1"
    ]
    assert found["incomplete_orders"][0].startswith(f"{order.order_id}:shipped {{}}")


def test_a_crashed_checkout_is_stale_then_swept_and_a_retry_fails_cleanly(world):
    """Killed while the PSP answered: pending past the timeout is a violation; the sweeper
    releases its stock; the retry with its key gets payment_timeout, never a second order."""
    engine, shop, _ = world
    with pytest.raises(ConnectionError):
        _order(engine, shop, "k-crash", psp=CrashingPsp())
    assert _violations(engine) == {}  # pending, but not for long yet
    later = NOW + timedelta(minutes=20)
    assert list(_violations(engine, later)) == ["stale_pending_orders"]
    released = sweep_pending_orders(SweepPendingOrders(sweep_cutoff(later)), SqlUnitOfWork(engine))
    assert len(released) == 1
    assert _violations(engine, later) == {}
    with pytest.raises(PaymentTimeout):
        _order(engine, shop, "k-crash")
    with engine.connect() as c:
        kinds = c.execute(select(t.outbox.c.event_type)).scalars().all()
        keys = c.execute(select(t.orders.c.idempotency_key)).scalars().all()
    assert "PendingOrderReleased" in kinds and sorted(keys) == ["k-1", "k-crash"]


def test_a_killed_simulation_run_is_reported(world):
    """A run still marked running whose process is gone strands its parcels."""
    engine, _, _ = world
    with engine.begin() as c:
        c.execute(
            insert(nt.simulation_runs),
            [
                {
                    "run_id": "simdead",
                    "seed": 0,
                    "params": {},
                    "sim_start": NOW,
                    "sim_end": NOW,
                    "real_seconds": 0.0,
                    "kpis": {
                        "status": "running",
                        "host": socket.gethostname(),
                        "pid": 2**22 + os.getpid(),  # above pid_max: never alive
                        "heartbeat": datetime.now(UTC).isoformat(),
                    },
                }
            ],
        )
    assert _violations(engine) == {"interrupted_simulation_runs": ["simdead"]}
