"""NATS JetStream through FastStream: the relay's sink and the workers' subscriptions.

Stream settings (declared idempotently by both sides; docs/events.md explains them):

* ``TRADEWIND_EVENTS``, subjects ``tradewind.events.<EventType>``;
* file storage (survives a server restart; see the NATS docs on ``sync_interval`` before
  trusting an ack after a power loss: the server fsyncs every 2 minutes by default);
* ``duplicate_window`` 2 minutes: a message whose ``Nats-Msg-Id`` (the event id) the stream
  has stored in that window is dropped, so a relay that republishes after a crash does not
  store the event twice; consumers still deduplicate by event id for older repeats;
* limits retention, 7 days.

Each consumer name is a durable pull consumer: every worker process that runs it shares its
cursor (a consumer group), and a message is acked only after the handler's transaction
committed, so a worker killed mid-event sees it redelivered (``ack_wait`` 30 s).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

# FastStream resolves the handler's annotations at run time: the message type is imported at
# module level (this module is imported only when TRADEWIND_BROKER=nats: the `broker` extra).
from faststream.nats.annotations import NatsMessage

from tradewind.platform.bus.consumers import IdempotentConsumer
from tradewind.platform.bus.envelope import Envelope

STREAM = "TRADEWIND_EVENTS"
SUBJECT_PREFIX = "tradewind.events."
DUPLICATE_WINDOW_S = 120.0
MAX_AGE_S = 7 * 24 * 3600.0


def subject_of(event_type: str, prefix: str = SUBJECT_PREFIX) -> str:
    return prefix + event_type


def stream_config(stream: str = STREAM, prefix: str = SUBJECT_PREFIX) -> Any:
    from faststream.nats import JStream
    from nats.js.api import StorageType

    return JStream(
        stream,
        subjects=[prefix + ">"],
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_S,
        max_age=MAX_AGE_S,
    )


async def _declare(broker: Any, stream: str, prefix: str) -> None:
    from nats.js.api import StorageType, StreamConfig

    js = broker.connection.jetstream()
    config = StreamConfig(
        name=stream,
        subjects=[prefix + ">"],
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_S,
        max_age=MAX_AGE_S,
    )
    try:
        await js.add_stream(config)
    except Exception:  # exists with other settings: bring it in line
        await js.update_stream(config)


class NatsSink:
    """Publishes envelopes to JetStream and waits for every ack (the relay marks rows
    published only after that). One event loop and connection for the sink's life."""

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = 5.0,
        stream: str = STREAM,
        prefix: str = SUBJECT_PREFIX,
    ) -> None:
        from faststream.nats import NatsBroker

        self.url, self.timeout_s, self.stream, self.prefix = url, timeout_s, stream, prefix
        self.loop = asyncio.new_event_loop()
        self.broker = NatsBroker(url, connect_timeout=max(1, round(timeout_s)))
        self.loop.run_until_complete(self._start())

    async def _start(self) -> None:
        await self.broker.connect()
        await _declare(self.broker, self.stream, self.prefix)

    async def _publish(self, envelopes: Sequence[Envelope]) -> None:
        for e in envelopes:
            await self.broker.publish(
                e.to_json(),
                subject=subject_of(e.event_type, self.prefix),
                headers={"Nats-Msg-Id": e.event_id},
                stream=self.stream,
                timeout=self.timeout_s,
            )

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        self.loop.run_until_complete(self._publish(envelopes))

    def close(self) -> None:
        self.loop.run_until_complete(self.broker.stop())
        self.loop.close()


def _handler_for(c: IdempotentConsumer) -> Any:
    async def on_message(msg: NatsMessage) -> None:
        envelope = Envelope.from_json(msg.body)
        if envelope.event_type in c.consumer.handles:
            # the handler's transaction commits before FastStream acks (on return)
            await asyncio.to_thread(c.handle, envelope)

    return on_message


async def run_consumers(
    url: str,
    consumers: Sequence[IdempotentConsumer],
    stop: asyncio.Event,
    *,
    stream: str = STREAM,
    prefix: str = SUBJECT_PREFIX,
) -> None:
    """Subscribe each consumer as a durable pull consumer and handle events until ``stop``."""
    from faststream.nats import NatsBroker, PullSub

    broker = NatsBroker(url)
    for c in consumers:
        broker.subscriber(
            prefix + ">",
            stream=stream_config(stream, prefix),
            durable=c.consumer.name,
            pull_sub=PullSub(batch_size=50, timeout=1.0),
        )(_handler_for(c))
    await broker.connect()
    await _declare(broker, stream, prefix)
    await broker.start()
    try:
        await stop.wait()
    finally:
        await broker.stop()
