"""Multi-row writes of the checkout hot path: n rows in one statement.

``conn.execute(insert(table), rows)`` runs the DBAPI's ``executemany``; psycopg 3 sends one
prepared execution per row (about 40 us of client CPU each), and ``insert().values(rows)``
compiles a new statement every time (about 1 ms). Checkout writes 10-20 rows per order, so
this module renders ``INSERT ... VALUES (...), (...)`` (and a batched ``UPDATE ... FROM``)
once per table, dialect and row count, and sends it on the driver's cursor (driver.py).

What reaches the driver is what Core would send: every value goes through the column type's
own bind processor for the dialect (``UtcDateTime`` to naive UTC text on SQLite, JSON
serialisation, ...). Statements run in the connection's transaction and call its
``before_cursor_execute`` listeners, so statement budgets count them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, Table
from sqlalchemy.engine import Dialect

from tradewind.platform.db.driver import execute

Processor = Callable[[Any], Any]
# Bound parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535 limits; a
# larger batch is sent as several statements.
MAX_PARAMS = 30_000


def _placeholder(dialect: Dialect) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


@lru_cache(maxsize=256)
def _converters(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[tuple[int, Processor], ...]:
    """(position, bind processor) of the columns whose values Core would convert."""
    procs = (table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names)
    return tuple((k, proc) for k, proc in enumerate(procs) if proc is not None)


@lru_cache(maxsize=1024)
def _insert_sql(table: Table, names: tuple[str, ...], n: int, mark: str) -> str:
    row = "(" + ", ".join([mark] * len(names)) + ")"
    cols = ", ".join(names)
    return f"INSERT INTO {table.name} ({cols}) VALUES " + ", ".join([row] * n)


def _flatten(
    rows: Sequence[Mapping[str, Any]],
    names: tuple[str, ...],
    converting: tuple[tuple[int, Processor], ...],
) -> tuple[Any, ...]:
    # Hot path (20-170 values per checkout): pull each row's values in C with itemgetter and
    # run only the columns that have a bind processor through Python.
    get = itemgetter(*names)
    width = len(names)
    out: list[Any] = []
    for row in rows:
        if len(row) != width:
            raise ValueError(f"every row must have the columns {names}, got {sorted(row)}")
        values = get(row) if width > 1 else (row[names[0]],)
        if converting:
            values = list(values)
            for k, proc in converting:
                values[k] = proc(values[k])
        out.extend(values)
    return tuple(out)


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in one statement."""
    if not rows:
        return
    names = tuple(rows[0])
    dialect = conn.dialect
    converting = _converters(table, names, dialect)
    step = max(1, MAX_PARAMS // len(names))
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        sql = _insert_sql(table, names, len(chunk), _placeholder(dialect))
        execute(conn, sql, _flatten(chunk, names, converting)).close()


@lru_cache(maxsize=256)
def _update_sql(
    table: Table, keys: tuple[str, ...], sets: tuple[str, ...], n: int, mark: str
) -> str:
    names = keys + sets
    row = "(" + ", ".join([mark] * len(names)) + ")"
    # Typed in the first row: PostgreSQL infers a VALUES list's column types from it.
    first = "(" + ", ".join(f"CAST({mark} AS {_sql_type(table.c[c])})" for c in names) + ")"
    values = ", ".join([first] + [row] * (n - 1))
    assign = ", ".join(f"{c} = v.{c}" for c in sets)
    match = " AND ".join(f"{table.name}.{c} = v.{c}" for c in keys)
    return (
        f"WITH v ({', '.join(names)}) AS (VALUES {values}) "
        f"UPDATE {table.name} SET {assign} FROM v WHERE {match}"
    )


def _sql_type(column: Column[Any]) -> str:
    return "BIGINT" if column.type.python_type is int else "VARCHAR"


def update_rows(
    conn: Connection,
    table: Table,
    keys: tuple[str, ...],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """``UPDATE table SET <other columns> WHERE <keys>`` for every row, in one statement.

    Rows are dicts of the key columns and the columns to set (plain strings and integers)."""
    if not rows:
        return
    sets = tuple(name for name in rows[0] if name not in keys)
    names = keys + sets
    dialect = conn.dialect
    converting = _converters(table, names, dialect)
    step = max(1, MAX_PARAMS // len(names))
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        sql = _update_sql(table, keys, sets, len(chunk), _placeholder(dialect))
        execute(conn, sql, _flatten(chunk, names, converting)).close()
