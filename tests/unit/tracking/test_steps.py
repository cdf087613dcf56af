"""Physical steps become the documented EPCIS events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.identifiers import order_transaction
from tradewind.tracking.model import Action, AggregationEvent, ObjectEvent, TransformationEvent
from tradewind.tracking.steps import STEP_SPECS, PhysicalStep, Step, build_event
from tradewind.tracking.vocabulary import BizStep, BizTransactionType, Disposition

from .journeys import FC, HOME, PACKAGE_A, STATION, TOTE, UNIT_A, UNIT_B, at, step


def test_every_step_has_a_spec() -> None:
    """The vocabulary table covers every step kind."""
    assert set(STEP_SPECS) == set(Step)


def test_pick_is_an_object_event_at_the_fc_for_the_order() -> None:
    """Picking: ObjectEvent OBSERVE, BizStep-picking, Disp-in_progress, FC as both locations."""
    event = build_event(step(Step.PICK, 0, FC, epcs=(UNIT_A,), order_id="ord_A"))
    assert isinstance(event, ObjectEvent)
    assert event.action is Action.OBSERVE
    assert event.biz_step == "https://ref.gs1.org/cbv/BizStep-picking"
    assert event.disposition == "https://ref.gs1.org/cbv/Disp-in_progress"
    assert event.read_point == event.biz_location == FC
    assert [(bt.type, bt.value) for bt in event.biz_transactions] == [
        (BizTransactionType.PURCHASE_ORDER.value, order_transaction("ord_A"))
    ]
    assert event.event_id is None


def test_time_is_utc_with_the_local_offset() -> None:
    """Berlin 10:00 (+01:00 in November) is stored as 09:00Z with offset +01:00."""
    event = build_event(step(Step.SORT, 60, FC, epcs=(PACKAGE_A,)))
    assert event.event_time == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert event.time_zone_offset == "+01:00"
    india = timezone(timedelta(hours=5, minutes=30))
    moment = datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=india)
    event = build_event(PhysicalStep(step=Step.SORT, at=moment, location=FC, epcs=(PACKAGE_A,)))
    assert event.time_zone_offset == "+05:30"
    assert event.event_time.microsecond == 123000


def test_naive_times_are_rejected() -> None:
    """A naive datetime cannot be placed on the timeline."""
    with pytest.raises(InvalidEvent):
        build_event(
            PhysicalStep(step=Step.PICK, at=datetime(2026, 1, 1), location=FC, epcs=(UNIT_A,))
        )


def test_pack_and_load_are_aggregations() -> None:
    """Packing puts units into a package; loading puts packages into a container (ADD)."""
    pack = build_event(step(Step.PACK, 5, FC, parent=PACKAGE_A, epcs=(UNIT_A, UNIT_B)))
    load = build_event(step(Step.LOAD, 9, FC, parent=TOTE, epcs=(PACKAGE_A,)))
    assert isinstance(pack, AggregationEvent) and isinstance(load, AggregationEvent)
    assert (pack.action, pack.parent_id, pack.child_epcs) == (
        Action.ADD,
        PACKAGE_A,
        (UNIT_A, UNIT_B),
    )
    assert pack.biz_step == BizStep.PACKING and pack.disposition == Disposition.CONTAINER_CLOSED
    assert load.biz_step == BizStep.LOADING and load.epcs() == {TOTE, PACKAGE_A}


def test_unload_without_children_empties_the_parent() -> None:
    """UNLOAD with no EPCs is an AggregationEvent DELETE of everything in the parent."""
    event = build_event(step(Step.UNLOAD, 9, STATION, parent=TOTE))
    assert isinstance(event, AggregationEvent)
    assert event.action is Action.DELETE and event.child_epcs == ()


def test_in_transit_steps_have_no_business_location() -> None:
    """Departing/out-for-delivery leave bizLocation empty and name source and destination."""
    event = build_event(
        step(Step.OUT_FOR_DELIVERY, 0, STATION, epcs=(PACKAGE_A,), destination=HOME)
    )
    assert event.read_point == STATION and event.biz_location is None
    assert event.disposition == Disposition.IN_TRANSIT
    assert [d.value for d in event.destinations] == [HOME]
    assert [s.value for s in event.sources] == [STATION]


def test_custom_steps_use_tradewind_uris() -> None:
    """Customs and failed-delivery steps use the documented urn:tradewind URIs."""
    held = build_event(step(Step.CUSTOMS_HELD, 0, FC, epcs=(PACKAGE_A,), reason="risk_inspection"))
    failed = build_event(step(Step.DELIVERY_FAILED, 0, HOME, epcs=(PACKAGE_A,)))
    assert held.biz_step == "urn:tradewind:bizstep:customs_holding"
    assert held.disposition == "urn:tradewind:disp:customs_held"
    assert held.extension("tw:reason") == "risk_inspection"
    assert failed.biz_step == "urn:tradewind:bizstep:delivery_attempt_failed"


def test_repackage_is_a_transformation() -> None:
    """Repackaging consumes inputs and makes outputs (TransformationEvent, no action)."""
    event = build_event(
        PhysicalStep(step=Step.REPACKAGE, at=at(0), location=FC, epcs=(PACKAGE_A,), outputs=(TOTE,))
    )
    assert isinstance(event, TransformationEvent)
    assert (event.input_epcs, event.output_epcs) == ((PACKAGE_A,), (TOTE,))


@pytest.mark.parametrize(
    "bad",
    [
        step(Step.PACK, 0, FC, epcs=(UNIT_A,)),  # no parent
        step(Step.LOAD, 0, FC, parent=TOTE),  # nothing loaded
        step(Step.PICK, 0, FC),  # nothing picked
        step(Step.PICK, 0, FC, epcs=(UNIT_A,), parent=TOTE),  # parent on an object step
        step(Step.PICK, 0, FC, epcs=(UNIT_A, UNIT_A)),  # duplicate EPC
        step(Step.SORT, 0, FC, epcs=(PACKAGE_A,), destination=HOME),  # not a movement
        step(Step.PACK, 0, FC, parent=TOTE, epcs=(TOTE,)),  # contains itself
        step(Step.PICK, 0, "FC-BER1", epcs=(UNIT_A,)),  # raw id instead of an SGLN
        step(Step.PICK, 0, FC, epcs=("sku_123",)),  # raw id instead of an EPC
    ],
)
def test_invalid_steps_are_rejected(bad: PhysicalStep) -> None:
    """Malformed steps raise InvalidEvent instead of producing odd EPCIS."""
    with pytest.raises(InvalidEvent):
        build_event(bad)
