"""Bearer tokens on SQLite and PostgreSQL: only digests are stored (demo world included);
`tradewind tokens rotate|revoke|list` for sellers, customers and operators; migration 0009
hashes a plain token left in a token column so its holder keeps logging in."""

import json
import secrets
from datetime import UTC, datetime

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.governance.adapters import tables as g
from tradewind.governance.adapters.operators import add_operator
from tradewind.platform.cli.main import app as cli
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import alembic_config, upgrade
from tradewind.platform.db.tokens import find_principal, revoke
from tradewind.platform.settings import Settings, get_settings
from tradewind.platform.web.pages_common import SELLER_COOKIE
from tradewind.shared.tokens import is_token_hash, token_hash

PROBLEM = "application/problem+json"
TOKEN_TABLES = (
    (t.sellers, "seller_id"),
    (t.customers, "customer_id"),
    (g.operators, "operator_id"),
)


@pytest.fixture(scope="module")
def client(db_url, engine):
    with TestClient(create_app_for(db_url, engine)) as c:
        yield c


def create_app_for(url, engine=None):
    from tradewind.platform.web.app import create_app

    return create_app(bootstrap(Settings(database_url=url), engine=engine))


@pytest.fixture()
def tokens_cli(db_url, monkeypatch):
    """Run `tradewind tokens ...` against the test database; returns (exit code, output)."""
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db_url)
    get_settings.cache_clear()

    def run(*args):
        result = CliRunner().invoke(cli, ["tokens", *args])
        return result.exit_code, result.output

    yield run
    get_settings.cache_clear()


def _get(client, kind, token):
    """An authenticated GET that each kind of subject may make."""
    path = {
        "seller": "/api/v1/seller/offers",
        "customer": "/api/v1/cart",
        "operator": "/api/v1/ops/cases?limit=1",
    }[kind]
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _assert_401(response):
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("kind", ["seller", "customer", "operator"])
def test_rotate_prints_a_new_token_once_and_the_old_one_gets_401(client, engine, tokens_cli, kind):
    """After `tokens rotate`, the new token works, its predecessor gets a 401 problem, and
    only the new token's digest (and when it was rotated) is stored."""
    shop = make_shop(engine)
    if kind == "operator":
        subject = f"ops-{secrets.token_hex(3)}"
        old = add_operator(engine, subject, "Rotating Ops")
    else:
        subject = shop.sellers[0] if kind == "seller" else shop.customers[0]
        old = shop.tokens[subject]
    assert _get(client, kind, old).status_code == 200
    code, out = tokens_cli("rotate", "--subject", subject, "--json")
    assert code == 0, out
    made = json.loads(out)
    assert made["kind"] == kind and made["subject_id"] == subject and made["token"] != old
    _assert_401(_get(client, kind, old))
    assert _get(client, kind, made["token"]).status_code == 200
    table, id_col = next((tb, c) for tb, c in TOKEN_TABLES if tb.name == f"{kind}s")
    with engine.connect() as c:
        row = c.execute(select(table).where(table.c[id_col] == subject)).one()
    assert row.token_hash == token_hash(made["token"]) and row.token_rotated_at is not None
    assert row.token_revoked_at is None


def test_a_revoked_subject_gets_401_until_a_rotation(client, engine, tokens_cli):
    """`tokens revoke` leaves no digest (401 at once); `list` says revoked and when, never a
    token or digest; a later `rotate` issues a working token again."""
    shop = make_shop(engine)
    seller, token = shop.sellers[1], shop.tokens[shop.sellers[1]]
    code, out = tokens_cli("revoke", "--subject", seller, "--json")
    assert code == 0, out
    assert json.loads(out)["kind"] == "seller"
    _assert_401(_get(client, "seller", token))
    with engine.connect() as c:
        row = c.execute(select(t.sellers).where(t.sellers.c.seller_id == seller)).one()
    assert row.token_hash is None and row.token_revoked_at is not None
    code, out = tokens_cli("list", "--kind", "seller", "--json")
    listed = {r["subject_id"]: r for r in json.loads(out)}
    assert listed[seller]["status"] == "revoked" and listed[seller]["revoked_at"]
    assert listed[shop.sellers[0]]["status"] == "active"
    assert set(listed[seller]) == {
        "kind",
        "subject_id",
        "status",
        "created_at",
        "rotated_at",
        "revoked_at",
    }
    code, out = tokens_cli("list")
    assert code == 0 and token not in out and token_hash(shop.tokens[shop.sellers[0]]) not in out
    code, out = tokens_cli("rotate", "--subject", seller, "--json")
    assert _get(client, "seller", json.loads(out)["token"]).status_code == 200


