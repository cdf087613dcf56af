"""The outbox relay: publishes every committed domain event, at least once.

Writers put events in the ``outbox`` table in the transaction that caused them (the unit of
work does it), so an event exists exactly when its change does. The relay reads unpublished
rows in id order, hands them to a sink (NATS JetStream, or consumers in this process) and
marks them published in the same transaction. A crash after the sink accepted a batch but
before the mark commits sends that batch again: consumers are idempotent by event id
(``consumers.py``), and JetStream drops a message whose ``Nats-Msg-Id`` it has already
stored within the stream's duplicate window.

Several relays may run at once on PostgreSQL: each claims its batch with ``FOR UPDATE SKIP
LOCKED`` for as long as the sink takes it. On SQLite (one writer) the relay reads a batch,
publishes it with no transaction open and then marks it; run one relay per SQLite database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, func, select, update

from tradewind.platform.bus.envelope import Envelope, event_id_of
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import WRITE, write_lock

log = logging.getLogger(__name__)


class EventSink(Protocol):
    """Where relayed events go. ``publish`` returns only when every envelope is accepted
    (stored by the broker, or handled by the local consumers); it raises otherwise."""

    def publish(self, envelopes: Sequence[Envelope]) -> None: ...


class OutboxRelay:
    def __init__(self, engine: Engine, sink: EventSink, *, batch: int = 500) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.engine, self.sink, self.batch = engine, sink, batch

    def relay_once(self) -> int:
        """Publish one batch of unpublished events; the number published."""
        o = t.outbox.c
        query = (
            select(o.id, o.event_type, o.payload, o.created_at)
            .where(o.published_at.is_(None))
            .order_by(o.id)
            .limit(self.batch)
        )
        if self.engine.dialect.name == "postgresql":
            # One transaction: the claimed rows stay locked while the sink takes them, so
            # concurrent relays skip them instead of sending them twice.
            with self.engine.begin() as conn:
                rows = conn.execute(query.with_for_update(skip_locked=True)).all()
                if rows:
                    self.sink.publish(_envelopes(rows))
                    _mark(conn, [r.id for r in rows])
            return len(rows)
        # SQLite has one writer: read, publish with no transaction open (a local consumer
        # writes too), then mark. A crash in between publishes the batch again (deduplicated).
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return 0
        self.sink.publish(_envelopes(rows))
        with write_lock(self.engine), self.engine.connect() as conn:
            conn = conn.execution_options(**WRITE)
            with conn.begin():
                _mark(conn, [r.id for r in rows])
        return len(rows)

    def drain(self) -> int:
        """Relay until nothing is pending; the number published."""
        total = 0
        while n := self.relay_once():
            total += n
        return total

    def run(self, stop: threading.Event, *, idle_s: float = 0.5) -> None:
        """Relay until ``stop`` is set, sleeping ``idle_s`` when nothing is pending; a failed
        batch (broker down) is retried after the same pause, nothing is lost."""
        while not stop.is_set():
            try:
                sent = self.relay_once()
            except Exception:  # the broker or the database is away: keep the rows, retry
                log.exception("outbox relay: batch failed, retrying")
                sent = 0
            if not sent:
                stop.wait(idle_s)


def _envelopes(rows: Sequence[Any]) -> list[Envelope]:
    return [Envelope(event_id_of(r.id), r.event_type, dict(r.payload), r.created_at) for r in rows]


def _mark(conn: Connection, ids: list[int]) -> None:
    o = t.outbox.c
    conn.execute(
        update(t.outbox)
        .where(o.id.in_(ids), o.published_at.is_(None))
        .values(published_at=datetime.now(UTC))
    )


def outbox_summary(conn: Connection, now: datetime) -> dict[str, dict[str, Any]]:
    """Per event type: total, published, pending and the age of the oldest pending event
    (what ``tradewind check`` reports and operators watch)."""
    ob = t.outbox.c
    rows = conn.execute(
        select(
            ob.event_type,
            func.count(),
            func.count(ob.published_at),
            func.min(ob.created_at),
        )
        .group_by(ob.event_type)
        .order_by(ob.event_type)
    ).all()
    unpublished_oldest = dict(
        conn.execute(
            select(ob.event_type, func.min(ob.created_at))
            .where(ob.published_at.is_(None))
            .group_by(ob.event_type)
        ).all()
    )
    out: dict[str, dict[str, Any]] = {}
    for kind, total, published, _ in rows:
        oldest = unpublished_oldest.get(kind)
        out[kind] = {
            "total": int(total),
            "published": int(published),
            "pending": int(total) - int(published),
            "oldest_pending_age_s": round((now - _aware(oldest)).total_seconds())
            if oldest is not None
            else None,
        }
    return out


def pending(engine: Engine) -> dict[str, int]:
    """Unpublished events per type (types with none left out)."""
    with engine.connect() as conn:
        summary = outbox_summary(conn, datetime.now(UTC))
    return {kind: s["pending"] for kind, s in summary.items() if s["pending"]}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
