"""What the simulation needs from the running platform (implemented over the real services)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tradewind.simulation.journey import JourneyStep, ShipmentPlan


@dataclass(frozen=True, slots=True)
class Shopper:
    customer_id: str
    member: bool


class SimulationPorts(Protocol):
    def set_time(self, at: datetime) -> None:
        """Move the platform's clock (orders are stamped with simulated time)."""
        ...

    def sites(self) -> dict[str, float]:
        """Site id -> longitude of its largest city (for local hours)."""
        ...

    def site_weights(self) -> dict[str, int]: ...
    def catalog(self, site_id: str) -> list[str]: ...
    def shoppers(self, site_id: str) -> list[Shopper]: ...
    def choose_offer(self, site_id: str, product_id: str, member: bool) -> str | None: ...

    def place_order(
        self, customer_id: str, lines: Sequence[tuple[str, int]], key: str
    ) -> list[ShipmentPlan] | None:
        """Check out through the real service; None when it is refused (e.g. out of stock)."""
        ...

    def restock(self, at: datetime) -> int:
        """Sellers top up low FBA positions and FBM offers; returns units added."""
        ...

    def apply(self, batch: Sequence[tuple[ShipmentPlan, JourneyStep]]) -> None:
        """Record the steps: EPCIS events, shipment status, stock leaving FCs, costs."""
        ...

    def record_trip_cost(self, trip_id: str, at: datetime, usd_cents: int) -> None: ...