def test_unknown_subject_or_kind_is_refused_with_a_code(tokens_cli):
    """An id no seller, customer or operator has: not_found, exit 2; a bad kind: validation."""
    code, out = tokens_cli("rotate", "--subject", "nobody-here", "--json")
    assert code == 2 and '"not_found"' in out
    code, out = tokens_cli("revoke", "--subject", "nobody-here", "--kind", "robot", "--json")
    assert code == 2 and '"validation_failed"' in out


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_demo_world_stores_no_plain_token(fresh_db, kind):
    """`world build` writes tokens to var/demo_credentials.json and only their digests to the
    database: no credential appears in any token column; each one still logs in."""
    url = fresh_db(kind)
    built = CliRunner().invoke(cli, ["world", "build", "--seed", "3", "--products", "40", "--json"])
    assert built.exit_code == 0, built.output
    with open("var/demo_credentials.json") as f:
        creds = json.load(f)
    engine = make_engine(url)
    stored: dict[str, str] = {}
    with engine.connect() as c:
        for table, id_col in TOKEN_TABLES:
            for sid, value in c.execute(select(table.c[id_col], table.c.token_hash)):
                if value is not None:
                    stored[sid] = value
    assert stored and all(is_token_hash(v) for v in stored.values())
    plain = set(creds.values())
    assert not plain & set(stored.values())
    assert not any(p in v for p in plain for v in stored.values())
    assert {sid: token_hash(tok) for sid, tok in creds.items()} == {
        sid: stored[sid] for sid in creds
    }
    views = bootstrap(Settings(database_url=url), engine=engine).views
    seller = next(k for k in creds if k.startswith("sel-"))
    assert views.principal(token_hash(creds[seller])) == ("seller", seller)
    assert views.principal(token_hash("ops-1")) is None
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_migration_0009_hashes_a_plain_token_and_its_holder_still_logs_in(fresh_db, kind):
    """A database at 0008 with plain tokens left in ``token_hash`` (a seller's, an operator's):
    after `upgrade head` only digests remain and the same tokens authenticate; downgrading to
    0008 keeps digests (no plain token comes back) and a revoked operator locked out."""
    url = fresh_db(kind)
    upgrade(url, "0008")
    engine = make_engine(url)
    seller_token, ops_token = "tw_plainseller0001", "op-plainoperator01"
    now = datetime.now(UTC)
    with engine.begin() as c:
        c.execute(
            insert(t.sellers).values(
                seller_id="sel-plain",
                name="Plain",
                kind="3p",
                country="US",
                kyc_status="verified",
                token_hash=seller_token,
                created_at=now,
            )
        )
        c.execute(
            insert(g.operators).values(
                operator_id="ops-plain", name="Plain Ops", token_hash=ops_token, created_at=now
            )
        )
    upgrade(url)
    with engine.connect() as c:
        stored = {
            str(sid): value
            for table, id_col in TOKEN_TABLES
            for sid, value in c.execute(select(table.c[id_col], table.c.token_hash))
        }
    assert stored == {"sel-plain": token_hash(seller_token), "ops-plain": token_hash(ops_token)}
    with TestClient(create_app_for(url, engine)) as client:
        assert _get(client, "seller", seller_token).status_code == 200
        assert _get(client, "operator", ops_token).status_code == 200
        _assert_401(_get(client, "seller", stored["sel-plain"]))  # a digest is no token
    revoke(engine, "ops-plain")
    command.downgrade(alembic_config(url), "0008")
    with engine.connect() as c:
        ops_hash = c.execute(select(g.operators.c.token_hash)).scalar()
        seller_hash = c.execute(select(t.sellers.c.token_hash)).scalar()
        assert seller_hash == token_hash(seller_token)
        assert ops_hash and is_token_hash(ops_hash) and ops_hash != token_hash(ops_token)
        assert find_principal(c, token_hash(ops_token)) is None
    upgrade(url)
    engine.dispose()


def test_revoking_a_token_ends_the_page_session_that_used_it(client, engine, tokens_cli):
    """The Seller Central cookie holds the token and is resolved on every request, so a
    revocation logs that browser out at once (redirect to the login page)."""
    shop = make_shop(engine)
    seller = shop.sellers[0]
    client.cookies.set(SELLER_COOKIE, shop.tokens[seller])
    try:
        assert client.get("/seller", follow_redirects=False).status_code == 200
        assert tokens_cli("revoke", "--subject", seller)[0] == 0
        gone = client.get("/seller", follow_redirects=False)
    finally:
        client.cookies.clear()
    assert gone.status_code in (302, 303) and "/seller/login" in gone.headers["location"]
