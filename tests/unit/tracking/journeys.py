"""Small, named tracking scenarios shared by the tracking tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tradewind.tracking.identifiers import (
    CONTAINER_EXTENSION_DIGIT,
    Gtin,
    LocationKind,
    giai,
    sgln,
    sgtin,
    sscc,
)
from tradewind.tracking.steps import PhysicalStep, Step

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)

FC = sgln(LocationKind.FULFILLMENT_CENTER, "FC-BER1")
SORT = sgln(LocationKind.SORT_CENTER, "SC-LEJ1")
STATION = sgln(LocationKind.DELIVERY_STATION, "DS-HAM2")
HOME = sgln(LocationKind.CUSTOMER_ADDRESS, "adr_0001")
NEIGHBOUR = sgln(LocationKind.CUSTOMER_ADDRESS, "adr_0002")

ITEM = Gtin.tradewind(42)
UNIT_A = sgtin(ITEM, "A1")
UNIT_B = sgtin(ITEM, "B2")
PACKAGE_A = sscc(1)
PACKAGE_B = sscc(2)
TOTE = sscc(1, CONTAINER_EXTENSION_DIGIT)
TRAILER = giai("TRL-7")


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def step(
    kind: Step,
    minutes: int,
    location: str,
    *,
    epcs: tuple[str, ...] = (),
    parent: str | None = None,
    order_id: str | None = None,
    destination: str | None = None,
    reason: str | None = None,
) -> PhysicalStep:
    """A step ``minutes`` after START (Berlin local time)."""
    return PhysicalStep(
        step=kind,
        at=at(minutes),
        location=location,
        epcs=epcs,
        parent=parent,
        order_id=order_id,
        destination=destination,
        reason=reason,
    )


def two_orders_one_trailer() -> list[PhysicalStep]:
    """Order ord_A (UNIT_A in PACKAGE_A) and ord_B (UNIT_B in PACKAGE_B) share a tote and a
    trailer from FC to the delivery station; A is delivered after a failed attempt, B stays
    at the station."""

    return [
        step(Step.RECEIVE_INBOUND, -600, FC, epcs=(UNIT_A, UNIT_B)),
        step(Step.STOW, -590, FC, epcs=(UNIT_A, UNIT_B)),
        step(Step.PICK, 0, FC, epcs=(UNIT_A,), order_id="ord_A"),
        step(Step.PACK, 5, FC, parent=PACKAGE_A, epcs=(UNIT_A,), order_id="ord_A"),
        step(Step.PICK, 6, FC, epcs=(UNIT_B,), order_id="ord_B"),
        step(Step.PACK, 8, FC, parent=PACKAGE_B, epcs=(UNIT_B,), order_id="ord_B"),
        step(Step.SORT, 10, FC, epcs=(PACKAGE_A,)),
        step(Step.LOAD, 12, FC, parent=TOTE, epcs=(PACKAGE_A,)),
        step(Step.LOAD, 13, FC, parent=TOTE, epcs=(PACKAGE_B,)),
        step(Step.LOAD, 15, FC, parent=TRAILER, epcs=(TOTE,)),
        step(Step.DEPART, 20, FC, epcs=(TRAILER,), destination=STATION),
        step(Step.ARRIVE, 200, STATION, epcs=(TRAILER,)),
        step(Step.UNLOAD, 205, STATION, parent=TRAILER),
        step(Step.UNPACK, 210, STATION, parent=TOTE, epcs=(PACKAGE_A,)),
        step(Step.ARRIVE_AT_DELIVERY_STATION, 211, STATION, epcs=(PACKAGE_A,)),
        step(Step.OUT_FOR_DELIVERY, 300, STATION, epcs=(PACKAGE_A,), destination=HOME),
        step(Step.DELIVERY_FAILED, 360, HOME, epcs=(PACKAGE_A,), reason="recipient_absent"),
        step(Step.DELIVERED, 1800, HOME, epcs=(PACKAGE_A,)),
        # The trailer's next trip happens without the tote: not part of A's or B's custody.
        step(Step.DEPART, 2000, STATION, epcs=(TRAILER,), destination=SORT),
    ]
