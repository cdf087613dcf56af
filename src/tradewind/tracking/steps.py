"""Physical steps of the network and the EPCIS event each one becomes.

The simulation (and later the real handlers) describe what happened with a ``PhysicalStep``;
``build_event`` turns it into a draft EPCIS event (no ``eventID`` yet). ``STEP_SPECS`` is the
vocabulary table that ``docs/tracking.md`` documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, TypedDict

from tradewind.tracking.errors import InvalidEvent
from tradewind.tracking.identifiers import order_transaction, return_transaction
from tradewind.tracking.model import (
    Action,
    AggregationEvent,
    BizTransaction,
    EpcisEvent,
    ObjectEvent,
    SourceDest,
    TransformationEvent,
    offset_of,
    utc_millis,
)
from tradewind.tracking.vocabulary import BizStep, BizTransactionType, Disposition, SourceDestType


class Step(StrEnum):
    RECEIVE_INBOUND = "receive_inbound"
    STOW = "stow"
    PICK = "pick"
    PACK = "pack"
    SORT = "sort"
    LOAD = "load"
    UNLOAD = "unload"
    UNPACK = "unpack"
    DEPART = "depart"
    ARRIVE = "arrive"
    ARRIVE_AT_DELIVERY_STATION = "arrive_at_delivery_station"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    RETURN_DISPATCHED = "return_dispatched"
    RETURN_RECEIVED = "return_received"
    CUSTOMS_DECLARED = "customs_declared"
    CUSTOMS_HELD = "customs_held"
    CUSTOMS_CLEARED = "customs_cleared"
    CUSTOMS_REFUSED = "customs_refused"
    REPACKAGE = "repackage"
    DESTROY = "destroy"


class Shape(StrEnum):
    OBJECT = "ObjectEvent"
    AGGREGATION = "AggregationEvent"
    TRANSFORMATION = "TransformationEvent"


@dataclass(frozen=True, slots=True)
class StepSpec:
    """How one physical step is recorded.

    ``in_transit`` steps have a read point but no business location: after them the objects
    are on the move (CBV: bizLocation is where the objects are *expected to be* afterwards).
    """

    shape: Shape
    action: Action | None
    biz_step: BizStep
    disposition: Disposition | None
    in_transit: bool = False


_O, _A, _T = Shape.OBJECT, Shape.AGGREGATION, Shape.TRANSFORMATION
_ADD, _OBS, _DEL = Action.ADD, Action.OBSERVE, Action.DELETE
_B, _D = BizStep, Disposition

STEP_SPECS: Final[dict[Step, StepSpec]] = {
    Step.RECEIVE_INBOUND: StepSpec(_O, _OBS, _B.RECEIVING, _D.SELLABLE_NOT_ACCESSIBLE),
    Step.STOW: StepSpec(_O, _OBS, _B.STORING, _D.SELLABLE_ACCESSIBLE),
    Step.PICK: StepSpec(_O, _OBS, _B.PICKING, _D.IN_PROGRESS),
    Step.PACK: StepSpec(_A, _ADD, _B.PACKING, _D.CONTAINER_CLOSED),
    Step.SORT: StepSpec(_O, _OBS, _B.STAGING_OUTBOUND, _D.IN_PROGRESS),
    Step.LOAD: StepSpec(_A, _ADD, _B.LOADING, _D.IN_PROGRESS),
    Step.UNLOAD: StepSpec(_A, _DEL, _B.UNLOADING, _D.IN_PROGRESS),
    Step.UNPACK: StepSpec(_A, _DEL, _B.UNPACKING, _D.CONTAINER_OPEN),
    Step.DEPART: StepSpec(_O, _OBS, _B.DEPARTING, _D.IN_TRANSIT, in_transit=True),
    Step.ARRIVE: StepSpec(_O, _OBS, _B.ARRIVING, _D.IN_PROGRESS),
    Step.ARRIVE_AT_DELIVERY_STATION: StepSpec(_O, _OBS, _B.RECEIVING, _D.IN_PROGRESS),
    Step.OUT_FOR_DELIVERY: StepSpec(_O, _OBS, _B.DEPARTING, _D.IN_TRANSIT, in_transit=True),
    Step.DELIVERED: StepSpec(_O, _OBS, _B.ACCEPTING, _D.DELIVERED),
    Step.DELIVERY_FAILED: StepSpec(
        _O, _OBS, _B.DELIVERY_ATTEMPT_FAILED, _D.IN_TRANSIT, in_transit=True
    ),
    Step.RETURN_DISPATCHED: StepSpec(_O, _OBS, _B.DEPARTING, _D.RETURNED, in_transit=True),
    Step.RETURN_RECEIVED: StepSpec(_O, _OBS, _B.RECEIVING, _D.RETURNED),
    Step.CUSTOMS_DECLARED: StepSpec(_O, _OBS, _B.CUSTOMS_DECLARING, _D.IN_PROGRESS),
    Step.CUSTOMS_HELD: StepSpec(_O, _OBS, _B.CUSTOMS_HOLDING, _D.CUSTOMS_HELD),
    Step.CUSTOMS_CLEARED: StepSpec(_O, _OBS, _B.CUSTOMS_RELEASING, _D.CUSTOMS_CLEARED),
    Step.CUSTOMS_REFUSED: StepSpec(_O, _OBS, _B.CUSTOMS_REFUSING, _D.NON_CONFORMANT),
    Step.REPACKAGE: StepSpec(_T, None, _B.REPACKAGING, _D.IN_PROGRESS),
    Step.DESTROY: StepSpec(_O, _DEL, _B.DESTROYING, _D.DESTROYED),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PhysicalStep:
    """What happened, where and when, in the simulation's terms.

    Parameters
    ----------
    step
        The kind of step (``Step``).
    at
        When, timezone-aware, preferably in the location's local time: its UTC offset becomes
        ``eventTimeZoneOffset`` and the time is stored in UTC.
    location
        SGLN of where it happened (``identifiers.sgln``): the read point, and the business
        location unless the step puts the objects in transit.
    epcs
        The objects: units, packages, containers or trailers. For PACK/LOAD/UNLOAD/UNPACK these
        are the children (UNLOAD/UNPACK with none empty the parent); for REPACKAGE the inputs.
    parent
        The package, container or trailer of PACK/LOAD/UNLOAD/UNPACK.
    outputs
        The new EPCs of a REPACKAGE.
    order_id, return_id
        Business transactions the step belongs to (``BTT-po``, ``BTT-rma``).
    destination
        SGLN the objects are headed for (DEPART, OUT_FOR_DELIVERY, RETURN_DISPATCHED).
    reason
        Why an exception happened (``tw:reason``), e.g. ``ExceptionReason.RECIPIENT_ABSENT``.
    """

    step: Step
    at: datetime
    location: str
    epcs: tuple[str, ...] = ()
    parent: str | None = None
    outputs: tuple[str, ...] = ()
    order_id: str | None = None
    return_id: str | None = None
    destination: str | None = None
    reason: str | None = None


class _Common(TypedDict):
    event_time: datetime
    time_zone_offset: str
    biz_step: str
    disposition: str | None
    read_point: str
    biz_location: str | None
    biz_transactions: tuple[BizTransaction, ...]
    sources: tuple[SourceDest, ...]
    destinations: tuple[SourceDest, ...]
    extensions: tuple[tuple[str, str], ...]


def build_event(step: PhysicalStep) -> EpcisEvent:
    """The draft EPCIS event (no ``eventID``) recording ``step``; see ``STEP_SPECS``."""
    spec = STEP_SPECS[step.step]
    common = _common_fields(step, spec)
    if spec.shape is Shape.TRANSFORMATION:
        if step.parent is not None:
            raise InvalidEvent(f"{step.step} does not take a parent")
        return TransformationEvent(**common, input_epcs=step.epcs, output_epcs=step.outputs)
    if step.outputs:
        raise InvalidEvent(f"{step.step} has no outputs (only REPACKAGE does)")
    action = spec.action or Action.OBSERVE
    if spec.shape is Shape.AGGREGATION:
        if step.parent is None:
            raise InvalidEvent(f"{step.step} needs a parent (package, container or trailer)")
        if not step.epcs and action is not Action.DELETE:
            raise InvalidEvent(f"{step.step} needs the EPCs put into {step.parent}")
        return AggregationEvent(
            **common, action=action, parent_id=step.parent, child_epcs=step.epcs
        )
    if step.parent is not None:
        raise InvalidEvent(f"{step.step} does not take a parent")
    if not step.epcs:
        raise InvalidEvent(f"{step.step} needs at least one EPC")
    return ObjectEvent(**common, action=action, epc_list=step.epcs)


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")


def _check_uris(step: PhysicalStep) -> None:
    named = [step.location, step.destination, step.parent, *step.epcs, *step.outputs]
    for value in named:
        if value is not None and not _URI.fullmatch(value):
            raise InvalidEvent(
                f"{step.step}: {value!r} is not a URI (build it with tracking.identifiers)"
            )


def _common_fields(step: PhysicalStep, spec: StepSpec) -> _Common:
    _check_uris(step)
    if step.destination is not None and not spec.in_transit:
        raise InvalidEvent(f"{step.step} does not move objects to a destination")
    transactions: list[BizTransaction] = []
    if step.order_id is not None:
        po = BizTransactionType.PURCHASE_ORDER.value
        transactions.append(BizTransaction(po, order_transaction(step.order_id)))
    if step.return_id is not None:
        rma = BizTransactionType.RETURN_AUTHORIZATION.value
        transactions.append(BizTransaction(rma, return_transaction(step.return_id)))
    moves = step.destination is not None
    location_type = SourceDestType.LOCATION.value
    return _Common(
        event_time=utc_millis(step.at),
        time_zone_offset=offset_of(step.at),
        biz_step=spec.biz_step.value,
        disposition=None if spec.disposition is None else spec.disposition.value,
        read_point=step.location,
        biz_location=None if spec.in_transit else step.location,
        biz_transactions=tuple(transactions),
        sources=(SourceDest(location_type, step.location),) if moves else (),
        destinations=(SourceDest(location_type, step.destination or ""),) if moves else (),
        extensions=(("tw:reason", step.reason),) if step.reason is not None else (),
    )
