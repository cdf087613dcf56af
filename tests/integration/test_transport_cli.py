"""`tradewind transport plan|lanes` against a built world on SQLite and PostgreSQL."""

import json
from itertools import pairwise

import pytest
from typer.testing import CliRunner

from tradewind.platform.cli.main import app

runner = CliRunner()
PLAN = ["transport", "plan", "--from", "CNSHA", "--to", "DE-FC-001", "--ready", "2026-11-02"]


def error_of(result) -> dict:
    """The coded error a failed ``--json`` command printed on stderr."""
    assert result.exit_code == 2, result.output
    return json.loads(result.stderr)["error"]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_plan_and_lanes_on_a_built_world(fresh_db, kind):
    """A seeded world gives a deterministic sea plan to a German FC whose legs chain and
    add up; CO2 minimisation and the rail lanes are reported; bad input fails with codes."""
    fresh_db(kind)
    built = runner.invoke(app, ["world", "build", "--seed", "3", "--products", "40", "--json"])
    assert built.exit_code == 0, built.output

    first = runner.invoke(app, [*PLAN, "--kg", "500", "--by", "2026-12-20", "--json"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, [*PLAN, "--kg", "500", "--by", "2026-12-20", "--json"])
    assert again.stdout == first.stdout
    data = json.loads(first.stdout)
    legs = data["legs"]
    assert legs[0]["from"] == "CNSHA" and legs[-1]["to"] == "DE-FC-001"
    assert all(a["to"] == b["from"] and a["arrive"] <= b["depart"] for a, b in pairwise(legs))
    assert [leg["mode"] for leg in legs] == ["sea", "truck"]
    assert data["cost"]["amount"] == sum(leg["cost"]["amount"] for leg in legs)
    assert data["cost"]["currency"] == "USD" and data["cost"]["formatted"].startswith("$")
    assert data["co2_kg"] == pytest.approx(sum(leg["co2_kg"] for leg in legs), abs=0.01)
    assert data["arrival"] == legs[-1]["arrive"] <= data["deadline"] == "2026-12-20T23:59:59+00:00"

    small = [*PLAN, "--kg", "5", "--by", "2026-12-31", "--json"]
    cheap = json.loads(runner.invoke(app, small).stdout)
    green = json.loads(runner.invoke(app, [*small, "--minimise", "co2"]).stdout)
    assert "air" in {leg["mode"] for leg in cheap["legs"]}
    assert green["co2_kg"] < cheap["co2_kg"] and green["cost"]["amount"] > cheap["cost"]["amount"]

    late = error_of(runner.invoke(app, [*PLAN, "--kg", "500", "--by", "2026-11-04", "--json"]))
    assert late["code"] == "deadline_unmet"
    assert late["errors"][0]["earliest_arrival"] > "2026-11-04T23:59:59+00:00"
    unknown = runner.invoke(
        app,
        [
            "transport",
            "plan",
            "--from",
            "CNSHA",
            "--to",
            "DE-FC-01",
            "--kg",
            "5",
            "--by",
            "2026-12-20",
            "--json",
        ],
    )
    assert "DE-FC-001" in error_of(unknown)["errors"][0]["suggestions"]
    zero = runner.invoke(app, [*PLAN, "--kg", "0", "--by", "2026-12-20", "--json"])
    assert error_of(zero)["code"] == "invalid_weight"
    backwards = runner.invoke(app, [*PLAN, "--kg", "5", "--by", "2026-11-01", "--json"])
    assert error_of(backwards)["code"] == "deadline_before_ready"

    rail = json.loads(runner.invoke(app, ["transport", "lanes", "--mode", "rail", "--json"]).stdout)
    assert rail["lanes"] == 2 and set(rail["by_mode"]) == {"rail"}
    assert {(r["from"], r["to"]) for r in rail["list"]} == {("CNCKG", "DEDUI"), ("CNCTU", "DEDUI")}
    everything = json.loads(
        runner.invoke(app, ["transport", "lanes", "--limit", "0", "--json"]).stdout
    )
    assert everything["nodes"]["fc"] == 125 and everything["list"] == []
    assert set(everything["by_mode"]) == {"sea", "air", "rail", "truck"}
    assert everything["lanes"] == sum(m["lanes"] for m in everything["by_mode"].values())


def test_plan_without_a_world_is_a_coded_error(fresh_db):
    """On an empty database the planner says to build a world instead of crashing."""
    fresh_db("sqlite")
    runner.invoke(app, ["db", "upgrade"])
    r = runner.invoke(app, [*PLAN, "--kg", "5", "--by", "2026-12-20", "--json"])
    assert error_of(r)["code"] == "invalid_network"
