"""FBA inbound on SQLite and PostgreSQL: API, receiving into stock with EPCIS events,
demand history, transfer proposals and the CLI."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.fulfillment.adapters import cli as inbound_cli
from tradewind.fulfillment.adapters import inbound_tables as it
from tradewind.fulfillment.adapters import routes as inbound
from tradewind.fulfillment.adapters.inbound_repository import demand_history, transfer_report
from tradewind.fulfillment.adapters.inbound_wiring import unit_epcs, wire_inbound
from tradewind.governance.adapters.operators import add_operator
from tradewind.marketplace.model import sku_for
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app
from tradewind.tracking.vocabulary import BizStep

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def container(db_url, engine):
    c = bootstrap(Settings(database_url=db_url), engine=engine)
    wire_inbound(c)  # what bootstrap will do once wired
    return c


@pytest.fixture(scope="module")
def client(container):
    app = create_app(container)
    app.include_router(inbound.router, prefix="/api/v1")
    app.include_router(inbound.ops_router, prefix="/api/v1")
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def operator(engine):
    """An FC operator's bearer-token header (receiving and transfers are operator routes)."""
    token = add_operator(engine, f"dock-{secrets.token_hex(3)}", "Dock operator")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def shop(engine):
    return make_shop(engine, near_stock=1, far_stock=1)


def _auth(shop, who):
    return {"Authorization": f"Bearer {shop.tokens[who]}"}


def _stock(engine, sku):
    i = t.inventory_positions.c
    with engine.connect() as c:
        rows = c.execute(select(i.fc_id, i.on_hand, i.inbound).where(i.sku == sku)).all()
    return {r.fc_id: (r.on_hand, r.inbound) for r in rows}


def _create(client, shop, **extra):
    body = {
        "lines": [
            {"product_id": shop.products[0], "units": 30},
            {"product_id": shop.products[1], "units": 5},
        ],
        **extra,
    }
    return client.post(
        "/api/v1/seller/inbound/plans", json=body, headers=_auth(shop, shop.sellers[0])
    )


def test_seller_creates_lists_and_reads_only_own_plans(client, shop, engine):
    """201 with placement and priced options; inbound booked; another seller gets 404."""
    r = _create(client, shop)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["status"] == "placed" and plan["units"] == 35 and plan["site_id"] == shop.site
    assert [o["max_fcs"] for o in plan["options"]] == [1, 2, 3, 4]
    assert plan["fee_choice"]["placement_fee_cents"] == 0
    assert sum(p["units"] for p in plan["placements"]) == 35
    sku = sku_for(shop.sellers[0], shop.products[0])
    assert sum(inb for _, inb in _stock(engine, sku).values()) == 30
    listed = client.get("/api/v1/seller/inbound/plans", headers=_auth(shop, shop.sellers[0]))
    assert [p["plan_id"] for p in listed.json()["data"]] == [plan["plan_id"]]
    url = f"/api/v1/seller/inbound/plans/{plan['plan_id']}"
    assert client.get(url, headers=_auth(shop, shop.sellers[0])).json() == plan
    other = client.get(url, headers=_auth(shop, shop.sellers[1]))
    assert other.status_code == 404 and other.json()["code"] == "inbound_plan_not_found"
    assert client.get(url).status_code == 401


def test_fewer_destinations_pay_the_placement_fee(client, shop):
    """destinations=1: one FC, 0.40 USD per unit placement fee."""
    plan = _create(client, shop, destinations=1).json()
    assert len({p["fc_id"] for p in plan["placements"]}) == 1
    assert plan["fee_choice"]["max_fcs"] == 1
    assert plan["fee_choice"]["placement_fee_cents"] == 40 * 35


def test_bad_plans_are_problem_json_with_codes(client, shop):
    """Unknown product, zero units and a customer token: stable codes, nothing stored."""
    h = _auth(shop, shop.sellers[0])
    bad = client.post(
        "/api/v1/seller/inbound/plans",
        headers=h,
        json={"lines": [{"product_id": "nope", "units": 3}]},
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)
    assert bad.json()["code"] == "invalid_inbound_plan"
    assert bad.json()["errors"][0]["field"] == "lines[1].product_id"
    zero = client.post(
        "/api/v1/seller/inbound/plans",
        headers=h,
        json={"lines": [{"product_id": shop.products[0], "units": 0}]},
    )
    assert zero.json()["code"] == "validation_failed"
    cust = _create(client, shop.__class__(**{**shop.__dict__, "sellers": shop.customers}))
    assert cust.status_code == 403
    assert client.get("/api/v1/seller/inbound/plans", headers=h).json()["count"] == 0


def test_receiving_makes_stock_sellable_and_records_epcis(
    client, shop, engine, container, operator
):
    """Receive everywhere: inbound -> on_hand, status received, RECEIVE_INBOUND then STOW
    for each unit; a second receive is a 409."""
    plan = _create(client, shop, destinations=1).json()
    fc = plan["placements"][0]["fc_id"]
    url = f"/api/v1/ops/inbound/plans/{plan['plan_id']}/receive"
    r = client.post(url, json={}, headers=operator)
    assert r.status_code == 200, r.text
    assert r.json()["plan"]["status"] == "received"
    sku = sku_for(shop.sellers[0], shop.products[0])
    assert _stock(engine, sku)[fc] == (31, 0)
    with engine.connect() as c:
        gtin = c.execute(
            select(t.products.c.gtin).where(t.products.c.product_id == shop.products[0])
        ).scalar_one()
    epc = unit_epcs(gtin, plan["plan_id"], 29, 1)[0]
    steps = [e.biz_step for e in container.tracking.chain_of_custody(epc)]
    assert steps == [str(BizStep.RECEIVING), str(BizStep.STORING)]
    again = client.post(url, json={}, headers=operator)
    assert again.status_code == 409 and again.json()["code"] == "inbound_plan_wrong_state"


