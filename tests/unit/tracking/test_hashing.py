"""EPCIS event hash ids through the epcis-event-hash-generator adapter."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tradewind.tracking.adapters import EpcisHashGeneratorHasher
from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.jsonld import event_to_jsonld
from tradewind.tracking.steps import Step, build_event

from .journeys import (
    FC,
    HOME,
    PACKAGE_A,
    STATION,
    TOTE,
    UNIT_A,
    UNIT_B,
    step,
    two_orders_one_trailer,
)

# The reference example published with the hash algorithm
# (github.com/RalphTro/epcis-event-hash-generator, tests/examples/ReferenceEventHashAlgorithm.*):
# the event, its context and the expected hash, restated here as test data.
REFERENCE_DOCUMENT: dict[str, Any] = {
    "@context": [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        {"gs1": "https://gs1.org/voc/"},
        {"example": "https://ns.example.com/epcis/"},
    ],
    "type": "EPCISDocument",
    "schemaVersion": "2.0",
    "creationDate": "2022-02-17T11:30:47.0Z",
    "epcisBody": {
        "eventList": [
            {
                "type": "ObjectEvent",
                "eventTime": "2020-03-04T11:00:30.000+01:00",
                "eventTimeZoneOffset": "+01:00",
                "recordTime": "2020-03-04T11:00:30.999+01:00",
                "epcList": [
                    "urn:epc:id:sscc:4012345.0000000333",
                    "urn:epc:id:sscc:4012345.0000000111",
                    "urn:epc:id:sscc:4012345.0000000222",
                ],
                "action": "OBSERVE",
                "bizStep": "departing",
                "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
                "example:myField1": {"example:mySubField1": "2", "example:mySubField2": "5"},
                "example:myField2": "0",
                "example:myField3": {"example:mySubField3": ["3", "1"]},
            }
        ]
    },
}
REFERENCE_HASH = (
    "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0"
)


def _shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON with keys and lists in random order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        items = [_shuffled(v, rng) for v in value]
        rng.shuffle(items)
        return items
    return value


def test_reference_example_hash(hasher: EpcisHashGeneratorHasher) -> None:
    """The adapter reproduces the published reference hash."""
    assert hasher.ids_for_document(REFERENCE_DOCUMENT) == [REFERENCE_HASH]


def test_same_event_same_id(hasher: EpcisHashGeneratorHasher) -> None:
    """Building the same step twice gives the same id; ids look like ni:///sha-256;..."""
    first = build_event(step(Step.PICK, 0, FC, epcs=(UNIT_A, UNIT_B), order_id="ord_A"))
    again = build_event(step(Step.PICK, 0, FC, epcs=(UNIT_A, UNIT_B), order_id="ord_A"))
    ids = hasher.event_ids([first, again])
    assert ids[0] == ids[1]
    assert ids[0].startswith("ni:///sha-256;") and ids[0].endswith("?ver=CBV2.0")
    assert len(ids[0]) == len("ni:///sha-256;?ver=CBV2.0") + 64


def test_field_and_list_order_do_not_matter(hasher: EpcisHashGeneratorHasher) -> None:
    """Shuffling keys and EPC lists of the JSON-LD leaves every id unchanged."""
    events = [build_event(s) for s in two_orders_one_trailer()]
    plain = [event_to_jsonld(e) for e in events]
    rng = random.Random(0)
    shuffled = [_shuffled(e, rng) for e in plain]
    assert hasher.ids_for_jsonld(shuffled) == hasher.ids_for_jsonld(plain)
    assert hasher.ids_for_jsonld(list(reversed(plain))) == list(
        reversed(hasher.ids_for_jsonld(plain))
    )


def test_fast_path_matches_the_full_algorithm(hasher: EpcisHashGeneratorHasher) -> None:
    """Skipping JSON-LD expansion for Tradewind events changes no id, for every step kind."""
    events = [build_event(s) for s in two_orders_one_trailer()]
    events += [
        build_event(step(kind, 0, FC, epcs=(PACKAGE_A,), reason="duty_unpaid"))
        for kind in (Step.CUSTOMS_DECLARED, Step.CUSTOMS_HELD, Step.CUSTOMS_REFUSED)
    ]
    events += [build_event(step(Step.RETURN_RECEIVED, 0, FC, epcs=(PACKAGE_A,)))]
    plain = [event_to_jsonld(e) for e in events]
    assert hasher.event_ids(events) == hasher.ids_for_jsonld(plain, full_uris_only=False)


def test_event_id_and_record_time_are_not_hashed(hasher: EpcisHashGeneratorHasher) -> None:
    """An event carrying its id (or a recordTime) hashes to that same id."""
    event = build_event(step(Step.SORT, 1, FC, epcs=(PACKAGE_A,)))
    [event_id] = hasher.event_ids([event])
    with_id = event_to_jsonld(event.with_id(event_id))
    with_id["recordTime"] = "2030-01-01T00:00:00.000Z"
    assert hasher.ids_for_jsonld([with_id]) == [event_id]


def test_bare_cbv_words_hash_like_full_uris(hasher: EpcisHashGeneratorHasher) -> None:
    """ "departing" and https://ref.gs1.org/cbv/BizStep-departing are the same event."""
    event = event_to_jsonld(
        build_event(step(Step.DEPART, 0, FC, epcs=(TOTE,), destination=STATION))
    )
    bare = dict(event, bizStep="departing", disposition="in_transit")
    assert hasher.ids_for_jsonld([bare]) == hasher.ids_for_jsonld([event])


def test_any_field_change_changes_the_id(hasher: EpcisHashGeneratorHasher) -> None:
    """Time, objects, step, location and extension fields all feed the hash."""
    variants = [
        step(Step.DELIVERY_FAILED, 0, HOME, epcs=(PACKAGE_A,), reason="recipient_absent"),
        step(Step.DELIVERY_FAILED, 0, HOME, epcs=(PACKAGE_A,), reason="access_denied"),
        step(Step.DELIVERY_FAILED, 1, HOME, epcs=(PACKAGE_A,), reason="recipient_absent"),
        step(Step.DELIVERY_FAILED, 0, STATION, epcs=(PACKAGE_A,), reason="recipient_absent"),
        step(Step.DELIVERY_FAILED, 0, HOME, epcs=(TOTE,), reason="recipient_absent"),
        step(Step.DELIVERED, 0, HOME, epcs=(PACKAGE_A,)),
    ]
    ids = hasher.event_ids([build_event(s) for s in variants])
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "broken",
    [{"type": 5}, {"type": "ObjectEvent", "readPoint": {"id": None}}],
)
def test_unhashable_event_is_reported(
    hasher: EpcisHashGeneratorHasher, broken: dict[str, Any]
) -> None:
    """JSON the generator cannot canonicalise raises InvalidEvent, not a library error."""
    with pytest.raises(InvalidEvent):
        hasher.ids_for_jsonld([broken])
