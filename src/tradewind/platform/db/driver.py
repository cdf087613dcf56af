"""The checkout's fixed statements on the driver's cursor: compiled by SQLAlchemy once per
dialect, executed without Core's per-execution machinery.

Profiling a checkout on PostgreSQL (docs/benchmarks.md, "Checkout") put about a third of its
client CPU in Core around the driver: result metadata rebuilt from ``cursor.description`` on
every execution (psycopg builds one ``Column`` object per field on each access: 52 fields over
the three reads), ``CursorResult`` set-up and tear-down, parameter construction, cache-key
generation. The statements are fixed, so this module compiles each once, keeps its SQL text,
parameter order and the result processors of its columns, and runs it on the DBAPI cursor of
the unit of work's own connection: same transaction, same pool, same locks.

Two things Core does are kept on purpose:

- the connection's ``before_cursor_execute`` listeners are called with the exact SQL and
  parameters, so statement budgets (tests/integration/statements.py, ``bench checkout``)
  count these statements like any other (``context`` is ``None`` for them);
- driver errors are raised as SQLAlchemy's ``DBAPIError`` family (``IntegrityError`` ...), so
  callers catch one exception hierarchy whichever path ran the statement.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Select

Processor = Callable[[Any], Any]


@dataclass(slots=True)
class CompiledQuery:
    sql: str
    order: tuple[str, ...] | None  # parameter names in order for positional paramstyles
    row: Any  # a namedtuple class named after the selected columns
    types: tuple[Any, ...]  # the selected columns' SQLAlchemy types
    # (column index, result processor), learnt from the first execution's cursor.description
    # (some processors depend on the driver's type code, e.g. PostgreSQL floats vs numerics).
    processors: tuple[tuple[int, Processor], ...] | None = None

    def learn_processors(self, dialect: Dialect, description: Sequence[Any]) -> None:
        found = []
        for k, (type_, field) in enumerate(zip(self.types, description, strict=True)):
            proc = type_.dialect_impl(dialect).result_processor(dialect, field[1])
            if proc is not None:
                found.append((k, proc))
        self.processors = tuple(found)


@lru_cache(maxsize=256)
def compiled_query(stmt: Select[Any], dialect: Dialect) -> CompiledQuery:
    compiled = stmt.compile(dialect=dialect)
    for name, bind in compiled.binds.items():
        # Parameters go to the driver as given, so only caller-supplied plain values qualify.
        if bind.value is not None or bind.callable is not None:
            raise ValueError(f"parameter {name!r} has a value inside the statement")
        if bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
            raise ValueError(f"parameter {name!r} needs Core's bind processing")
    positional = compiled.positiontup if dialect.positional else None
    names = [str(c.key) for c in stmt.selected_columns]
    return CompiledQuery(
        compiled.string,
        tuple(positional) if positional is not None else None,
        namedtuple("Row", names),
        tuple(c.type for c in stmt.selected_columns),
    )


def fetch_all(conn: Connection, stmt: Select[Any], params: Mapping[str, Any]) -> list[Any]:
    """All rows of ``stmt`` as namedtuples (attribute access by column key, like Core rows)."""
    q = compiled_query(stmt, conn.dialect)
    bound: Sequence[Any] | Mapping[str, Any] = (
        [params[name] for name in q.order] if q.order is not None else params
    )
    cursor = execute(conn, q.sql, bound)
    try:
        if q.processors is None:
            q.learn_processors(conn.dialect, cursor.description)
        raw = cursor.fetchall()
    finally:
        cursor.close()
    make = q.row._make
    if not q.processors:
        return [make(r) for r in raw]
    out = []
    for r in raw:
        values = list(r)
        for k, proc in q.processors:
            values[k] = proc(values[k])
        out.append(make(values))
    return out


def execute(conn: Connection, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> Any:
    """Run one statement on the connection's DBAPI cursor and return the cursor (the caller
    closes it, or lets it go for statements that return no rows)."""
    cursor = conn.connection.cursor()
    for listener in conn.dispatch.before_cursor_execute:
        sql, params = listener(conn, cursor, sql, params, None, False)
    if conn.engine.echo:
        conn.engine.logger.info("%s [driver cursor] %r", sql, params)
    dbapi = conn.dialect.loaded_dbapi
    try:
        cursor.execute(sql, params)
    except dbapi.Error as exc:
        cursor.close()
        raise DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=conn.dialect) from exc
    return cursor
