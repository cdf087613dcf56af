"""Which parcel each tracking event is about, each parcel's latest state, and the order's
progress derived from its parcels (for the order page).

An order's EPCIS chain mixes its parcels: picks name units, packing puts units into a package
(an SSCC; ``shipments.package_epc`` says which shipment it is), and loading, departing and
arriving name the tote or trailer the package rides in. Replaying containment in event-time
order tells which parcels each event moved; a parcel's state is its latest event by time, so a
trailer's ``departing`` after the package was packed reads "in transit", whatever order the
events were recorded in and whatever the shipment row's status column says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tradewind.tracking.model import Action, AggregationEvent, EpcisEvent, in_time_order
from tradewind.tracking.queries import Containment
from tradewind.tracking.vocabulary import BizStep, Disposition

_STATE_BY_STEP: dict[str, str] = {
    BizStep.PICKING: "picked",
    BizStep.PACKING: "packed",
    BizStep.STAGING_OUTBOUND: "sorted",
    BizStep.LOADING: "loaded",
    BizStep.UNLOADING: "arrived",
    BizStep.UNPACKING: "arrived",
    BizStep.DEPARTING: "in transit",
    BizStep.ARRIVING: "arrived",
    BizStep.RECEIVING: "at delivery station",
    BizStep.ACCEPTING: "delivered",
    BizStep.DELIVERY_ATTEMPT_FAILED: "delivery attempt failed",
    BizStep.CUSTOMS_DECLARING: "in customs",
    BizStep.CUSTOMS_HOLDING: "held at customs",
    BizStep.CUSTOMS_RELEASING: "cleared customs",
    BizStep.CUSTOMS_REFUSING: "refused by customs",
    BizStep.REPACKAGING: "repackaged",
    BizStep.DESTROYING: "destroyed",
}
_NOT_YET_SHIPPED = frozenset({"picked", "packed", "sorted", "loaded"})
_FINAL_ORDER = frozenset({"pending_payment", "payment_failed", "cancelled"})


@dataclass
class Parcel:
    label: str
    shipment_id: str | None
    package_epc: str
    state: str = ""
    since: datetime | None = None
    units: set[str] = field(default_factory=set)


def state_of(event: EpcisEvent) -> str:
    """The parcel state an event leaves it in."""
    if event.disposition == Disposition.DELIVERED:
        return "delivered"
    if event.disposition == Disposition.RETURNED:
        return "returned"
    return _STATE_BY_STEP.get(event.biz_step or "", "in progress")


def _is_packing(event: EpcisEvent) -> bool:
    return (
        isinstance(event, AggregationEvent)
        and event.biz_step == BizStep.PACKING
        and event.action is not Action.DELETE
    )


def track_parcels(
    events: Sequence[EpcisEvent], shipments: Sequence[dict[str, Any]]
) -> tuple[list[EpcisEvent], list[list[str]], list[Parcel]]:
    """(events in time order, the labels of the parcels each event is about, the parcels with
    their latest state). Parcels are the order's shipments (``package_epc`` known) plus any
    package the events pack that no shipment names yet."""
    ordered = in_time_order(events)
    parcels: dict[str, Parcel] = {}
    for n, s in enumerate(shipments, 1):
        if s.get("package_epc"):
            label = f"Parcel {n}" if len(shipments) > 1 else "Parcel"
            parcels[s["package_epc"]] = Parcel(label, s["shipment_id"], s["package_epc"])
    unit_to_package: dict[str, str] = {}
    for e in ordered:
        if _is_packing(e):
            assert isinstance(e, AggregationEvent)
            if e.parent_id not in parcels:
                n = len(parcels) + 1
                parcels[e.parent_id] = Parcel(f"Parcel {n}", None, e.parent_id)
            for child in e.child_epcs:
                unit_to_package.setdefault(child, e.parent_id)
    if len(parcels) > 1:
        for p in parcels.values():
            p.label = p.label if p.label != "Parcel" else "Parcel 1"
    containment = Containment()
    labels: list[list[str]] = []
    for e in ordered:
        hit = containment.affected(e)
        packages = {epc for epc in hit if epc in parcels}
        packages |= {unit_to_package[epc] for epc in hit if epc in unit_to_package}
        for epc in packages:
            parcels[epc].state, parcels[epc].since = state_of(e), e.event_time
        labels.append(sorted(parcels[epc].label for epc in packages))
        containment.apply(e)
    return ordered, labels, list(parcels.values())


def order_progress(stored_status: str, parcels: Sequence[Parcel]) -> str:
    """The order's status as its parcels tell it, e.g. 'in transit: 1 of 2 parcels delivered';
    the stored status when no parcel has an event yet or the order never shipped."""
    tracked = [p for p in parcels if p.state]
    if stored_status in _FINAL_ORDER or not tracked:
        return stored_status
    total = len(parcels)
    delivered = sum(p.state == "delivered" for p in parcels)
    if delivered == total:
        return "delivered"
    if all(p.state in _NOT_YET_SHIPPED or not p.state for p in parcels) and not delivered:
        return "being prepared"
    if total == 1:
        return parcels[0].state
    return f"in transit: {delivered} of {total} parcels delivered"
