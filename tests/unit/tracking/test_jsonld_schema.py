"""EPCIS 2.0 JSON-LD export and validation against GS1's vendored JSON schema."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from tradewind.tracking.adapters import EpcisHashGeneratorHasher, JsonSchemaEpcisValidator
from tradewind.tracking.errors import InvalidEpcisDocument, InvalidEvent, TrackingError
from tradewind.tracking.jsonld import epcis_document, event_from_jsonld, event_to_jsonld
from tradewind.tracking.model import EpcisEvent
from tradewind.tracking.steps import PhysicalStep, Step, build_event

from .journeys import FC, PACKAGE_A, TOTE, UNIT_A, at, step, two_orders_one_trailer

CREATED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _events(hasher: EpcisHashGeneratorHasher) -> list[EpcisEvent]:
    steps = [
        *two_orders_one_trailer(),
        step(Step.CUSTOMS_HELD, 5000, FC, epcs=(PACKAGE_A,), reason="risk_inspection"),
        step(Step.DESTROY, 6000, FC, epcs=(UNIT_A,)),
        PhysicalStep(
            step=Step.REPACKAGE, at=at(7000), location=FC, epcs=(PACKAGE_A,), outputs=(TOTE,)
        ),
    ]
    drafts = [build_event(s) for s in steps]
    return [d.with_id(i) for d, i in zip(drafts, hasher.event_ids(drafts), strict=True)]


@pytest.fixture
def document(hasher: EpcisHashGeneratorHasher) -> dict[str, Any]:
    return epcis_document(_events(hasher), created=CREATED)


def test_document_shape(document: dict[str, Any]) -> None:
    """EPCISDocument with the EPCIS 2.0 context, schemaVersion 2.0 and a creationDate."""
    assert document["type"] == "EPCISDocument"
    assert document["schemaVersion"] == "2.0"
    assert document["creationDate"] == "2026-11-28T12:00:00.000Z"
    assert (
        document["@context"][0] == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    )
    first = document["epcisBody"]["eventList"][0]
    assert first["eventID"].startswith("ni:///sha-256;")
    assert first["eventTime"].endswith("Z") and first["eventTimeZoneOffset"] == "+01:00"


def test_exported_document_validates(
    document: dict[str, Any], validator: JsonSchemaEpcisValidator
) -> None:
    """Every step kind exported together passes GS1's EPCIS 2.0 JSON schema."""
    validator.validate(document)


def test_standalone_events_validate(
    hasher: EpcisHashGeneratorHasher, validator: JsonSchemaEpcisValidator
) -> None:
    """Single events with their own @context (the API's `events` items) validate too."""
    for event in _events(hasher):
        validator.validate(event_to_jsonld(event, with_context=True))


def test_json_round_trip(hasher: EpcisHashGeneratorHasher) -> None:
    """event_from_jsonld rebuilds exactly the event that was exported."""
    for event in _events(hasher):
        assert event_from_jsonld(event_to_jsonld(event)) == event


def test_foreign_json_is_rejected() -> None:
    """JSON that is not a Tradewind event raises InvalidEvent."""
    with pytest.raises(InvalidEvent):
        event_from_jsonld({"type": "ObjectEvent"})
    with pytest.raises(InvalidEvent):
        event_from_jsonld({"type": "Nope", "eventTime": "2026-01-01T00:00:00Z"})


def _break(document: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    event = broken["epcisBody"]["eventList"][2]
    if how == "no offset":
        del event["eventTimeZoneOffset"]
    elif how == "bad action":
        event["action"] = "MOVE"
    elif how == "typo field":
        event["bizstep"] = event.pop("bizStep")
    elif how == "bad time":
        event["eventTime"] = "yesterday"
    elif how == "bad epc":
        event["epcList"] = ["not a uri"]
    return broken


@pytest.mark.parametrize("how", ["no offset", "bad action", "typo field", "bad time", "bad epc"])
def test_broken_documents_are_rejected_with_a_clear_error(
    document: dict[str, Any], validator: JsonSchemaEpcisValidator, how: str
) -> None:
    """Schema violations raise InvalidEpcisDocument pointing at the offending event."""
    with pytest.raises(InvalidEpcisDocument) as caught:
        validator.validate(_break(document, how))
    error = caught.value
    assert error.code is TrackingError.INVALID_EPCIS_DOCUMENT
    assert error.errors and error.errors[0]["path"].startswith("/epcisBody/eventList/2")
    assert "/epcisBody/eventList/2" in error.detail


def test_document_without_context_is_rejected(
    document: dict[str, Any], validator: JsonSchemaEpcisValidator
) -> None:
    """@context is required."""
    del document["@context"]
    with pytest.raises(InvalidEpcisDocument, match="@context"):
        validator.validate(document)
