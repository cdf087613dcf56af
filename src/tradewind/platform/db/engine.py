"""Engine construction for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE = {"tradewind_begin": "IMMEDIATE"}
_WRITE_LOCKS: dict[int, threading.Lock] = {}


def write_lock(engine: Engine) -> AbstractContextManager[Any]:
    """Writers of one SQLite database queue on a lock in this process instead of spinning in
    SQLite's busy handler (which sleeps in growing steps and ruins tail latency). Other
    processes still serialise through BEGIN IMMEDIATE. PostgreSQL needs no such lock."""
    return _WRITE_LOCKS.get(id(engine)) or nullcontext()


# A database that does not answer fails a request in seconds (a 503), not after minutes.
CONNECT_TIMEOUT_S = 3
POOL_TIMEOUT_S = 30


def make_engine(url: str, *, pool_size: int = 20, echo: bool = False) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo=echo)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=POOL_TIMEOUT_S,
        # A pooled connection is tested before use, so a server restart costs the requests in
        # flight at that moment (503) and nothing after: dead connections are replaced.
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        echo=echo,
    )


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 60, "check_same_thread": False})
    _WRITE_LOCKS[id(engine)] = threading.Lock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy (not pysqlite) emit BEGIN, so writers can take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # BEGIN IMMEDIATE serialises writers at the start of the transaction: two checkouts
        # can never both read the same stock and both reserve it (SQLite has no FOR UPDATE).
        mode = conn.get_execution_options().get("tradewind_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
