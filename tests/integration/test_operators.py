"""Operators of the case queue: created from the CLI with a token shown once (only its hash is
stored), on SQLite and PostgreSQL; bad input is refused with a stable code and changes nothing."""

import json
import secrets

from sqlalchemy import func, select
from typer.testing import CliRunner

from tradewind.adapters.cli.main import app
from tradewind.adapters.db import governance_tables as g
from tradewind.adapters.db.operators import token_hash
from tradewind.settings import get_settings


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
