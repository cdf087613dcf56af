"""Events leave the transaction: the outbox relay publishes every committed event at least
once, and consumers handle each event once (idempotent by event id), on SQLite and
PostgreSQL; through NATS JetStream with the broker's duplicate window too."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select

from tradewind.platform.bus.consumers import Consumer, IdempotentConsumer, LocalSink
from tradewind.platform.bus.envelope import Envelope, event_id_of
from tradewind.platform.bus.outbox import OutboxRelay, pending
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade

KINDS = ["sqlite", "postgres"]


@pytest.fixture(params=KINDS)
def engine(request, fresh_db):
    url = fresh_db(request.param)
    upgrade(url)
    e = make_engine(url, pool_size=5)
    yield e
    e.dispose()


def _events(engine, n: int, event_type: str = "ProbeHappened", **fields) -> list[int]:
    now = datetime.now(UTC)
    with engine.begin() as c:
        for i in range(n):
            c.execute(
                insert(t.outbox).values(
                    event_type=event_type, payload={"n": i, **fields}, created_at=now
                )
            )
        return [r.id for r in c.execute(select(t.outbox.c.id).order_by(t.outbox.c.id))]


def _recorder(name: str = "probe", fail_on: set[int] | None = None):
    seen: list[int] = []
    failures = set(fail_on or ())

    def handler(envelope: Envelope, conn) -> None:
        if envelope.n in failures:
            failures.discard(envelope.n)
            raise RuntimeError(f"consumer crashed on event {envelope.n}")
        seen.append(envelope.n)

    return Consumer(name, frozenset({"ProbeHappened"}), handler), seen


def _processed(engine) -> int:
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(t.processed_events)).scalar_one()


def test_each_event_is_relayed_and_handled_once_and_redelivery_changes_nothing(engine) -> None:
    ids = _events(engine, 5)
    consumer, seen = _recorder()
    idem = IdempotentConsumer(consumer, engine)
    relay = OutboxRelay(engine, LocalSink([idem]), batch=2)
    assert relay.drain() == 5 and pending(engine) == {}
    assert seen == [0, 1, 2, 3, 4] and _processed(engine) == 5
    assert relay.drain() == 0  # nothing left: a second relay pass sends nothing
    # at-least-once: the broker delivers the same events again
    again = [Envelope(event_id_of(i), "ProbeHappened", {"n": n}) for n, i in enumerate(ids)]
    LocalSink([idem]).publish(again)
    assert seen == [0, 1, 2, 3, 4] and idem.skipped == 5 and _processed(engine) == 5


def test_a_consumer_crash_leaves_the_batch_pending_and_it_is_delivered_again(engine) -> None:
    _events(engine, 4)
    consumer, seen = _recorder(fail_on={2})
    relay = OutboxRelay(engine, LocalSink([IdempotentConsumer(consumer, engine)]), batch=10)
    with pytest.raises(RuntimeError):
        relay.relay_once()
    assert sum(pending(engine).values()) == 4  # nothing marked: the batch is sent again
    assert relay.drain() == 4
    assert sorted(seen) == [0, 1, 2, 3]  # each exactly once: 0 and 1 were skipped the 2nd time
    assert _processed(engine) == 4


def test_two_consumers_keep_their_own_record(engine) -> None:
    _events(engine, 3)
    a, seen_a = _recorder("a")
    b, seen_b = _recorder("b")
    sink = LocalSink([IdempotentConsumer(a, engine), IdempotentConsumer(b, engine)])
    OutboxRelay(engine, sink).drain()
    assert seen_a == seen_b == [0, 1, 2] and _processed(engine) == 6


def _nats_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 4222), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture()
def nats_stream():
    if not _nats_up():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("NATS is not answering at 127.0.0.1:4222")
        pytest.skip("!!! NATS is not answering at 127.0.0.1:4222")
    name = f"TW_TEST_{secrets.token_hex(4).upper()}"
    prefix = f"twtest.{name.lower()}."
    yield name, prefix

    async def drop() -> None:
        import nats

        nc = await nats.connect("nats://127.0.0.1:4222")
        try:
            await nc.jetstream().delete_stream(name)
        finally:
            await nc.close()

    asyncio.run(drop())


def _stream_messages(name: str) -> int:
    async def info() -> int:
        import nats

        nc = await nats.connect("nats://127.0.0.1:4222")
        try:
            return int((await nc.jetstream().stream_info(name)).state.messages)
        finally:
            await nc.close()

    return asyncio.run(info())


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_through_nats_jetstream_duplicates_are_dropped_and_consumers_handle_once(
    engine, nats_stream
) -> None:
    from tradewind.platform.bus.nats import NatsSink, run_consumers

    stream, prefix = nats_stream
    _events(engine, 6)
    sink = NatsSink("nats://127.0.0.1:4222", stream=stream, prefix=prefix)
    try:
        assert OutboxRelay(engine, sink, batch=4).drain() == 6
        # a relay that crashed before marking its batch sends it again: the stream keeps one
        # copy of each event (Nats-Msg-Id = event id, inside the duplicate window)
        with engine.connect() as c:
            rows = c.execute(select(t.outbox.c.id).order_by(t.outbox.c.id)).all()
        sink.publish(
            [Envelope(event_id_of(r.id), "ProbeHappened", {"n": i}) for i, r in enumerate(rows)]
        )
    finally:
        sink.close()
    assert _stream_messages(stream) == 6

    consumer, seen = _recorder(f"probe-{stream.lower()}")
    idem = IdempotentConsumer(consumer, engine)

    async def consume() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_consumers("nats://127.0.0.1:4222", [idem], stop, stream=stream, prefix=prefix)
        )
        for _ in range(100):  # at most 10 s
            await asyncio.sleep(0.1)
            if len(seen) >= 6:
                break
        stop.set()
        await task

    asyncio.run(consume())
    assert sorted(seen) == [0, 1, 2, 3, 4, 5] and _processed(engine) == 6


def test_worker_command_relays_in_process(fresh_db, monkeypatch) -> None:
    """`tradewind worker --seconds 1` (embedded broker) drains the outbox and stops."""
    from typer.testing import CliRunner

    from tradewind.platform.cli.main import app

    url = fresh_db("sqlite")
    upgrade(url)
    e = make_engine(url)
    _events(e, 3, event_type="OfferPriceChanged", product_id="prd-gone", offer_id="off-gone")
    out = CliRunner().invoke(app, ["worker", "--only", "search", "--seconds", "1"])
    assert out.exit_code == 0, out.output
    assert pending(e) == {}
    bad = CliRunner().invoke(app, ["worker", "--only", "nope", "--seconds", "1"])
    assert bad.exit_code == 2 and "unknown consumer" in bad.output
    e.dispose()
