"""``tradewind worker``: the outbox relay and the event consumers, in a process of their own.

With the embedded default (``TRADEWIND_BROKER=inprocess``) one worker relays the outbox to
the consumers it runs. With ``TRADEWIND_BROKER=nats`` the relay publishes to JetStream and
each consumer is a durable pull consumer: start as many workers as you like (``--only`` picks
the consumers, ``--no-relay`` leaves relaying to another process); they share the work.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from signal import SIGINT, SIGTERM

import typer
from sqlalchemy import Engine

from tradewind.bootstrap import Container, bootstrap, event_consumers
from tradewind.platform.bus.consumers import IdempotentConsumer, LocalSink, select_consumers
from tradewind.platform.bus.outbox import OutboxRelay
from tradewind.platform.cli.output import console


def worker(
    only: str = typer.Option("", help="comma-separated consumer names (default: all)"),
    relay: bool = typer.Option(True, "--relay/--no-relay", help="also run the outbox relay"),
    seconds: float = typer.Option(0.0, min=0.0, help="stop after this long (0: until Ctrl-C)"),
    batch: int = typer.Option(500, min=1, max=10_000, help="outbox rows per relay batch"),
) -> None:
    """Run the outbox relay and event consumers (idempotent by event id) until stopped."""
    c = bootstrap()
    try:
        chosen = select_consumers(event_consumers(c), only.split(",") if only else None)
    except ValueError as exc:
        console.print(f"[red]error[/] {exc}")
        raise typer.Exit(2) from None
    consumers = [IdempotentConsumer(k, c.engine) for k in chosen]
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (SIGINT, SIGTERM)}
    if seconds:
        timer = threading.Timer(seconds, stop.set)
        timer.daemon = True
        timer.start()
    try:
        _work(c, consumers, relay, batch, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _work(
    c: Container,
    consumers: list[IdempotentConsumer],
    relay: bool,
    batch: int,
    stop: threading.Event,
) -> None:
    names = ", ".join(k.consumer.name for k in consumers) or "none"
    console.print(f"worker: broker {c.settings.broker}, consumers {names}, relay {relay}")
    if c.settings.broker == "nats":
        _run_nats(c.settings.nats_url, c.engine, consumers, relay, batch, stop)
    else:
        if relay:
            OutboxRelay(c.engine, LocalSink(consumers), batch=batch).run(stop)
        else:
            stop.wait()
    handled = sum(k.handled for k in consumers)
    skipped = sum(k.skipped for k in consumers)
    console.print(f"worker stopped: {handled} events handled, {skipped} duplicates skipped")


def _run_nats(
    url: str,
    engine: Engine,
    consumers: list[IdempotentConsumer],
    relay: bool,
    batch: int,
    stop: threading.Event,
) -> None:
    from tradewind.platform.bus.nats import NatsSink, run_consumers

    relay_thread = None
    if relay:
        sink = NatsSink(url)
        relayer = OutboxRelay(engine, sink, batch=batch)
        relay_thread = threading.Thread(target=relayer.run, args=(stop,), daemon=True)
        relay_thread.start()
    if consumers:

        async def main() -> None:
            done = asyncio.Event()
            loop = asyncio.get_running_loop()
            threading.Thread(
                target=lambda: (stop.wait(), loop.call_soon_threadsafe(done.set)), daemon=True
            ).start()
            await run_consumers(url, consumers, done)

        asyncio.run(main())
    else:
        while not stop.is_set():
            time.sleep(0.2)
    if relay_thread is not None:
        relay_thread.join(timeout=10)
