import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tradewind.platform.cli.main import app
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.taxids import stdnum_module

runner = CliRunner()


def _json(args: list[str]) -> dict:
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_scan_opens_cases_for_labelled_bad_actors_only(fresh_db, kind):
    """`world build --bad-actors 4` then `governance scan`: every kind of labelled bad actor
    gets a case, and no case names an honest seller."""
    fresh_db(kind)
    built = _json(
        ["world", "build", "--seed", "7", "--products", "60", "--bad-actors", "4", "--json"]
    )
    assert built["bad_actors"] == 4
    labels = json.loads(Path(built["bad_actors_file"]).read_text())["bad_actors"]
    bad = {a["seller_id"]: a["kind"] for a in labels}
    assert sorted(bad.values()) == ["hijacker", "hijacker", "tax_id_checksum", "tax_id_foreign"]
    report = _json(["governance", "scan", "--json"])
    assert report["opened"] > 0
    cases = _json(["governance", "cases", "--json", "--limit", "1000"])["data"]
    respondents = {c["respondent"] for c in cases}
    assert respondents <= set(bad), respondents - set(bad)  # no honest seller has a case
    assert {bad[r] for r in respondents} == set(bad.values())
    hijacked = {o for a in labels for o in a["offers"]}
    follow = {c["subject"].split(":", 1)[1] for c in cases if c["detector"] == "follow_sell"}
    assert follow and follow <= hijacked


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_default_world_tax_ids_valid_and_scan_quiet(fresh_db, kind):
    """A default world (no bad actors) gives every seller a home tax ID valid under stdnum,
    writes no label file, and the scan opens no case."""
    url = fresh_db(kind)
    built = _json(["world", "build", "--seed", "3", "--products", "40", "--json"])
    assert "bad_actors" not in built and not Path("var/demo_bad_actors.json").exists()
    engine = make_engine(url)
    with engine.connect() as c:
        sellers = dict(c.execute(select(t.sellers.c.seller_id, t.sellers.c.country)).all())
        ids = c.execute(select(t.seller_tax_ids)).all()
    engine.dispose()
    assert {(r.seller_id, r.country) for r in ids} >= set(sellers.items())
    for r in ids:
        module = stdnum_module(r.country)
        if module is None:  # documented: no stdnum rules, a plausible format
            assert r.country == "AE" and re.fullmatch(r"100\d{12}", r.number)
        else:
            assert module.is_valid(r.number), (r.seller_id, r.country, r.number)
    assert _json(["governance", "scan", "--json"])["opened"] == 0


def test_demo_builds_bad_actors_and_scans_once(fresh_db, monkeypatch):
    """`tradewind demo` on an empty database builds the world with labelled bad actors and
    opens their cases before serving (the server itself is stubbed out here)."""
    import uvicorn

    fresh_db("sqlite")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    r = runner.invoke(app, ["demo", "--no-simulate", "--seed", "7"])
    assert r.exit_code == 0, r.output
    opened = re.search(r"governance scan: (\d+) case\(s\) opened", r.output)
    assert opened and int(opened.group(1)) > 0
    assert len(json.loads(Path("var/demo_bad_actors.json").read_text())["bad_actors"]) == 6


def test_cli_records_a_test_buy_the_scan_asked_for(fresh_db):
    """`governance scan --json` lists the offers that want a test buy; `governance test-buy`
    records one inspected by the demo's operator: an item never received opens a follow-sell
    case; an unknown operator is refused (exit 2, stable code) and records nothing."""
    fresh_db("sqlite")
    _json(["world", "build", "--seed", "7", "--products", "60", "--json"])
    report = _json(["governance", "scan", "--json"])
    assert report["test_buys_wanted"] == len(report["test_buys"]) > 0
    offer = report["test_buys"][0]["offer_id"]
    record = ["governance", "test-buy", "--offer", offer, "--json", "--operator"]
    refused = runner.invoke(app, [*record, "nobody", "--result", "genuine"])
    assert refused.exit_code == 2 and '"not_found"' in refused.output
    out = _json([*record, "ops-1", "--result", "not_received"])
    assert out["offer_id"] == offer and out["case_id"]
    case = _json(["governance", "case", out["case_id"], "--json"])
    assert case["rule_id"] == "follow-sell-test-buy"
