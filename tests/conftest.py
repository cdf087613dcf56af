"""Test databases: every integration test runs on SQLite *and* PostgreSQL.

PostgreSQL comes from ``TRADEWIND_DATABASE_URL`` when it names a postgres URL, else
``postgresql://postgres@127.0.0.1:5432``. A fresh database is created per test session and
dropped at the end. When PostgreSQL is unreachable, its tests are skipped with a loud reason,
except under CI (``CI=true``) or ``TRADEWIND_REQUIRE_POSTGRES=1``, where that is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind.platform.settings import get_settings


def _pg_server_url() -> str:
    env = os.environ.get("TRADEWIND_DATABASE_URL", "")
    if env.startswith(("postgres", "postgresql")):
        return env
    return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _require_pg() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("TRADEWIND_REQUIRE_POSTGRES") == "1"
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    import psycopg

    server = make_url(_pg_server_url()).set(drivername="postgresql+psycopg")
    name = f"tradewind_test_{secrets.token_hex(4)}"
    admin = (
        server.set(database="postgres")
        .render_as_string(hide_password=False)
        .replace("postgresql+psycopg", "postgresql")
    )
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        msg = f"PostgreSQL unreachable ({exc}); its tests cannot run"
        if _require_pg():
            pytest.fail(msg)
        pytest.skip("!!! " + msg)
    conn.execute(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'tradewind.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    e = make_engine(db_url, pool_size=30)
    yield e
    e.dispose()


@pytest.fixture()
def fresh_db(tmp_path, monkeypatch, request):
    """An empty database of each kind: a new SQLite file, or a new Postgres database."""

    def use(kind: str) -> str:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / 'cli.db'}"
        else:
            import psycopg

            postgres_url = request.getfixturevalue("postgres_url")
            name = f"{make_url(postgres_url).database}_cli"
            admin = make_url(postgres_url).set(drivername="postgresql", database="postgres")
            with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                c.execute(f'CREATE DATABASE "{name}"')
            url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        monkeypatch.setenv("TRADEWIND_DATABASE_URL", url)
        monkeypatch.chdir(tmp_path)
        get_settings.cache_clear()
        return url

    yield use
    get_settings.cache_clear()
