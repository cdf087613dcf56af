"""TrackingService: the calls the simulation, CLI and API make."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradewind.tracking.adapters import InMemoryEventStore
from tradewind.tracking.errors import NoTrackingEvents, TrackingError
from tradewind.tracking.services import TrackingService
from tradewind.tracking.steps import Step

from .journeys import FC, ITEM, STATION, UNIT_A, UNIT_B, at, step, two_orders_one_trailer


def test_record_hashes_and_stores_each_step(
    service: TrackingService, store: InMemoryEventStore
) -> None:
    """Each step becomes one stored event with an ni:/// id; re-recording adds nothing."""
    steps = two_orders_one_trailer()
    events = service.record(steps)
    assert len(events) == len(steps) == len(store)
    assert all(e.event_id and e.event_id.startswith("ni:///sha-256;") for e in events)
    assert service.record(steps) == events
    assert len(store) == len(steps)


def test_order_events_as_json_ld(service: TrackingService) -> None:
    """`track ORDER_ID --json` material: standalone EPCIS events in time order."""
    service.record(two_orders_one_trailer())
    events = service.order_events_jsonld("ord_A")
    assert events[0]["bizStep"] == "https://ref.gs1.org/cbv/BizStep-picking"
    assert all("@context" in e and "eventID" in e for e in events)
    assert [e["eventTime"] for e in events] == sorted(e["eventTime"] for e in events)


def test_unknown_order_raises_not_found(service: TrackingService) -> None:
    """No events for an order is a 404-style NoTrackingEvents with a stable code."""
    with pytest.raises(NoTrackingEvents) as caught:
        service.order_events("ord_missing")
    assert caught.value.code is TrackingError.NO_TRACKING_EVENTS
    assert caught.value.status == 404


def test_order_document_is_validated(service: TrackingService) -> None:
    """`epcis export --order` material: a schema-valid EPCISDocument created by the clock."""
    service.record(two_orders_one_trailer())
    document = service.order_document("ord_B")
    assert document["creationDate"] == "2026-11-28T12:00:00.000Z"
    assert len(document["epcisBody"]["eventList"]) == 7


def test_units_chain_and_location_queries(service: TrackingService) -> None:
    """Where the SKU's units are, one unit's chain, and a station's events in a window."""
    service.record(two_orders_one_trailer())
    assert set(service.units_of(ITEM)) == {UNIT_A, UNIT_B}
    assert service.chain_of_custody(UNIT_B)[0].biz_location == FC
    window = service.events_at(STATION, at(0), at(0) + timedelta(days=1))
    assert window and all(STATION in e.locations() for e in window)


def test_record_without_steps_is_a_no_op(service: TrackingService) -> None:
    """An empty batch records nothing."""
    assert service.record([]) == []
    assert service.record([step(Step.SORT, 0, FC, epcs=(UNIT_A,))])
