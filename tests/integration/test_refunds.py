"""Refunding a cross-border parcel on SQLite and PostgreSQL: the shopper's money comes back,
the ledger balances, import charges owed to customs are released, and a retry pays nothing."""

import json
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.commands import PlaceOrder, RefundShipment
from tradewind.orders.errors import ShipmentNotFound
from tradewind.orders.model import CartLine
from tradewind.platform.cli.main import app
from tradewind.platform.db import tables as t
from tradewind.platform.settings import Settings, get_settings
from tradewind.platform.web.app import create_app
from tradewind.platform.web.pages_common import SHOPPER_COOKIE


def _balances(engine, order_id):
    le = t.ledger_entries.c
    out = defaultdict(int)
    with engine.connect() as c:
        for r in c.execute(select(le.account, le.amount_minor).where(le.reference == order_id)):
            out[r.account] += r.amount_minor
    return out


def test_refund_of_a_foreign_sellers_parcel(db_url, engine):
    shop = make_shop(engine)
    seller_a = shop.sellers[0]
    with engine.begin() as c:  # seller A ships its FBM offer from China: an import parcel
        c.execute(update(t.sellers).where(t.sellers.c.seller_id == seller_a).values(country="CN"))
        c.execute(  # sneakers (HS 6404): US duty applies, so the parcel carries import charges
            update(t.products)
            .where(t.products.c.product_id == shop.products[1])
            .values(hs_code="640411")
        )
    psp = FakePaymentGateway()
    container = bootstrap(Settings(database_url=db_url), engine=engine, psp=psp)
    lines = (CartLine(shop.offers["a1"], 1), CartLine(shop.offers["a2"], 1))
    placed = container.bus.handle(PlaceOrder(shop.customers[1], lines, "refund-1"))
    s = t.shipments.c
    with engine.connect() as c:
        parcel = c.execute(
            select(s.shipment_id).where(
                s.order_id == placed.order_id, s.origin == f"seller:{seller_a}"
            )
        ).scalar_one()
    before = _balances(engine, placed.order_id)
    charged = container.views.order(placed.order_id)["import_charges"]
    paid = psp.captured_total

    refund = container.bus.handle(RefundShipment(placed.order_id, parcel, "customs_refused"))

    after = _balances(engine, placed.order_id)
    assert sum(after.values()) == 0
    assert all(v == 0 for k, v in after.items() if k.startswith("customs:"))
    owed_to_customs = -sum(v for k, v in before.items() if k.startswith("customs:"))
    assert owed_to_customs > 0  # the parcel carried import charges (CN -> US)
    # The seller gives back the parcel's sale (items + shipping) less the referral fee it paid.
    clawed_back = after[f"seller:{seller_a}:payable"] - before[f"seller:{seller_a}:payable"]
    assert 0 < clawed_back < refund.amount.amount - owed_to_customs + 1
    assert before["psp:clearing"] - after["psp:clearing"] == refund.amount.amount > 0
    assert psp.captured_total == paid - refund.amount.amount
    # The shopper sees it: the order (API/view) and its page say what was paid back, for which
    # parcel; what was charged at checkout is still shown as charged.
    view = container.views.order(placed.order_id)
    assert view["refunded"] == {"amount": refund.amount.amount, "currency": "USD"}
    assert view["import_charges"] == charged
    assert {s["shipment_id"]: s["refunded"] for s in view["shipments"]}[parcel] == view["refunded"]
    web = TestClient(create_app(container), follow_redirects=False)
    web.cookies.set(SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    page = web.get(f"/orders/{placed.order_id}")
    assert page.status_code == 200 and 'id="refunded"' in page.text and "paid back" in page.text
    again = container.bus.handle(RefundShipment(placed.order_id, parcel, "retry"))
    assert again.replayed and _balances(engine, placed.order_id) == after
    with pytest.raises(ShipmentNotFound):
        container.bus.handle(RefundShipment(placed.order_id, "shp_nope", "x"))
    with engine.connect() as c:
        outbox = c.execute(
            select(t.outbox.c.event_type).where(t.outbox.c.event_type == "ShipmentRefunded")
        ).all()
    assert outbox


def test_cli_refunds_a_parcel_once_and_reports_bad_input(db_url, engine, monkeypatch):
    shop = make_shop(engine)
    container = bootstrap(Settings(database_url=db_url), engine=engine)
    placed = container.bus.handle(
        PlaceOrder(shop.customers[1], (CartLine(shop.offers["a2"], 1),), "refund-cli")
    )
    with engine.connect() as c:
        parcel = c.execute(
            select(t.shipments.c.shipment_id).where(t.shipments.c.order_id == placed.order_id)
        ).scalar_one()
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        args = ["orders", "refund", "--order", placed.order_id, "--reason", "lost", "--json"]
        first = CliRunner().invoke(app, [*args, "--shipment", parcel])
        again = CliRunner().invoke(app, [*args, "--shipment", parcel])
        bad = CliRunner().invoke(app, [*args, "--shipment", "shp_nope"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert one["refunded_minor"] > 0 and not one["already_refunded"]
    assert two["already_refunded"] and two["refunded_minor"] == one["refunded_minor"]
    assert bad.exit_code == 2 and "shipment_not_found" in bad.output
    assert sum(_balances(engine, placed.order_id).values()) == 0
