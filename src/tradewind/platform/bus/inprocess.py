"""In-process message bus: a command goes to its one handler, then the events the handler
committed go to their subscribers (after commit, so a failing subscriber never undoes a sale;
the outbox row is the durable copy for out-of-process consumers)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from tradewind.shared.events import Command, Event

log = logging.getLogger(__name__)


class EventSource(Protocol):
    def collect_new_events(self) -> list[Event]: ...


Handler = Callable[[Any, Any], Any]
Subscriber = Callable[[Event], None]


class MessageBus:
    def __init__(
        self,
        uow_factory: Callable[[], EventSource],
        handlers: dict[type[Command], Handler],
        subscribers: dict[type[Event], list[Subscriber]] | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.handlers = handlers
        self.subscribers = subscribers or {}

    def handle(self, command: Command) -> Any:
        handler = self.handlers.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for {type(command).__name__}")
        uow = self.uow_factory()
        result = handler(command, uow)
        self.publish(uow.collect_new_events())
        return result

    def publish(self, events: list[Event]) -> None:
        for event in events:
            for subscriber in self.subscribers.get(type(event), []):
                try:
                    subscriber(event)
                except Exception:  # a subscriber's failure must not fail the command
                    log.exception("subscriber %s failed on %s", subscriber, event.name)
