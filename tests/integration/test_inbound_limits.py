"""Inbound under hostile input (SQLite and PostgreSQL): operator routes need an operator
token, receipts are bounded, the transfer report's work is bounded, and a plan whose
promise or planning fails leaves no plan, placement, stock or outbox row behind."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.integration import test_inbound as base
from tests.integration.seed import make_shop
from tests.integration.test_inbound import PROBLEM, _auth, _create, _stock
from tradewind.fulfillment import inbound_linehaul
from tradewind.fulfillment.adapters import cli as inbound_cli
from tradewind.fulfillment.adapters import inbound_tables as it
from tradewind.marketplace.model import sku_for
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind.transport.linehaul import PlanningBudgetExceeded

# The app, operator and shop fixtures of the inbound API tests.
container, client, operator, shop = base.container, base.client, base.operator, base.shop


def _rows(engine):
    """Row counts of everything creating a plan writes, and the inbound units booked."""
    tables = (it.inbound_plans, it.inbound_placements, t.inventory_positions, t.outbox)
    with engine.connect() as c:
        counts = [c.execute(select(func.count()).select_from(x)).scalar_one() for x in tables]
        booked = c.execute(select(func.sum(t.inventory_positions.c.inbound))).scalar()
    return (*counts, booked)


def _problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["code"] == code
    return r.json()


def test_ops_routes_refuse_anonymous_seller_and_customer_tokens(client, shop, engine, operator):
    """Receive and transfers: 401 without a token, 403 with a seller's or customer's, and
    the refused receive changes no stock; an operator gets 200."""
    plan = _create(client, shop, destinations=1).json()
    url = f"/api/v1/ops/inbound/plans/{plan['plan_id']}/receive"
    fc = plan["placements"][0]["fc_id"]
    body = {"fc_id": fc, "counts": [{"product_id": shop.products[0], "units": 1_000_000}]}
    sku = sku_for(shop.sellers[0], shop.products[0])
    before = _stock(engine, sku)
    transfers = f"/api/v1/ops/inbound/transfers?site_id={shop.site}"
    _problem(client.post(url, json=body), 401, "unauthorized")
    _problem(client.get(transfers), 401, "unauthorized")
    for who in (shop.sellers[0], shop.customers[0]):
        _problem(client.post(url, json=body, headers=_auth(shop, who)), 403, "forbidden")
        _problem(client.get(transfers, headers=_auth(shop, who)), 403, "forbidden")
    assert _stock(engine, sku) == before
    assert client.get(transfers, headers=operator).status_code == 200
    ok = client.post(url, json={}, headers=operator)
    assert ok.status_code == 200 and ok.json()["plan"]["status"] == "received"


def test_a_receipt_cannot_mint_stock(client, shop, engine, operator):
    """1,000,000 units of a 30-unit placement: 422, nothing received; 40 (10 over) is fine."""
    plan = _create(client, shop, destinations=1).json()
    url = f"/api/v1/ops/inbound/plans/{plan['plan_id']}/receive"
    fc = plan["placements"][0]["fc_id"]
    sku = sku_for(shop.sellers[0], shop.products[0])
    before = _stock(engine, sku)

    def receive(units):
        counts = [{"product_id": shop.products[0], "units": units}]
        return client.post(url, json={"fc_id": fc, "counts": counts}, headers=operator)

    err = _problem(receive(1_000_000), 422, "invalid_inbound_plan")
    assert err["errors"][0]["max_units"] == 40
    _problem(receive(41), 422, "invalid_inbound_plan")
    assert _stock(engine, sku) == before
    ok = receive(40)
    assert ok.status_code == 200 and ok.json()["receipts"][0]["over"] == 10
    assert _stock(engine, sku)[fc] == (before[fc][0] + 40, 0)


def test_transfer_parameters_are_bounded(client, shop, operator):
    """cover_days and limit outside their ranges are 422; limit cuts the proposals."""
    base = f"/api/v1/ops/inbound/transfers?site_id={shop.site}"
    for q in ("&cover_days=1e9", "&cover_days=0", "&cover_days=nan", "&limit=5000", "&limit=0"):
        _problem(client.get(base + q, headers=operator), 422, "validation_failed")
    _problem(client.get(base + "x" * 50, headers=operator), 422, "validation_failed")
    r = client.get(base + "&limit=1", headers=operator).json()
    assert len(r["proposals"]) <= 1 and r["total_proposals"] >= len(r["proposals"])
    assert r["truncated"] == (r["total_proposals"] > 1)


@pytest.mark.parametrize(
    "arrive_by",
    [
        (datetime.now(UTC) + timedelta(days=181)).isoformat(),
        "2300-01-01T00:00:00Z",
        "9999-12-31T00:00:00",
        "9999-12-31T23:00:00-05:00",
    ],
)
def test_far_promises_are_refused_and_write_nothing(client, shop, engine, arrive_by):
    """arrive_by beyond 180 days (up to year 9999): 422 naming arrive_by; no plan,
    placement, stock or outbox row is written."""
    before = _rows(engine)
    err = _problem(_create(client, shop, arrive_by=arrive_by), 422, "invalid_inbound_plan")
    assert err["errors"][0]["field"] == "arrive_by"
    assert _rows(engine) == before


def test_a_far_preview_promise_is_refused(client, shop):
    """Re-planning a plan's line-haul (GET ?arrive_by=) is bounded the same way."""
    plan = _create(client, shop).json()
    url = f"/api/v1/seller/inbound/plans/{plan['plan_id']}?arrive_by=2300-01-01T00:00:00Z"
    err = _problem(
        client.get(url, headers=_auth(shop, shop.sellers[0])), 422, "invalid_inbound_plan"
    )
    assert err["errors"][0]["max_days"] == 180


