"""Consolidating shipments planned onto one departure into containers, ULDs and trailers."""

from __future__ import annotations

import pytest

from tradewind.shared.clock import utc
from tradewind.transport.consolidation import PlannedShipment, consolidate, unit_id
from tradewind.transport.errors import InvalidWeight, OverCapacity
from tradewind.transport.linehaul import Departure, Lane, Mode
from tradewind.transport.network import departure_id

SEA = Lane("CNSHA", "DEHAM", Mode.SEA, 11_000, 25, 15_000, 16.0)
AIR = Lane("CNPVG", "DEFRA", Mode.AIR, 9_700, 352, 7_500, 600.0)
VESSEL = Departure(SEA, utc(2026, 11, 3, 10), utc(2026, 11, 29, 14), 400_000)
FLIGHT = Departure(AIR, utc(2026, 11, 2, 14), utc(2026, 11, 5, 7), 20_000)


def test_groups_by_departure_and_respects_unit_capacity() -> None:
    """Sea shipments fill 20 t containers, air shipments 4.5 t ULDs; nothing overflows."""
    shipments = [
        *(PlannedShipment(f"S{i:02d}", 6_000, VESSEL) for i in range(7)),  # 42 t
        *(PlannedShipment(f"A{i:02d}", 1_000, FLIGHT) for i in range(9)),  # 9 t
    ]
    loads = consolidate(shipments)
    sea = [ld for ld in loads if ld.mode is Mode.SEA]
    air = [ld for ld in loads if ld.mode is Mode.AIR]
    assert len(sea) == 3 and len(air) == 3  # 42 t in 20 t boxes; 9 t in 4.5 t ULDs (4 per ULD)
    assert all(ld.kg <= ld.capacity_kg for ld in loads)
    assert {ld.departure_id for ld in sea} == {departure_id(VESSEL)}
    assert sorted(c for ld in air for c in ld.child_ids) == [f"A{i:02d}" for i in range(9)]
    assert [ld.mode for ld in loads][:3] == [Mode.AIR] * 3  # the flight leaves first


def test_ids_are_deterministic_and_order_free() -> None:
    """The same shipments in any order give the same units and the same contents."""
    shipments = [PlannedShipment(f"S{i}", 1_000 + 700 * i, VESSEL) for i in range(12)]
    a, b = consolidate(shipments), consolidate(list(reversed(shipments)))
    assert a == b
    assert a[0].unit_id == unit_id(departure_id(VESSEL), Mode.SEA, 1)
    assert a[0].unit_id.startswith("CTR-") and a[0].unit_id.endswith("-001")


def test_heavy_shipment_fills_whole_units() -> None:
    """A 45 t shipment takes two full containers and shares the third with a 3 t one."""
    loads = consolidate(
        [PlannedShipment("BIG", 45_000, VESSEL), PlannedShipment("S", 3_000, VESSEL)]
    )
    assert [round(ld.kg) for ld in loads] == [20_000, 20_000, 8_000]
    assert loads[2].parts == (("BIG", 5_000), ("S", 3_000))
    assert sum(kg for ld in loads for sid, kg in ld.parts if sid == "BIG") == 45_000


def test_over_capacity_and_bad_weight_are_refused() -> None:
    """More than the departure's free capacity, or a weightless shipment, is an error."""
    with pytest.raises(OverCapacity):
        consolidate([PlannedShipment(f"A{i}", 6_000, FLIGHT) for i in range(4)])
    with pytest.raises(InvalidWeight):
        PlannedShipment("X", 0, FLIGHT)
