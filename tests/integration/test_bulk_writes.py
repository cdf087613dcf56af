"""Multi-row hot-path writes: what Core would store, on SQLite and PostgreSQL."""

import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select

from tests.integration.statements import StatementCounter
from tradewind.platform.db import bulk as bulk
from tradewind.platform.db import tables as t


def _rows(ref, n):
    at = datetime(2026, 11, 26, 3, 0, 0, 0, tzinfo=UTC)  # whole second: no microseconds
    return [
        {
            "txn_id": f"txn_{ref}",
            "reference": ref,
            "account": f"acct:{k}",
            "seller_id": None,
            "amount_minor": (-1) ** k * (k + 1) * 10**12,  # beyond 32 bits
            "currency": "EUR",
            "memo": "it's 'quoted' %s",
            "created_at": at,
        }
        for k in range(n)
    ]


def test_insert_rows_round_trips_types_and_is_one_statement(engine):
    ref = f"bulk-{secrets.token_hex(4)}"
    with engine.begin() as c, StatementCounter(engine, include_begin=False) as counter:
        bulk.insert_rows(c, t.ledger_entries, _rows(ref, 7))
    assert counter.n == 1
    le = t.ledger_entries.c
    with engine.begin() as c:
        got = c.execute(
            select(le.account, le.amount_minor, le.memo, le.created_at, le.seller_id)
            .where(le.reference == ref)
            .order_by(le.account)
        ).all()
        c.execute(delete(t.ledger_entries).where(le.reference == ref))
    assert [r.amount_minor for r in got] == [(-1) ** k * (k + 1) * 10**12 for k in range(7)]
    assert {r.memo for r in got} == {"it's 'quoted' %s"} and {r.seller_id for r in got} == {None}
    assert {r.created_at for r in got} == {datetime(2026, 11, 26, 3, 0, tzinfo=UTC)}


def test_large_batches_are_split_under_the_parameter_limit(engine, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_PARAMS", 8 * 3)  # three ledger rows per statement
    ref = f"bulk-{secrets.token_hex(4)}"
    with engine.begin() as c, StatementCounter(engine, include_begin=False) as counter:
        bulk.insert_rows(c, t.ledger_entries, _rows(ref, 7))
    assert counter.n == 3  # 3 + 3 + 1
    le = t.ledger_entries.c
    with engine.begin() as c:
        assert len(c.execute(select(le.account).where(le.reference == ref)).all()) == 7
        c.execute(delete(t.ledger_entries).where(le.reference == ref))


def test_update_rows_sets_each_row_by_its_keys_only(engine):
    from tests.integration.seed import make_shop

    make_shop(engine)
    i = t.inventory_positions.c
    with engine.connect() as c:
        before = c.execute(
            select(i.fc_id, i.sku, i.on_hand, i.reserved).order_by(i.sku, i.fc_id)
        ).all()
    target, untouched = before[0], before[1:]
    with engine.begin() as c, StatementCounter(engine, include_begin=False) as counter:
        bulk.update_rows(
            c,
            t.inventory_positions,
            ("sku", "fc_id"),
            [{"sku": target.sku, "fc_id": target.fc_id, "reserved": 1, "on_hand": 99}],
        )
    assert counter.n == 1
    with engine.connect() as c:
        after = {
            (r.fc_id, r.sku): (r.on_hand, r.reserved)
            for r in c.execute(select(i.fc_id, i.sku, i.on_hand, i.reserved))
        }
    assert after[(target.fc_id, target.sku)] == (99, 1)
    assert all(after[(r.fc_id, r.sku)] == (r.on_hand, r.reserved) for r in untouched)
