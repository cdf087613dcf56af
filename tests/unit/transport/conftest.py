"""Small hand-made routing problems shared by the transport tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tradewind.transport.routing import Client, Depot, Problem

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "routing"
if not DATA.exists():
    DATA = Path("/work/shared/data/routing")


@pytest.fixture
def line_problem() -> Problem:
    """Depot at the origin, four clients on the x axis at 10, 20, -10, -20.

    Capacity 10 (each demand 4), fleet 2, depot open until 100, windows wide except client 2.
    """
    return Problem(
        name="line",
        depot=Depot(0.0, 0.0, ready=0.0, due=100.0),
        clients=(
            Client(1, 10.0, 0.0, demand=4, ready=0.0, due=50.0, service=1.0),
            Client(2, 20.0, 0.0, demand=4, ready=30.0, due=40.0, service=1.0),
            Client(3, -10.0, 0.0, demand=4, ready=0.0, due=50.0, service=1.0),
            Client(4, -20.0, 0.0, demand=4, ready=0.0, due=50.0, service=1.0),
        ),
        vehicle_capacity=10,
        fleet_size=2,
    )


def solomon_text(rows: Sequence[tuple[int, ...]], vehicles: int = 3, capacity: int = 10) -> str:
    """A Solomon-format file with the given ``(no, x, y, demand, ready, due, service)`` rows."""
    lines = [
        "TINY",
        "",
        "VEHICLE",
        "NUMBER     CAPACITY",
        f"  {vehicles}         {capacity}",
        "",
        "CUSTOMER",
        "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME",
        " ",
    ]
    lines += ["  ".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


TINY_ROWS = [
    (0, 0, 0, 0, 0, 200, 0),
    (1, 10, 0, 4, 0, 100, 1),
    (2, 20, 0, 4, 0, 100, 1),
    (3, -10, 0, 4, 0, 100, 1),
    (4, 0, 10, 4, 0, 100, 1),
]
