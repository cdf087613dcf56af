"""The living world end to end: build, simulate through the real services, trace orders."""

import json
import re

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tradewind.platform.cli.main import app
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.simulation.adapters.cli import run_simulation
from tradewind.simulation.adapters.world_cli import build_into
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


# Reference figures of world seed 11 (80 products, 300 customers, 20 sellers), simulation seed 1,
# 0.1 days at 600 orders/day: identical on SQLite and PostgreSQL (measured on both). Counts
# and count ratios are exact; figures converted to USD (FX tables) or priced from the solver's
# routes get a tolerance. A deliberate change of the model re-pins them, with the reason in
# the commit.
REFERENCE_COUNTS = {"orders": 73, "units": 113, "shipments": 96, "delivered": 96}
REFERENCE_RATIOS = {"on_time_rate": 0.9583, "split_rate": 0.2603}  # rounded to 4 places
REFERENCE_CUSTOMS = {"declared": 5, "cleared": 5, "refused": 0, "held": 0}
REFERENCE_LAST_MILE = {"station_days": 42, "routes": 42, "stops": 50, "parcels": 87}
REFERENCE_USD = {  # (value, relative tolerance)
    "gmv_usd": (4904.44, 0.01),
    "fulfillment_cost_share": (0.1172, 0.02),
    "cost_per_order_usd": (7.87, 0.02),
    "share_3p_gmv": (0.8742, 0.01),
}


def _assert_reference_figures(report):
    """The pinned figures of the small fixed seed, so a regression fails here."""
    assert {k: report[k] for k in REFERENCE_COUNTS} == REFERENCE_COUNTS
    for key, value in REFERENCE_RATIOS.items():
        assert report[key] == pytest.approx(value, abs=1e-4), key
    assert {k: report["customs"][k] for k in REFERENCE_CUSTOMS} == REFERENCE_CUSTOMS
    assert {k: report["last_mile"][k] for k in REFERENCE_LAST_MILE} == REFERENCE_LAST_MILE
    for key, (value, rel) in REFERENCE_USD.items():
        assert report[key] == pytest.approx(value, rel=rel), key


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
    _assert_reference_figures(report)
    customs = report["customs"]  # parcels refused at the border are the only ones not delivered
    assert report["delivered"] + customs["refused"] == report["shipments"]
    assert (
        customs["declared"] >= 1 and customs["cleared"] + customs["refused"] == customs["declared"]
    )
    last_mile = report["last_mile"]  # vans priced from routes, every one checked feasible
    assert last_mile["infeasible_solutions"] == 0 and last_mile["fallback_station_days"] == 0
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


def _steps(order_id):
    out = CliRunner().invoke(app, ["track", order_id, "--json"])
    assert out.exit_code == 0, out.output
    events = json.loads(out.stdout)["events"]
    return [re.split("[:/]", e["bizStep"])[-1].removeprefix("BizStep-") for e in events]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_cross_border_parcels_clear_customs_at_the_gateway_and_track_shows_it(fresh_db, kind):
    """A foreign seller's parcel is declared at the destination's air gateway and cleared (or
    refused) there before its last mile; `track` lists the customs steps in order."""
    url = fresh_db(kind)
    build_into(
        url,
        WorldParams(11, products=80, customers=300, third_party_sellers=20),
        show_progress=False,
    )
    report = run_simulation({"seed": 2, "days": 0.2, "orders_per_day": 600}, progress=False)
    assert report["customs"]["declared"] >= 1
    s, sl, ol, sel, cu = (
        t.shipments.c, t.shipment_lines.c, t.order_lines.c, t.sellers.c, t.customers.c
    )  # fmt: skip
    one_parcel = (  # orders of a single shipment: their events are that parcel's alone
        select(s.order_id).group_by(s.order_id).having(func.count() == 1).scalar_subquery()
    )
    with make_engine(url).connect() as c:
        crossing = c.execute(
            select(s.order_id, s.shipment_id, s.status)
            .join(t.shipment_lines, sl.shipment_id == s.shipment_id)
            .join(t.order_lines, (ol.order_id == s.order_id) & (ol.line_no == sl.line_no))
            .join(t.sellers, sel.seller_id == ol.seller_id)
            .join(t.orders, t.orders.c.order_id == s.order_id)
            .join(t.customers, cu.customer_id == t.orders.c.customer_id)
            .where(
                s.origin.like("seller:%"),
                sel.country != cu.site_id,
                s.order_id.in_(one_parcel),
            )
            .order_by(s.order_id)
        ).first()
    assert crossing is not None
    steps = _steps(crossing.order_id)
    assert "customs_declaring" in steps
    declared = steps.index("customs_declaring")
    assert steps[declared - 1] == "arriving"  # declared on arrival at the gateway
    assert steps[-1] in ("accepting", "customs_refusing", "receiving")
    assert "customs_releasing" in steps or "customs_refusing" in steps
    # The platform's declaration of that parcel, rebuilt from the order, with its risk score.
    out = CliRunner().invoke(
        app, ["customs", "declaration", "--shipment", crossing.shipment_id, "--json"]
    )
    assert out.exit_code == 0, out.output
    decl = json.loads(out.stdout)
    assert decl["declaration"]["kind"] in ("CN23", "H7")
    assert decl["declaration"]["reference"] == crossing.shipment_id
    assert decl["declaration"]["items"] and decl["risk"]["recommendation"] in (
        "release",
        "inspect",
        "refuse",
    )
    if decl["declaration"]["kind"] == "H7":  # EU, <= EUR 150: VAT collected at sale (IOSS)
        assert decl["declaration"]["ioss_number"].startswith("IM")
