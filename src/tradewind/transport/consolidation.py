"""Consolidate shipments planned onto the same departure into containers (stdlib only).

Shipments booked on one departure travel in loading units sized by mode (a 40 ft container
on a vessel or train, a ULD pallet on a flight, a trailer on a truck; capacities in
:data:`tradewind.transport.modes.MODE_PARAMS`). Packing is first-fit decreasing by weight,
which is deterministic and within 11/9 of the fewest units (Johnson's bound). A shipment
heavier than one unit fills whole units of its own and packs its remainder like any other.

Each :class:`Load` is an aggregation: a parent unit id and the shipments inside it, which
is what an EPCIS ``AggregationEvent`` (``ADD`` at loading) records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tradewind.transport.errors import InvalidWeight, OverCapacity
from tradewind.transport.linehaul import Departure, Mode
from tradewind.transport.modes import MODE_PARAMS
from tradewind.transport.network import departure_id

UNIT_PREFIX = {Mode.SEA: "CTR", Mode.RAIL: "CTR", Mode.AIR: "ULD", Mode.TRUCK: "TRL"}


@dataclass(frozen=True, slots=True)
class PlannedShipment:
    """``kg`` of shipment ``shipment_id`` booked on ``departure``."""

    shipment_id: str
    kg: float
    departure: Departure

    def __post_init__(self) -> None:
        if not self.kg > 0:
            raise InvalidWeight(f"shipment {self.shipment_id} must weigh > 0 kg, got {self.kg}")


@dataclass(frozen=True, slots=True)
class Load:
    """One loading unit on one departure and the shipments (or parts of them) inside."""

    unit_id: str
    departure: Departure
    capacity_kg: float
    parts: tuple[tuple[str, float], ...]

    @property
    def departure_id(self) -> str:
        return departure_id(self.departure)

    @property
    def mode(self) -> Mode:
        return self.departure.lane.mode

    @property
    def kg(self) -> float:
        return sum(kg for _, kg in self.parts)

    @property
    def child_ids(self) -> tuple[str, ...]:
        return tuple(sid for sid, _ in self.parts)

    @property
    def fill(self) -> float:
        """Share of the unit's capacity used (0..1)."""
        return self.kg / self.capacity_kg


def unit_id(dep_id: str, mode: Mode, n: int) -> str:
    """Deterministic unit id: mode prefix, a digest of the departure, a sequence number."""
    digest = hashlib.sha256(dep_id.encode()).hexdigest()[:10].upper()
    return f"{UNIT_PREFIX[mode]}-{digest}-{n:03d}"


def _pack(items: list[tuple[str, float]], capacity: float) -> list[list[tuple[str, float]]]:
    """First-fit decreasing; items over ``capacity`` first fill whole units of their own."""
    bins: list[list[tuple[str, float]]] = []
    free: list[float] = []
    pieces: list[tuple[str, float]] = []
    for sid, kg in items:
        while kg > capacity:
            bins.append([(sid, capacity)])
            free.append(0.0)
            kg -= capacity
        pieces.append((sid, kg))
    for sid, kg in sorted(pieces, key=lambda p: (-p[1], p[0])):
        for i, room in enumerate(free):
            if kg <= room + 1e-9:
                bins[i].append((sid, kg))
                free[i] = room - kg
                break
        else:
            bins.append([(sid, kg)])
            free.append(capacity - kg)
    return bins


def consolidate(
    shipments: Iterable[PlannedShipment],
    unit_capacity_kg: Mapping[Mode, float] | None = None,
) -> list[Load]:
    """Group shipments by departure and pack each group into loading units.

    Returns the loads ordered by departure time, then unit id.

    Raises
    ------
    OverCapacity
        When the shipments on one departure weigh more than its free capacity.
    """
    caps = unit_capacity_kg or {m: p.unit_capacity_kg for m, p in MODE_PARAMS.items()}
    groups: dict[str, list[PlannedShipment]] = {}
    for s in shipments:
        groups.setdefault(departure_id(s.departure), []).append(s)
    loads: list[Load] = []
    for dep_id in sorted(groups, key=lambda k: (groups[k][0].departure.depart, k)):
        group = groups[dep_id]
        dep = group[0].departure
        total = sum(s.kg for s in group)
        if total > dep.capacity_kg:
            raise OverCapacity(
                f"{total:g} kg booked on {dep_id}, which has {dep.capacity_kg:g} kg free"
            )
        mode, cap = dep.lane.mode, caps[dep.lane.mode]
        items = sorted(((s.shipment_id, s.kg) for s in group), key=lambda p: p[0])
        for n, parts in enumerate(_pack(items, cap), start=1):
            loads.append(Load(unit_id(dep_id, mode, n), dep, cap, tuple(parts)))
    return loads