def test_over_and_short_receipts_are_persisted(client, shop, engine, operator):
    """33 of 30 arrive (3 over, all sellable); 2 of 5 (3 short): partially received."""
    plan = _create(client, shop, destinations=1).json()
    fc = plan["placements"][0]["fc_id"]
    counts = [
        {"product_id": shop.products[0], "units": 33},
        {"product_id": shop.products[1], "units": 2},
    ]
    r = client.post(
        f"/api/v1/ops/inbound/plans/{plan['plan_id']}/receive",
        json={"fc_id": fc, "counts": counts},
        headers=operator,
    ).json()
    assert r["plan"]["status"] == "partially_received"
    assert sorted((x["over"], x["short"]) for x in r["receipts"]) == [(0, 3), (3, 0)]
    assert _stock(engine, sku_for(shop.sellers[0], shop.products[0]))[fc] == (34, 0)
    assert _stock(engine, sku_for(shop.sellers[0], shop.products[1]))[fc] == (2, 3)
    with engine.connect() as c:
        rows = c.execute(
            select(it.inbound_receipts.c.over, it.inbound_receipts.c.short).where(
                it.inbound_receipts.c.plan_id == plan["plan_id"]
            )
        ).all()
    assert sorted(tuple(r) for r in rows) == [(0, 3), (3, 0)]


def _history(engine, shop, east_units, west_units):
    """Regions for the shop's FCs and shipped orders from each (one day apart)."""
    near, far = shop.fcs
    sku = sku_for(shop.sellers[0], shop.products[0])
    now = datetime.now(UTC)
    fc = t.fulfillment_centers.c
    with engine.begin() as c:
        c.execute(update(t.fulfillment_centers).where(fc.fc_id == near).values(region="EAST"))
        c.execute(update(t.fulfillment_centers).where(fc.fc_id == far).values(region="WEST"))
        for n, (origin, units) in enumerate(((near, east_units), (far, west_units))):
            oid, sid = f"o{n}-{shop.tag}-{secrets.token_hex(2)}", f"s{n}-{shop.tag}"
            c.execute(
                insert(t.orders),
                [
                    {
                        "order_id": oid,
                        "customer_id": shop.customers[0],
                        "site_id": shop.site,
                        "status": "placed",
                        "total_minor": 1,
                        "currency": "USD",
                        "placed_at": now - timedelta(days=n),
                        "idempotency_key": oid,
                        "request_hash": "x",
                    }
                ],
            )
            c.execute(
                insert(t.shipments),
                [{"shipment_id": sid, "order_id": oid, "origin": origin, "status": "delivered"}],
            )
            c.execute(
                insert(t.shipment_lines),
                [{"shipment_id": sid, "line_no": 1, "sku": sku, "quantity": units}],
            )
    return sku


def test_demand_history_and_transfer_proposals(client, shop, engine):
    """History by shipping-FC region feeds the forecast; the short WEST region gets a
    transfer from EAST's surplus."""
    sku = _history(engine, shop, east_units=2, west_units=20)
    with engine.connect() as c:
        hist, days = demand_history(c, shop.site)
    assert hist == {("EAST", sku): 2.0, ("WEST", sku): 20.0} and days == pytest.approx(1, 0.01)
    _create(client, shop, destinations=1)  # 30 units land in one FC
    report = transfer_report(engine, shop.site, cover_days=1)
    assert report["forecast"] == "order_history"
    moves = [p for p in report["proposals"] if p["sku"] == sku]
    assert moves and moves[0]["region"] == "WEST" and moves[0]["units"] > 0


def test_cli_plan_receive_transfers(fresh_db, monkeypatch, tmp_path):
    """plan (bad CSV: row-numbered errors, nothing applied; good CSV: a plan), receive,
    transfers, each with --json."""
    url = fresh_db("sqlite")
    upgrade(url)
    eng = make_engine(url)
    shop = make_shop(eng, near_stock=1, far_stock=1)
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"product_id,units\n{shop.products[0]},x\n,3\n")
    r = runner.invoke(
        inbound_cli.app, ["plan", "--seller", shop.sellers[0], "--file", str(bad), "--json"]
    )
    assert r.exit_code == 2
    err = json.loads(r.stderr)["error"]
    assert [e["field"] for e in err["errors"]] == ["row 2", "row 3"]
    with eng.connect() as c:
        assert c.execute(select(it.inbound_plans)).first() is None
    good = tmp_path / "plan.csv"
    good.write_text(f"product_id,units\n{shop.products[0]},12\n{shop.products[1]},3\n")
    r = runner.invoke(
        inbound_cli.app,
        ["plan", "--seller", shop.sellers[0], "--file", str(good), "--destinations", "1", "--json"],
    )
    assert r.exit_code == 0, r.output
    plan = json.loads(r.stdout)
    assert plan["units"] == 15 and plan["fee_choice"]["placement_fee_cents"] == 600
    r = runner.invoke(inbound_cli.app, ["receive", "--plan", plan["plan_id"], "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["status"] == "received"
    r = runner.invoke(inbound_cli.app, ["transfers", "--site", shop.site, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["forecast"] == "uniform"
    eng.dispose()
