"""Consumers of relayed events, idempotent by event id.

A consumer has a name, the event types it handles and a handler. ``IdempotentConsumer`` runs
the handler and records ``(consumer, event_id)`` in ``processed_events`` in one transaction
on the handler's own connection: a redelivered event (at-least-once) is skipped, and a
handler whose writes roll back is not recorded, so it runs again. Side effects outside the
database (a search index) must themselves be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from tradewind.platform.bus.envelope import Envelope
from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import WRITE, write_lock

Handler = Callable[[Envelope, Connection], None]


@dataclass(frozen=True)
class Consumer:
    name: str
    handles: frozenset[str]
    handler: Handler


@dataclass
class IdempotentConsumer:
    consumer: Consumer
    engine: Engine
    handled: int = 0
    skipped: int = 0

    def handle(self, envelope: Envelope) -> bool:
        """True when the handler ran; False when this consumer had seen the event (then its
        effects, if it ran concurrently with another worker of this consumer, roll back)."""
        pe = t.processed_events.c
        try:
            with write_lock(self.engine), self.engine.connect() as conn:
                conn = conn.execution_options(**WRITE)
                with conn.begin():
                    seen = conn.execute(
                        select(pe.event_id).where(
                            pe.consumer == self.consumer.name, pe.event_id == envelope.event_id
                        )
                    ).first()
                    if seen is not None:
                        raise _AlreadyHandled()
                    self.consumer.handler(envelope, conn)
                    try:
                        conn.execute(
                            insert(t.processed_events).values(
                                consumer=self.consumer.name,
                                event_id=envelope.event_id,
                                processed_at=datetime.now(UTC),
                            )
                        )
                    except IntegrityError:  # another worker of this consumer got there first
                        raise _AlreadyHandled() from None
        except _AlreadyHandled:
            self.skipped += 1
            return False
        self.handled += 1
        return True


class _AlreadyHandled(Exception):
    """Raised inside the transaction so that a duplicate's effects roll back."""


@dataclass
class LocalSink:
    """The relay's sink without a broker: each event goes to this process's consumers that
    handle its type (the embedded default; also what tests use)."""

    consumers: Sequence[IdempotentConsumer] = field(default_factory=list)

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            for c in self.consumers:
                if envelope.event_type in c.consumer.handles:
                    c.handle(envelope)


def select_consumers(available: Iterable[Consumer], only: Iterable[str] | None) -> list[Consumer]:
    """The consumers named in ``only`` (all when None); an unknown name is an error."""
    by_name = {c.name: c for c in available}
    if only is None:
        return list(by_name.values())
    wanted = [n.strip() for n in only if n.strip()]
    unknown = sorted(set(wanted) - set(by_name))
    if unknown:
        raise ValueError(f"unknown consumer(s) {unknown}: known are {sorted(by_name)}")
    return [by_name[n] for n in wanted]
