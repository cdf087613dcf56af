"""The customs Typer sub-app and the bench command, via CliRunner."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from tradewind.customs.adapters import cli as customs
from tradewind_bench import customs as bench_customs

RUNNER = CliRunner()
ISSUE_ARGS = [
    "quote", "--origin", "CN", "--dest", "DE", "--hs", "640411", "--value", "45.00",
    "--currency", "EUR", "--shipping", "5.00", "--date", "2026-11-26", "--json",
]  # fmt: skip


def test_quote_json_has_the_issue_keys() -> None:
    """The issue's example prints duty, vat, fees, total_landed, currency, ... as JSON."""
    result = RUNNER.invoke(customs.app, ISSUE_ARGS)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("duty", "vat", "fees", "total_landed", "currency", "collected_at_sale", "rules"):
        assert key in data
    assert (data["duty"], data["vat"], data["total_landed"]) == ("3.00", "9.50", "62.50")
    assert data["rules"][0]["citation"]["url"].startswith("https://")


def test_quote_table_output() -> None:
    """Without --json a readable table is printed."""
    result = RUNNER.invoke(customs.app, ISSUE_ARGS[:-1])
    assert result.exit_code == 0 and "total_landed" in result.stdout


def test_bad_input_prints_code_and_no_quote() -> None:
    """An unknown HS code exits 2 with the error code on stderr and nothing on stdout."""
    args = [a if a != "640411" else "640499" for a in ISSUE_ARGS]
    result = RUNNER.invoke(customs.app, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["code"] == "customs_unknown_hs_code"


def test_bench_registers_and_reports() -> None:
    """register() adds `customs` to a bench app; it prints the throughput figures."""
    bench = typer.Typer()

    @bench.command("noop")
    def noop() -> None:
        """Keep the app a group, as the real bench app is."""

    bench_customs.register(bench)
    result = RUNNER.invoke(bench, ["customs", "--json", "--quotes", "300"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["quotes"] == 300 and data["p99_ms"] > 0 and data["quotes_per_s"] > 0
    assert "machine" in data


def test_screen_finds_a_listed_party_under_another_spelling_and_clears_others(tmp_path):
    """Fuzzy screening against the shipped sample, and against a user-supplied CSL file."""
    from typer.testing import CliRunner

    from tradewind.platform.cli.main import app

    runner = CliRunner()
    hit = runner.invoke(app, ["customs", "screen", "--name", "Blue Lantern Exports Ltd", "--json"])
    assert hit.exit_code == 0, hit.output
    assert [h["id"] for h in json.loads(hit.stdout)["hits"]] == ["tw-sample-2"]
    clear = runner.invoke(app, ["customs", "screen", "--name", "Acme Garden Tools", "--json"])
    assert json.loads(clear.stdout)["hits"] == []
    csl = tmp_path / "csl.csv"
    csl.write_text(
        "_id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships\n"
        "x-1,Test list,,Entity,TEST,Zebra Falcon Holdings,,,ZF Holdings,\n"
    )
    own = runner.invoke(
        app, ["customs", "screen", "--name", "Zebra Falcon Holding", "--list", str(csl), "--json"]
    )
    assert [h["id"] for h in json.loads(own.stdout)["hits"]] == ["x-1"]
    missing = runner.invoke(app, ["customs", "screen", "--name", "x", "--list", "/nope.csv"])
    assert missing.exit_code == 2
