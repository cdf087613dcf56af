"""Tracking use cases: record physical steps as hashed EPCIS events, answer trace queries.

``TrackingService`` is what the simulation, the CLI (``track``, ``epcis export``) and the API
(``GET /api/v1/orders/{id}/tracking``) call; ``bootstrap`` wires its ports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tradewind.shared.clock import Clock
from tradewind.tracking.errors import InvalidEvent, NoTrackingEvents
from tradewind.tracking.identifiers import Gtin, order_transaction
from tradewind.tracking.jsonld import epcis_document, event_to_jsonld
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.ports import DocumentValidator, EventHasher, EventStore
from tradewind.tracking.queries import Whereabouts
from tradewind.tracking.steps import PhysicalStep, build_event


class TrackingService:
    """Records steps and answers trace queries over an ``EventStore``.

    Parameters
    ----------
    store, hasher
        Where events go and how their ``eventID`` is computed.
    clock
        Supplies ``creationDate`` of exported documents.
    validator
        When given, every exported document is checked against GS1's EPCIS 2.0 JSON schema.
    """

    def __init__(
        self,
        store: EventStore,
        hasher: EventHasher,
        clock: Clock,
        validator: DocumentValidator | None = None,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._validator = validator

    # --- commands -------------------------------------------------------------------------

    def record(self, steps: Sequence[PhysicalStep]) -> list[EpcisEvent]:
        """Build, hash and store one event per step (in order); returns the stored events.

        Batch the steps of a tick: hashing is much cheaper per event in one call.
        """
        return self.record_events([build_event(step) for step in steps])

    def record_events(self, drafts: Sequence[EpcisEvent]) -> list[EpcisEvent]:
        """Hash and store events built elsewhere (e.g. a hand-made TransformationEvent)."""
        if not drafts:
            return []
        ids = self._hasher.event_ids(drafts)
        if len(ids) != len(drafts):
            raise InvalidEvent(f"hasher returned {len(ids)} ids for {len(drafts)} events")
        events = [draft.with_id(event_id) for draft, event_id in zip(drafts, ids, strict=True)]
        self._store.add(events)
        return events

    # --- queries ---------------------------------------------------------------------------

    def order_events(self, order_id: str) -> list[EpcisEvent]:
        """The order's chain of custody in time order; ``NoTrackingEvents`` if none."""
        events = self._store.order_chain(order_transaction(order_id))
        if not events:
            raise NoTrackingEvents(f"no tracking events for order {order_id}")
        return events

    def order_events_jsonld(self, order_id: str) -> list[dict[str, Any]]:
        """``order_events`` as standalone EPCIS JSON-LD event objects (each with @context)."""
        return [event_to_jsonld(e, with_context=True) for e in self.order_events(order_id)]

    def order_document(self, order_id: str) -> dict[str, Any]:
        """An EPCIS 2.0 EPCISDocument of the order's chain of custody (validated if possible)."""
        return self.document(self.order_events(order_id))

    def document(self, events: Sequence[EpcisEvent]) -> dict[str, Any]:
        """Wrap ``events`` in an EPCISDocument created now; validated when a validator is set."""
        doc = epcis_document(events, created=self._clock.now())
        if self._validator is not None:
            self._validator.validate(doc)
        return doc

    def chain_of_custody(self, epc: str) -> list[EpcisEvent]:
        """Full history of one unit, package, container or trailer (aggregation-aware)."""
        return self._store.chain_of_custody([epc])

    def units_of(self, gtin: Gtin) -> dict[str, Whereabouts]:
        """Where every serialised unit of an item (SKU) is now, keyed by EPC."""
        return self._store.whereabouts_of_class(gtin.epc_class)

    def events_at(self, location: str, start: datetime, end: datetime) -> list[EpcisEvent]:
        """Events at an SGLN (``identifiers.sgln``) with start <= eventTime < end."""
        return self._store.events_at(location, start, end)
