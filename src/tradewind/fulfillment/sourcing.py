"""Order sourcing: which FC ships which line.

The default policy is the usual baseline: for each line, the nearest FC with stock, spilling
to the next nearest when one FC cannot cover it (a split shipment). Smarter policies (LP with
future stock value) plug in through the ``SourcingPolicy`` protocol.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from tradewind.fulfillment.errors import InsufficientStock
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.shared.geo import haversine_km


@dataclass(frozen=True, slots=True)
class LineDemand:
    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Allocation:
    line_no: int
    sku: str
    fc_id: str
    quantity: int
    distance_km: float


class SourcingPolicy(Protocol):
    def __call__(
        self,
        lines: Sequence[LineDemand],
        positions: Sequence[InventoryPosition],
        centers: Mapping[str, FulfillmentCenter],
        destination: tuple[float, float],
    ) -> list[Allocation]: ...


def nearest_fc_with_stock(
    lines: Sequence[LineDemand],
    positions: Sequence[InventoryPosition],
    centers: Mapping[str, FulfillmentCenter],
    destination: tuple[float, float],
) -> list[Allocation]:
    """Greedy sourcing; raises InsufficientStock (and allocates nothing) if any line is short.

    Positions are not mutated: the caller applies the allocation with ``reserve``.
    """
    lat, lon = destination
    dist = {fc_id: haversine_km(fc.lat, fc.lon, lat, lon) for fc_id, fc in centers.items()}
    left = {(p.fc_id, p.sku): p.available for p in positions}
    by_sku: dict[str, list[str]] = {}
    for p in positions:
        by_sku.setdefault(p.sku, []).append(p.fc_id)
    result: list[Allocation] = []
    for line in lines:
        need = line.quantity
        for fc_id in sorted(by_sku.get(line.sku, []), key=lambda f: (dist.get(f, 1e9), f)):
            take = min(need, left[(fc_id, line.sku)])
            if take <= 0:
                continue
            left[(fc_id, line.sku)] -= take
            result.append(Allocation(line.line_no, line.sku, fc_id, take, dist.get(fc_id, 0.0)))
            need -= take
            if need == 0:
                break
        if need:
            raise InsufficientStock(
                f"only {line.quantity - need} of {line.quantity} units of {line.sku} available",
                errors=[{"line": line.line_no, "sku": line.sku, "short": need}],
            )
    return result
