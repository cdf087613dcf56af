"""What the tracking context needs from the outside world."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.queries import Whereabouts


class EventHasher(Protocol):
    """Computes EPCIS event hash ids (``ni:///sha-256;<hex>?ver=CBV2.0``)."""

    def event_ids(self, events: Sequence[EpcisEvent]) -> list[str]:
        """One id per event, in order. Equal events get equal ids; ``event_id`` is ignored."""
        ...


class DocumentValidator(Protocol):
    """Checks an EPCIS 2.0 JSON-LD document against GS1's JSON schema."""

    def validate(self, document: Mapping[str, Any]) -> None:
        """Return if valid, else raise ``InvalidEpcisDocument`` listing every violation."""
        ...


class EventStore(Protocol):
    """Append-only store of hashed EPCIS events with the trace queries.

    Query semantics are those of ``tradewind.tracking.queries`` (aggregation-aware custody,
    time order with ties in recording order); adapters fetch candidates and may reuse those
    functions.
    """

    def add(self, events: Sequence[EpcisEvent]) -> int:
        """Append events that have an ``event_id``; ids already stored are skipped (the hash
        makes re-recording idempotent). Returns how many were new."""
        ...

    def chain_of_custody(self, epcs: Collection[str]) -> list[EpcisEvent]:
        """Events of the EPCs and of the containers they were in while inside, by time."""
        ...

    def order_chain(self, transaction: str) -> list[EpcisEvent]:
        """``queries.order_chain`` for a purchase-order URI (``identifiers.order_transaction``)."""
        ...

    def whereabouts_of_class(self, epc_class: str) -> dict[str, Whereabouts]:
        """Where every unit of an item class (``Gtin.epc_class``, i.e. a SKU) is now."""
        ...

    def events_at(self, location: str, start: datetime, end: datetime) -> list[EpcisEvent]:
        """Events read at or placed in ``location`` (an SGLN) with start <= eventTime < end."""
        ...
