"""Unit of work: one connection, one transaction; rolls back unless committed.

Events recorded during the transaction are written to the outbox table in the same
transaction (so nothing is lost), and handed to the message bus after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Generic, Self, TypeVar, overload

from sqlalchemy import Connection, Engine

from tradewind.fulfillment.adapters.stock_repository import SqlInventoryRepository
from tradewind.governance.adapters.case_repository import SqlCaseRepository
from tradewind.governance.adapters.enforcement import SqlEnforcer
from tradewind.orders.adapters.customer_repository import (
    SqlCartRepository,
    SqlCustomerRepository,
    SqlLedgerRepository,
)
from tradewind.orders.adapters.order_repository import SqlCheckoutContextReader, SqlOrderRepository
from tradewind.platform.db import tables as t
from tradewind.platform.db.bulk import insert_rows
from tradewind.platform.db.engine import WRITE, write_lock
from tradewind.platform.db.repositories import (
    SqlBrandRepository,
    SqlOfferRepository,
    SqlProductRepository,
    SqlSellerRepository,
    SqlSiteRepository,
)
from tradewind.shared.events import Event

R = TypeVar("R")


class _Repository(Generic[R]):
    """A repository built on first use within each ``with uow:`` (checkout touches 5 of 12;
    building all of them on every enter showed in its profile)."""

    def __init__(self, factory: Callable[[Connection], R]) -> None:
        self.factory = factory

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...
    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: SqlUnitOfWork | None, owner: type) -> R | Self:
        if uow is None:
            return self
        if uow.conn is None:
            raise RuntimeError(f"uow.{self.name} used outside 'with uow:'")
        repo = self.factory(uow.conn)
        uow.__dict__[self.name] = repo  # later reads in this transaction skip the descriptor
        return repo


class SqlUnitOfWork:
    orders = _Repository(SqlOrderRepository)
    checkout_context = _Repository(SqlCheckoutContextReader)
    customers = _Repository(SqlCustomerRepository)
    sites = _Repository(SqlSiteRepository)
    offers = _Repository(SqlOfferRepository)
    inventory = _Repository(SqlInventoryRepository)
    ledger = _Repository(SqlLedgerRepository)
    sellers = _Repository(SqlSellerRepository)
    brands = _Repository(SqlBrandRepository)
    products = _Repository(SqlProductRepository)
    carts = _Repository(SqlCartRepository)
    cases = _Repository(SqlCaseRepository)
    enforcer = _Repository(SqlEnforcer)

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        # Reads (who is logged in, a cart quote) need no writer's lock or BEGIN IMMEDIATE: on
        # SQLite they would otherwise queue behind every checkout of a running simulation.
        self.read_only = read_only
        self.conn: Connection | None = None
        self._pending: list[Event] = []
        self._published: list[Event] = []

    def __enter__(self) -> Self:
        self._lock = nullcontext() if self.read_only else write_lock(self.engine)
        self._lock.__enter__()
        try:
            conn = self.engine.connect()
            if not self.read_only:
                conn = conn.execution_options(**WRITE)
            conn.begin()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        self.conn = conn
        self._pending = []
        for name in _REPOSITORIES:  # fresh repositories on this connection
            self.__dict__.pop(name, None)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.conn is not None
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()
            self.conn = None
            self._lock.__exit__(None, None, None)

    def record(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        assert self.conn is not None, "commit() outside 'with uow:'"
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        cases = self.__dict__.get("cases")
        if cases is not None:  # governance aggregates carry their own events
            for case in cases.seen.values():
                self._pending.extend(case.events)
                case.events.clear()
        if self._pending:
            now = datetime.now(UTC)
            insert_rows(
                self.conn,
                t.outbox,
                [
                    {"event_type": e.name, "payload": e.payload(), "created_at": now}
                    for e in self._pending
                ],
            )
        self.conn.commit()
        self._published.extend(self._pending)
        self._pending = []

    def rollback(self) -> None:
        if self.conn is not None and self.conn.in_transaction():
            self.conn.rollback()
        self._pending = []

    def collect_new_events(self) -> list[Event]:
        """Events committed since the last call (for the message bus)."""
        out, self._published = self._published, []
        return out


_REPOSITORIES = tuple(
    name for name, attr in vars(SqlUnitOfWork).items() if isinstance(attr, _Repository)
)
