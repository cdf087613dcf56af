"""In-memory ``EventStore``: the fake for unit tests and small simulations.

It indexes events by EPC, business transaction, item class and location, fetches candidates the
way a SQL store would (``queries.gather_candidates``) and leaves the semantics to
``tradewind.tracking.queries``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from tradewind.tracking import queries
from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.identifiers import epc_class
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.queries import Whereabouts


class InMemoryEventStore:
    """Append-only list of events plus indexes of recording sequence numbers."""

    def __init__(self) -> None:
        self._events: list[EpcisEvent] = []
        self._ids: set[str] = set()
        self._by_epc: dict[str, list[int]] = {}
        self._by_transaction: dict[str, list[int]] = {}
        self._by_location: dict[str, list[int]] = {}
        self._units_by_class: dict[str, set[str]] = {}
        self.fetches = 0
        """How many candidate fetches queries made (a SQL store would run one query each)."""

    def add(self, events: Sequence[EpcisEvent]) -> int:
        added = 0
        for event in events:
            if event.event_id is None:
                raise InvalidEvent("only hashed events (with an event_id) can be stored")
            if event.event_id in self._ids:
                continue
            seq = len(self._events)
            self._events.append(event)
            self._ids.add(event.event_id)
            for epc in event.epcs():
                self._by_epc.setdefault(epc, []).append(seq)
                item_class = epc_class(epc)
                if item_class is not None:
                    self._units_by_class.setdefault(item_class, set()).add(epc)
            for transaction in event.transaction_ids():
                self._by_transaction.setdefault(transaction, []).append(seq)
            for location in event.locations():
                self._by_location.setdefault(location, []).append(seq)
            added += 1
        return added

    def __len__(self) -> int:
        return len(self._events)

    def all_events(self) -> list[EpcisEvent]:
        """Every event in recording order."""
        return list(self._events)

    def _fetch(self, epcs: frozenset[str]) -> Iterable[tuple[int, EpcisEvent]]:
        self.fetches += 1
        seqs = sorted({seq for epc in epcs for seq in self._by_epc.get(epc, ())})
        return [(seq, self._events[seq]) for seq in seqs]

    def _candidates(self, epcs: Collection[str]) -> list[EpcisEvent]:
        return queries.gather_candidates(epcs, self._fetch)

    def chain_of_custody(self, epcs: Collection[str]) -> list[EpcisEvent]:
        return queries.chain_of_custody(self._candidates(epcs), epcs)

    def order_chain(self, transaction: str) -> list[EpcisEvent]:
        tagged = (self._events[seq] for seq in self._by_transaction.get(transaction, ()))
        epcs = queries.transaction_epcs(tagged, transaction)
        return queries.order_chain(self._candidates(epcs), transaction)

    def whereabouts_of_class(self, epc_class: str) -> dict[str, Whereabouts]:
        epcs = self._units_by_class.get(epc_class, set())
        return queries.whereabouts(self._candidates(epcs), epcs)

    def events_at(self, location: str, start: datetime, end: datetime) -> list[EpcisEvent]:
        events = (self._events[seq] for seq in self._by_location.get(location, ()))
        return queries.events_at_location(events, location, start, end)
