"""The network's cost model, in US cents (documented assumptions, one place to change them).

Per-unit and per-package handling costs are variable; a trailer trip and a delivery van's
day are fixed costs shared by whatever they carry, which is why cost per order falls as
volume (and density) grows.
"""

from __future__ import annotations

from dataclasses import dataclass

PICK_PER_UNIT = 110
PACK_PER_PACKAGE = 120
SORT_PER_PACKAGE = 35
TRAILER_FIXED = 15_000  # per trip: driver, tractor, dock time
TRAILER_PER_KM = 180  # per trip-km
TRAILER_CAPACITY = 2_000  # packages per trailer
AIR_PER_KG_KM = 0.08  # cents per kg-km when a lane is flown (over AIR_KM)
AIR_KM = 1_200
TRAILER_SPEED_KMH = 65
VAN_DAY_FIXED = 30_000  # per delivery van route day
VAN_STOPS_PER_DAY = 140
# Route-based last mile (simulation/last_mile.py): a van's time on its route and its
# distance, chosen so a 10-hour, 100-km route day costs VAN_DAY_FIXED (27,000 + 3,000).
VAN_HOUR = 2_700  # driver and van, per hour from leaving the station to coming back
VAN_KM = 30  # fuel, tyres, maintenance, per road km
FAILED_ATTEMPT = 350
RETURN_HANDLING = 700
FBM_CARRIER_BASE = 550  # the platform books nothing for FBM: the seller pays their carrier


@dataclass(frozen=True, slots=True)
class TripCost:
    trip_id: str
    usd_cents: int


def trailer_trip(trip_id: str, km: float) -> TripCost:
    return TripCost(trip_id, TRAILER_FIXED + round(TRAILER_PER_KM * km))


def air_leg(weight_g: int, km: float) -> int:
    return round(AIR_PER_KG_KM * weight_g / 1000 * km) + 400


def shared(cost_per_vehicle: int, items: int, represented: int, capacity: int) -> int:
    """What ``items`` simulated parcels pay of the vehicles that carry them, when each
    simulated parcel stands for ``represented`` real ones: the real flow needs
    ceil(items * represented / capacity) vehicles, shared by items * represented parcels;
    the simulated parcels carry 1/represented of that (US cents, rounded)."""
    vehicles = max(1, -(-items * represented // capacity))
    return round(vehicles * cost_per_vehicle / represented)


def van_day(stops: int, represented: int = 1) -> int:
    """The simulated stops' share of the vans a station sends out in a day."""
    return shared(VAN_DAY_FIXED, stops, represented, VAN_STOPS_PER_DAY)


def van_route(hours: float, km: float) -> int:
    """A van route's cost: hours on the road at ``VAN_HOUR`` plus km at ``VAN_KM`` (cents)."""
    return round(VAN_HOUR * hours + VAN_KM * km)
