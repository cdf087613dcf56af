"""Inbound line-haul on a built world (SQLite and PostgreSQL): a Shanghai seller's plan into
Germany sails from CNSHA, arrives by the promise over contiguous legs, and its containers
are recorded as EPCIS aggregation events that validate against GS1's schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from typer.testing import CliRunner

from tradewind.fulfillment.adapters.linehaul_planner import shipment_epc
from tradewind.platform.cli.main import app
from tradewind.platform.db.engine import make_engine
from tradewind.tracking.adapters.schema_validation import JsonSchemaEpcisValidator
from tradewind.tracking.adapters.wiring import tracking_service
from tradewind.tracking.model import Action, AggregationEvent

runner = CliRunner()
SELLER = "sel-00001"  # a CN seller (Shanghai) with DE offers in the seed-3 world


def _ok(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_inbound_plan_gets_linehaul_and_epcis_aggregations(fresh_db, kind, tmp_path):
    """Legs chain from CNSHA to the destination FC before the promise; 35 t is split into
    container-sized shipments sharing one vessel; every unit is LOADed and UNLOADed."""
    url = fresh_db(kind)
    _ok(["world", "build", "--seed", "3", "--products", "40", "--json"])
    csv = tmp_path / "plan.csv"
    csv.write_text("product_id,units\nprd-0000028,20000\nprd-0000033,15000\n")
    by = (datetime.now(UTC) + timedelta(days=40)).date().isoformat()
    create = ["inbound", "plan", "--seller", SELLER, "--site", "DE", "--file", str(csv)]
    plan = _ok([*create, "--by", by, "--json"])
    lh = plan["linehaul"]
    assert lh["origin"] == "CNSHA" and lh["all_planned"] and lh["minimise"] == "cost"
    assert lh["arrive_by"] == f"{by}T23:59:59+00:00"
    fcs = {p["fc_id"] for p in plan["placements"]}
    assert {s["to"] for s in lh["shipments"]} == fcs
    assert len(lh["shipments"]) >= 2 and all(s["kg"] <= 20_000 for s in lh["shipments"])
    for s in lh["shipments"]:
        legs = s["legs"]
        assert legs[0]["from"] == "CNSHA" and legs[0]["mode"] == "sea"
        assert legs[-1]["to"] == s["to"] and s["arrival"] == legs[-1]["arrive"] <= lh["arrive_by"]
        assert legs[0]["depart"] >= lh["ready"]
        assert all(a["to"] == b["from"] and a["arrive"] <= b["depart"] for a, b in pairwise(legs))
        assert s["cost_cents"] == sum(leg["cost_cents"] for leg in legs) > 0
    sea = [c for c in lh["containers"] if c["mode"] == "sea"]
    assert len({c["depart"] for c in sea}) == 1  # every shipment boards the same vessel
    assert sorted(x for c in sea for x in c["shipments"]) == sorted(
        s["shipment_id"] for s in lh["shipments"]
    )

    engine = make_engine(url)
    try:
        tracking = tracking_service(engine)
        first = lh["shipments"][0]
        chain = tracking.chain_of_custody(shipment_epc(first["shipment_id"]))
        assert len(chain) == 2 * len(first["legs"])
        assert all(isinstance(e, AggregationEvent) for e in chain)
        assert [e.action for e in chain] == [Action.ADD, Action.DELETE] * len(first["legs"])
        assert chain[0].event_time.isoformat() == first["legs"][0]["depart"]
        JsonSchemaEpcisValidator().validate(tracking.document(chain))
    finally:
        engine.dispose()

    again = _ok(["inbound", "linehaul", "--plan", plan["plan_id"], "--by", by, "--json"])
    assert again["linehaul"] == lh  # re-planned from the creation time: the same answer
    tight = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    late = _ok(["inbound", "linehaul", "--plan", plan["plan_id"], "--by", tight, "--json"])
    miss = late["linehaul"]["shipments"][0]
    assert miss["status"] == "no_path" and miss["no_path"]["code"] == "deadline_unmet"
    assert miss["no_path"]["earliest_arrival"] > late["linehaul"]["arrive_by"]

    transfers = _ok(["inbound", "transfers", "--site", "GB", "--json"])
    moves = [p for p in transfers["proposals"] if p["kind"] == "transfer"]
    assert moves and all(p["linehaul"]["to"] == p["to_fc"] for p in moves)
    planned = [p["linehaul"] for p in moves if p["linehaul"]["status"] == "planned"]
    assert planned and all({leg["mode"] for leg in x["legs"]} == {"truck"} for x in planned)
