"""An event as it leaves the transaction: the outbox row's id is the event id (the key every
consumer deduplicates on), its type and payload are what the domain event recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Envelope:
    event_id: str
    event_type: str
    payload: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None

    def __getattr__(self, name: str) -> Any:
        """Consumers read an event's fields by name, as on the domain event."""
        try:
            return self.payload[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def name(self) -> str:
        return self.event_type

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "event_id": self.event_id,
                "event_type": self.event_type,
                "payload": self.payload,
                "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, data: bytes | str) -> Envelope:
        raw = json.loads(data)
        at = raw.get("occurred_at")
        return cls(
            str(raw["event_id"]),
            str(raw["event_type"]),
            dict(raw.get("payload") or {}),
            datetime.fromisoformat(at) if at else None,
        )


def event_id_of(outbox_id: int) -> str:
    """The outbox row id as an event id (stable across relays and redeliveries)."""
    return f"evt-{outbox_id}"
