"""The living world end to end: build, simulate through the real services, trace orders."""

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tradewind.adapters.cli.main import app
from tradewind.adapters.cli.simulate import run_simulation
from tradewind.adapters.cli.world import build_into
from tradewind.adapters.db import tables as t
from tradewind.adapters.db.engine import make_engine
from tradewind.simulation.world import WorldParams

KPI_KEYS = {
    "orders",
    "units",
    "gmv_usd",
    "shipments",
    "delivered",
    "on_time_rate",
    "split_rate",
    "fulfillment_cost_share",
    "cost_per_order_usd",
    "share_3p_gmv",
    "share_fba_units_3p",
}


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_simulated_orders_flow_to_delivery_with_a_full_chain_of_custody(fresh_db, kind):
    """A few simulated hours: every order is delivered (drained), books balance, stock never
    oversold, and `track` returns each order's EPCIS events in time order."""
    url = fresh_db(kind)
    build_into(
        url,
        WorldParams(11, products=80, customers=300, third_party_sellers=20),
        show_progress=False,
    )
    report = run_simulation({"seed": 1, "days": 0.1, "orders_per_day": 600}, progress=False)
    assert set(report) >= KPI_KEYS
    assert report["orders"] > 5 and report["delivered"] == report["shipments"]
    assert 0 <= report["on_time_rate"] <= 1 and 0 < report["fulfillment_cost_share"] < 1
    assert report["share_3p_gmv"] > 0.5
    engine = make_engine(url)
    i = t.inventory_positions.c
    with engine.connect() as c:
        assert c.execute(select(func.sum(t.ledger_entries.c.amount_minor))).scalar() == 0
        assert (
            c.execute(
                select(func.count())
                .select_from(t.inventory_positions)
                .where((i.on_hand < 0) | (i.reserved > i.on_hand) | (i.reserved < 0))
            ).scalar()
            == 0
        )
        assert c.execute(select(func.sum(i.reserved))).scalar() == 0  # all shipped
        order_id = c.execute(select(t.orders.c.order_id).order_by(t.orders.c.order_id)).scalar()
    out = CliRunner().invoke(app, ["track", order_id, "--json"])
    assert out.exit_code == 0, out.output
    events = json.loads(out.stdout)["events"]
    times = [e["eventTime"] for e in events]
    assert times == sorted(times) and len(events) >= 3
    assert events[-1]["bizStep"].endswith(("accepting", "receiving"))
    assert all(e["eventID"].startswith("ni:///sha-256;") for e in events)
