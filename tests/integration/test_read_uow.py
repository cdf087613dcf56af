"""Read-only units of work: no writer's lock, and they refuse to commit."""

import threading

import pytest

from tests.integration.seed import make_shop
from tradewind.platform.db.engine import write_lock
from tradewind.platform.db.uow import SqlUnitOfWork


def test_a_read_does_not_wait_for_a_writer_and_cannot_commit(engine):
    """While a writer holds the (SQLite) write lock, a read-only unit of work still reads."""
    shop = make_shop(engine)
    got: list[object] = []

    def read() -> None:
        with SqlUnitOfWork(engine, read_only=True) as uow:
            got.append(uow.customers.get(shop.customers[1]))

    with write_lock(engine):
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=10)
    assert not reader.is_alive() and got and got[0] is not None
    with SqlUnitOfWork(engine, read_only=True) as uow, pytest.raises(RuntimeError):
        uow.commit()
