import json

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tradewind.adapters.cli.main import app
from tradewind.settings import get_settings

runner = CliRunner()


@pytest.fixture()
def fresh_db(tmp_path, monkeypatch, postgres_url):
    """An empty database of each kind: a new SQLite file, or a new Postgres database."""

    def use(kind: str) -> str:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / 'cli.db'}"
        else:
            import psycopg

            name = f"{make_url(postgres_url).database}_cli"
            admin = make_url(postgres_url).set(drivername="postgresql", database="postgres")
            with psycopg.connect(admin.render_as_string(hide_password=False),
                                 autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                c.execute(f'CREATE DATABASE "{name}"')
            url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        monkeypatch.setenv("TRADEWIND_DATABASE_URL", url)
        monkeypatch.chdir(tmp_path)
        get_settings.cache_clear()
        return url

    yield use
    get_settings.cache_clear()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_world_build_is_deterministic_and_stats_report_it(fresh_db, kind):
    """`world build --seed 3` then `world stats --json` report the same counts; a second
    build into a non-empty database is refused."""
    fresh_db(kind)
    built = runner.invoke(app, ["world", "build", "--seed", "3", "--products", "40", "--json"])
    assert built.exit_code == 0, built.output
    stats = runner.invoke(app, ["world", "stats", "--json"])
    data = json.loads(stats.stdout)
    assert set(data) == {"sites", "fulfillment_centers", "sellers", "products", "offers",
                         "customers", "inventory_units"}
    assert data["sites"] == 14 and data["fulfillment_centers"] == 125
    assert data["products"] == 40 and data["inventory_units"] > 0
    again = runner.invoke(app, ["world", "build", "--seed", "3", "--products", "40"])
    assert again.exit_code == 2


def test_bench_checkout_reports_every_key_and_cleans_up(fresh_db):
    """A short bench run prints the documented keys and leaves no fixture behind."""
    fresh_db("sqlite")
    r = runner.invoke(app, ["bench", "checkout", "--seconds", "0.5", "--concurrency", "2",
                            "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    for key in ("checkouts_per_s", "p50_ms", "p99_ms", "sql_statements_per_checkout",
                "raw_sql_checkouts_per_s", "ratio_to_raw", "oversold_units", "database"):
        assert key in report
    assert report["oversold_units"] == 0 and report["checkouts"] > 0
    assert report["sql_statements_per_checkout"] <= 15
    stats = json.loads(runner.invoke(app, ["world", "stats", "--json"]).stdout)
    assert stats["sites"] == 0 and stats["products"] == 0  # the fixture is gone


def test_orders_list_is_newest_first(fresh_db):
    """`orders list --json` on an empty world is an empty list, not an error."""
    fresh_db("sqlite")
    runner.invoke(app, ["db", "upgrade"])
    r = runner.invoke(app, ["orders", "list", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == []
