"""A shipment's physical journey: timed steps with their variable costs and exceptions.

Pure and seeded. Subjects are abstract ("units", "package", "trailer"); the adapter turns
each step into an EPCIS event with real identifiers. Trailer trips are shared by every
package on them: the runner records a trip's DEPART/ARRIVE and its cost once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tradewind.economics import costs
from tradewind.shared.geo import haversine_km
from tradewind.simulation.border import BorderCheck, clear_parcel

WAVE_HOURS_UTC = (4, 12, 20)
P_DELAY, P_FAILED_ATTEMPT, P_RETURN = 0.05, 0.03, 0.02


@dataclass(frozen=True, slots=True)
class Node:
    kind: str  # fc, sort_center, delivery_station, customer, seller, gateway
    node_id: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class JourneyStep:
    at: datetime
    step: str  # a tracking Step value
    where: Node
    subject: str  # units | package | trailer
    parent: str | None = None  # package | trailer (PACK/LOAD/UNLOAD)
    destination: Node | None = None
    reason: str | None = None
    status: str | None = None  # the shipment's status after this step
    usd_cents: int = 0
    trip: str | None = None  # shared trailer trip key
    trip_usd_cents: int = 0
    ships_inventory: bool = False


@dataclass(frozen=True, slots=True)
class ShipmentPlan:
    shipment_id: str
    order_id: str
    placed_at: datetime
    origin: Node
    sort_center: Node | None
    station: Node | None
    customer: Node
    units: int
    weight_g: int
    handling_days: int = 0
    # A parcel a foreign seller ships itself clears customs at this gateway.
    border: BorderCheck | None = None
    gateway: Node | None = None


@dataclass
class Journey:
    steps: list[JourneyStep] = field(default_factory=list)
    delivered_at: datetime | None = None

    def add(self, step: JourneyStep) -> datetime:
        self.steps.append(step)
        return step.at


def _hours(h: float) -> timedelta:
    return timedelta(hours=h)


def _next_wave(t: datetime) -> datetime:
    day = t.replace(minute=0, second=0, microsecond=0)
    for add_days in (0, 1):
        for h in WAVE_HOURS_UTC:
            wave = day.replace(hour=h) + timedelta(days=add_days)
            if wave >= t:
                return wave
    raise AssertionError("unreachable")


def _next_local_morning(t: datetime, lon: float) -> datetime:
    """Next 08:30 local solar time at or after t."""
    offset = _hours(lon / 15.0)
    local = t + offset
    morning = local.replace(hour=8, minute=30, second=0, microsecond=0)
    if morning < local:
        morning += timedelta(days=1)
    return morning - offset


def plan_journey(p: ShipmentPlan, rng: random.Random) -> Journey:
    if p.origin.kind == "seller":
        return _seller_journey(p, rng)
    assert p.sort_center is not None and p.station is not None
    j = Journey()
    t = j.add(
        JourneyStep(
            p.placed_at + _hours(rng.uniform(0.3, 2.0)),
            "pick",
            p.origin,
            "units",
            status="picked",
            usd_cents=costs.PICK_PER_UNIT * p.units,
        )
    )
    t = j.add(
        JourneyStep(
            t + _hours(rng.uniform(0.2, 0.8)),
            "pack",
            p.origin,
            "units",
            parent="package",
            status="packed",
            usd_cents=costs.PACK_PER_PACKAGE,
            ships_inventory=True,
        )
    )
    t, trip = _line_haul(j, p, t, rng)
    t = j.add(
        JourneyStep(
            t + _hours(0.3), "unload", p.sort_center, "package", parent="trailer", trip=trip
        )
    )
    t = j.add(
        JourneyStep(
            t + _hours(0.5),
            "sort",
            p.sort_center,
            "package",
            status="sorted",
            usd_cents=costs.SORT_PER_PACKAGE,
        )
    )
    t = j.add(
        JourneyStep(t + _hours(0.5), "depart", p.sort_center, "package", destination=p.station)
    )
    km = haversine_km(p.sort_center.lat, p.sort_center.lon, p.station.lat, p.station.lon)
    t = j.add(
        JourneyStep(
            t + _hours(km / 50 + 0.5),
            "arrive_at_delivery_station",
            p.station,
            "package",
            status="at_station",
        )
    )
    _last_mile(j, p, t, rng)
    return j


def _line_haul(
    j: Journey, p: ShipmentPlan, packed: datetime, rng: random.Random
) -> tuple[datetime, str]:
    assert p.sort_center is not None
    km = haversine_km(p.origin.lat, p.origin.lon, p.sort_center.lat, p.sort_center.lon)
    wave = _next_wave(packed + _hours(0.5))
    trip = f"{p.origin.node_id}>{p.sort_center.node_id}@{wave:%Y%m%d%H}"
    delay = rng.random() < P_DELAY
    if km > costs.AIR_KM:
        hours, cost, trip_cost = km / 700 + 5, costs.air_leg(p.weight_g, km), 0
    else:
        hours, cost = km / costs.TRAILER_SPEED_KMH + 0.5, 0
        trip_cost = costs.trailer_trip(trip, km).usd_cents
    j.add(
        JourneyStep(wave - _hours(0.25), "load", p.origin, "package", parent="trailer", trip=trip)
    )
    j.add(
        JourneyStep(
            wave,
            "depart",
            p.origin,
            "trailer",
            destination=p.sort_center,
            status="in_transit",
            usd_cents=cost,
            trip=trip,
            trip_usd_cents=trip_cost,
        )
    )
    arrive = wave + _hours(hours + (24 if delay else 0))
    j.add(
        JourneyStep(
            arrive,
            "arrive",
            p.sort_center,
            "trailer",
            trip=trip,
            reason="line_haul_delay" if delay else None,
        )
    )
    return arrive, trip


def _last_mile(j: Journey, p: ShipmentPlan, at_station: datetime, rng: random.Random) -> None:
    assert p.station is not None
    ofd = _next_local_morning(at_station + _hours(1), p.customer.lon)
    t = j.add(
        JourneyStep(
            ofd,
            "out_for_delivery",
            p.station,
            "package",
            destination=p.customer,
            status="out_for_delivery",
        )
    )
    if rng.random() < P_FAILED_ATTEMPT:
        t = j.add(
            JourneyStep(
                t + _hours(rng.uniform(1, 9)),
                "delivery_failed",
                p.customer,
                "package",
                destination=p.station,
                reason="recipient_absent",
                usd_cents=costs.FAILED_ATTEMPT,
            )
        )
        t = j.add(
            JourneyStep(
                _next_local_morning(t + _hours(1), p.customer.lon),
                "out_for_delivery",
                p.station,
                "package",
                destination=p.customer,
            )
        )
    done = j.add(
        JourneyStep(
            t + _hours(rng.uniform(1, 9)), "delivered", p.customer, "package", status="delivered"
        )
    )
    j.delivered_at = done
    if rng.random() < P_RETURN:
        back = j.add(
            JourneyStep(
                done + timedelta(days=rng.uniform(2, 6)),
                "return_dispatched",
                p.customer,
                "package",
                destination=p.origin,
            )
        )
        j.add(
            JourneyStep(
                back + timedelta(days=2),
                "return_received",
                p.origin,
                "package",
                status="returned",
                usd_cents=costs.RETURN_HANDLING,
            )
        )


def _seller_journey(p: ShipmentPlan, rng: random.Random) -> Journey:
    """Self-fulfilled: the seller packs after its handling time and hands to its carrier."""
    j = Journey()
    t = j.add(
        JourneyStep(
            p.placed_at + timedelta(days=p.handling_days, hours=rng.uniform(1, 8)),
            "pack",
            p.origin,
            "units",
            parent="package",
            status="packed",
        )
    )
    if p.border is not None and p.gateway is not None:
        t = _through_customs(j, p, t, rng)
        if j.steps[-1].step == "customs_refused":
            return j
        leave = p.gateway
    else:
        leave = p.origin
    t = j.add(
        JourneyStep(
            t + _hours(rng.uniform(1, 6)),
            "depart",
            leave,
            "package",
            destination=p.customer,
            status="in_transit",
        )
    )
    days = (0.5, 2.0) if leave is p.gateway else (1.5, 5.0)
    done = j.add(
        JourneyStep(
            t + timedelta(days=rng.uniform(*days)),
            "delivered",
            p.customer,
            "package",
            status="delivered",
        )
    )
    j.delivered_at = done
    return j


_BORDER_STATUS = {
    "customs_declared": "in_customs",
    "customs_held": "held_at_customs",
    "customs_cleared": "cleared_customs",
    "customs_refused": "customs_refused",
}


def _through_customs(j: Journey, p: ShipmentPlan, packed: datetime, rng: random.Random) -> datetime:
    """Flown to the destination's air gateway, then cleared (or refused) there."""
    assert p.border is not None and p.gateway is not None
    t = j.add(
        JourneyStep(
            packed + _hours(rng.uniform(1, 6)),
            "depart",
            p.origin,
            "package",
            destination=p.gateway,
            status="in_transit",
        )
    )
    arrival = j.add(
        JourneyStep(
            t + timedelta(days=rng.uniform(1.5, 4.0)),
            "arrive",
            p.gateway,
            "package",
            status="at_gateway",
        )
    )
    _, events = clear_parcel(p.border, p.shipment_id, arrival, rng)
    for e in events:
        t = j.add(
            JourneyStep(
                e.at, e.step, p.gateway, "package", reason=e.reason, status=_BORDER_STATUS[e.step]
            )
        )
    return t
