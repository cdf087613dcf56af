"""Operators of the case queue: created from the CLI with a token shown once (only its hash is
stored), on SQLite and PostgreSQL; bad input is refused with a stable code and changes nothing."""

import json
import secrets

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tradewind.governance.adapters import tables as g
from tradewind.governance.adapters.operators import token_hash
from tradewind.platform.cli.main import app
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind.platform.settings import get_settings
from tradewind.simulation.adapters.world_cli import CREDENTIALS, ensure_demo_operators


def test_operator_add_prints_a_token_once_and_refuses_duplicates(db_url, engine, monkeypatch):
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db_url)
    get_settings.cache_clear()
    oid = f"ops-{secrets.token_hex(3)}"
    try:
        add = ["governance", "operator-add", "--id", oid, "--name", "Alice Ops", "--json"]
        first = CliRunner().invoke(app, add)
        again = CliRunner().invoke(app, add)
        bad = CliRunner().invoke(app, [*add[:3], "Not An Id!", *add[4:]])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    made = json.loads(first.stdout)
    assert made["operator_id"] == oid and made["token"].startswith("op-")
    with engine.connect() as c:
        row = c.execute(select(g.operators).where(g.operators.c.operator_id == oid)).one()
        count = c.execute(select(func.count()).select_from(g.operators)).scalar()
    assert row.token_hash == token_hash(made["token"]) and made["token"] not in row.token_hash
    assert again.exit_code == 2 and '"conflict"' in again.output
    assert bad.exit_code == 2 and "validation_failed" in bad.output
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(g.operators)).scalar() == count


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_demo_world_from_before_operators_gets_its_two_operators_once(fresh_db, kind):
    """`make demo` on a world built before migration 0007: ops-1 and ops-2 are created and
    their tokens added to the credentials file (other tokens kept); a second start adds none."""
    url = fresh_db(kind)
    upgrade(url)
    CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS.write_text(json.dumps({"sel-00001": "tw_x"}))
    ensure_demo_operators(url)
    creds = json.loads(CREDENTIALS.read_text())
    assert creds["sel-00001"] == "tw_x" and {"ops-1", "ops-2"} <= set(creds)
    ensure_demo_operators(url)
    assert json.loads(CREDENTIALS.read_text()) == creds
    with make_engine(url).connect() as c:
        hashes = dict(c.execute(select(g.operators.c.operator_id, g.operators.c.token_hash)).all())
    assert hashes == {k: token_hash(creds[k]) for k in ("ops-1", "ops-2")}