def test_a_promise_within_the_limit_is_booked(client, shop, engine):
    """arrive_by 30 days ahead: 201; the plan and its stock are written together."""
    before = _rows(engine)
    by = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    r = _create(client, shop, arrive_by=by.isoformat())
    assert r.status_code == 201, r.text
    assert r.json()["linehaul"]["arrive_by"] == by.isoformat()
    after = _rows(engine)
    assert after[0] == before[0] + 1 and after[4] == (before[4] or 0) + 35


def test_planning_over_budget_writes_nothing(client, shop, engine, monkeypatch):
    """Line-haul planning that fails (here: its time budget) after placement: 503
    ``planning_budget_exceeded`` and nothing half-applied."""

    def over_budget(*args, **kwargs):
        raise PlanningBudgetExceeded("line-haul planning ran out of time (test)")

    monkeypatch.setattr(inbound_linehaul, "_linehaul", over_budget)
    before = _rows(engine)
    _problem(_create(client, shop), 503, "planning_budget_exceeded")
    assert _rows(engine) == before


def test_cli_plan_refuses_a_far_promise_and_writes_nothing(fresh_db, tmp_path):
    """``inbound plan --by`` a year ahead: exit 2 with the code, no plan written."""
    url = fresh_db("sqlite")
    upgrade(url)
    eng = make_engine(url)
    world = make_shop(eng, near_stock=1, far_stock=1)
    good = tmp_path / "plan.csv"
    good.write_text(f"product_id,units\n{world.products[0]},12\n")
    by = (datetime.now(UTC) + timedelta(days=365)).date().isoformat()
    before = _rows(eng)
    r = CliRunner().invoke(
        inbound_cli.app,
        ["plan", "--seller", world.sellers[0], "--file", str(good), "--by", by, "--json"],
    )
    assert r.exit_code == 2, r.output
    assert json.loads(r.stderr)["error"]["code"] == "invalid_inbound_plan"
    assert _rows(eng) == before
    eng.dispose()
