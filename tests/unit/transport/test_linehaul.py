"""Time-dependent cheapest path over scheduled line-haul departures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradewind.shared.clock import utc
from tradewind.transport.linehaul import (
    Criterion,
    Departure,
    Lane,
    LinehaulError,
    Mode,
    Request,
    plan_path,
)

SEA = Lane("CNSHA", "DEHAM", Mode.SEA, 20_000, 10, 50_000, 10.0)
AIR = Lane("CNSHA", "DEFRA", Mode.AIR, 9_000, 400, 20_000, 600.0)
RAIL = Lane("CNSHA", "DEDUI", Mode.RAIL, 11_000, 60, 30_000, 25.0)
TRUCK_HAM = Lane("DEHAM", "DE-FC-1", Mode.TRUCK, 300, 5, 15_000, 80.0)
TRUCK_FRA = Lane("DEFRA", "DE-FC-1", Mode.TRUCK, 200, 5, 10_000, 80.0)
TRUCK_DUI = Lane("DEDUI", "DE-FC-1", Mode.TRUCK, 250, 5, 12_000, 80.0)


def network() -> list[Departure]:
    """A weekly vessel, a daily flight, a weekly train and trucks twice a day."""
    deps = [
        Departure(SEA, utc(2026, 11, 2), utc(2026, 12, 2)),
        Departure(RAIL, utc(2026, 11, 3), utc(2026, 11, 20)),
        *(Departure(AIR, utc(2026, 11, d, 10), utc(2026, 11, d + 1, 6)) for d in range(1, 20)),
    ]
    for day in range(1, 31):
        for lane in (TRUCK_HAM, TRUCK_FRA, TRUCK_DUI):
            for hour in (8, 20):
                deps.append(Departure(lane, utc(2026, 11, day, hour), utc(2026, 11, day, hour + 3)))
    deps.append(Departure(TRUCK_HAM, utc(2026, 12, 2, 8), utc(2026, 12, 2, 11)))
    return deps


def request(by_day: int, by_month: int = 12, **kw: object) -> Request:
    return Request(
        "CNSHA",
        "DE-FC-1",
        kg=500,
        ready=utc(2026, 11, 1),
        deadline=utc(2026, by_month, by_day),
        **kw,  # type: ignore[arg-type]
    )


def test_loose_deadline_takes_the_sea() -> None:
    """With a month to spare, sea plus truck is cheapest."""
    plan = plan_path(network(), request(5))
    assert plan is not None
    assert plan.nodes == ("CNSHA", "DEHAM", "DE-FC-1")
    assert plan.cost_minor == 50_000 + 10 * 500 + 15_000 + 5 * 500


def test_deadline_forces_faster_modes() -> None:
    """A deadline before the vessel lands picks rail; a tighter one picks air."""
    by_rail = plan_path(network(), request(25, 11))
    assert by_rail is not None and by_rail.legs[0].lane.mode is Mode.RAIL
    by_air = plan_path(network(), request(10, 11))
    assert by_air is not None and by_air.legs[0].lane.mode is Mode.AIR
    assert by_air.arrival <= utc(2026, 11, 10)


def test_impossible_deadline_gives_none() -> None:
    """Nothing arrives within a day, so there is no plan."""
    assert plan_path(network(), request(2, 11)) is None


def test_min_connection_is_respected() -> None:
    """The flight lands at 06:00; with a 3 h connection the 08:00 truck is too early."""
    quick = plan_path(network(), request(10, 11))
    slow = plan_path(network(), request(10, 11, min_connection=timedelta(hours=3)))
    assert quick is not None and slow is not None
    assert quick.legs[1].depart.hour == 8
    assert slow.legs[1].depart.hour == 20


def test_co2_criterion_prefers_the_ship() -> None:
    """Minimising CO2 picks the ship even when rail would be cheaper in time."""
    plan = plan_path(network(), request(5, criterion=Criterion.CO2))
    assert plan is not None and plan.legs[0].lane.mode is Mode.SEA
    assert plan.co2_kg == pytest.approx(10.0 * 20_000 * 0.5 / 1000 + 80.0 * 300 * 0.5 / 1000)


def test_capacity_skips_full_departures() -> None:
    """A vessel with too little free capacity cannot be booked."""
    deps = [d for d in network() if d.lane is not SEA]
    deps.append(Departure(SEA, utc(2026, 11, 2), utc(2026, 12, 2), capacity_kg=100))
    plan = plan_path(deps, request(5))
    assert plan is not None and plan.legs[0].lane.mode is Mode.RAIL


def test_invalid_inputs() -> None:
    """Departures must move forward in time; requests need weight and a sane deadline."""
    with pytest.raises(LinehaulError):
        Departure(SEA, utc(2026, 11, 2), utc(2026, 11, 1))
    with pytest.raises(LinehaulError):
        Request("A", "B", kg=0, ready=utc(2026, 1, 1), deadline=utc(2026, 1, 2))
    with pytest.raises(LinehaulError):
        Lane("A", "A", Mode.TRUCK, 1, 1, 1, 1.0)
