"""Actors and the append-only, hash-chained audit trail of a case."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ActorKind(StrEnum):
    SYSTEM = "system"  # a rule or detector acting automatically
    OPERATOR = "operator"  # a trust-and-safety investigator
    SELLER = "seller"  # the party a case is against (files appeals)


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    ref: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the trail; ``digest`` chains it to the previous line (tamper evidence)."""

    seq: int
    at: datetime
    actor: Actor
    event: str
    reason: str
    appeal_path: str
    prev_digest: str
    digest: str


GENESIS = "0" * 64


def _digest(seq: int, at: datetime, actor: Actor, event: str, reason: str, prev: str) -> str:
    raw = "\x1f".join([str(seq), at.isoformat(), str(actor), event, reason, prev])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class AuditTrail:
    """Append-only: entries can be added and read, never changed or removed."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: list[AuditEntry] = []

    def append(
        self, at: datetime, actor: Actor, event: str, reason: str, appeal_path: str = ""
    ) -> AuditEntry:
        if at.tzinfo is None:
            raise ValueError("audit timestamps must be timezone-aware")
        if not reason.strip():
            raise ValueError("every audit entry needs a reason")
        if self._entries and at < self._entries[-1].at:
            raise ValueError("audit entries must not go back in time")
        seq = len(self._entries)
        prev = self._entries[-1].digest if self._entries else GENESIS
        digest = _digest(seq, at, actor, event, reason, prev)
        entry = AuditEntry(seq, at, actor, event, reason, appeal_path, prev, digest)
        self._entries.append(entry)
        return entry

    @property
    def entries(self) -> tuple[AuditEntry, ...]:
        return tuple(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def verify_chain(entries: tuple[AuditEntry, ...]) -> bool:
    """True if the entries form an unbroken chain from the genesis digest."""
    prev = GENESIS
    for i, e in enumerate(entries):
        if e.seq != i or e.prev_digest != prev:
            return False
        if e.digest != _digest(e.seq, e.at, e.actor, e.event, e.reason, e.prev_digest):
            return False
        prev = e.digest
    return True
