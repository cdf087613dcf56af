"""The order-sourcing problem as data, and how any decision is scored.

A ``SourcingProblem`` is a batch of orders (one order at checkout, or the orders arriving
within a short window) plus the stock each FC can ship now. Every policy (greedy, LP,
hindsight) returns a ``SourcingResult`` scored by the same ``score_order``: shipping cost by
package, split penalty, out-of-region hop and back-ordered units. Back-orders are explicit:
a line is always either allocated or (partly) back-ordered, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.sourcing import Allocation, LineDemand
from tradewind.fulfillment.sourcing_cost import CostParams, PackageCharge, order_cost
from tradewind.shared.geo import haversine_km

StockKey = tuple[str, str]  # (fc_id, sku)


@dataclass(frozen=True, slots=True)
class OrderRequest:
    order_id: str
    lines: tuple[LineDemand, ...]
    destination: tuple[float, float]
    region: str = ""  # the customer's region (of the nearest FC); "" = unknown


@dataclass(frozen=True, slots=True)
class BackOrder:
    order_id: str
    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True)
class SourcingProblem:
    """Orders to source against ``stock`` (units available now per (fc, sku)).

    ``future_value`` is the opportunity cost of a unit at (fc, sku), e.g. fluid-LP duals;
    ``regionalize`` asks to ship from the customer's region unless it is out of stock.
    """

    orders: tuple[OrderRequest, ...]
    stock: Mapping[StockKey, int]
    centers: Mapping[str, FulfillmentCenter]
    weights_g: Mapping[str, int] = field(default_factory=dict)
    future_value: Mapping[StockKey, float] = field(default_factory=dict)
    regionalize: bool = False
    params: CostParams = field(default_factory=CostParams)

    def weight(self, sku: str) -> int:
        return self.weights_g.get(sku, self.params.default_weight_g)

    def km(self, order: OrderRequest, fc_id: str) -> float:
        fc = self.centers[fc_id]
        return haversine_km(fc.lat, fc.lon, *order.destination)

    def in_region(self, order: OrderRequest, fc_id: str) -> bool:
        return bool(order.region) and self.centers[fc_id].region == order.region

    def holders(self) -> dict[str, list[str]]:
        """sku -> FCs with stock of it (sorted ids, so every policy is deterministic)."""
        out: dict[str, list[str]] = {}
        for (fc_id, sku), units in sorted(self.stock.items()):
            if units > 0 and fc_id in self.centers:
                out.setdefault(sku, []).append(fc_id)
        return out


@dataclass(frozen=True, slots=True)
class OrderSourcing:
    """One order's decision and its true cost (no future-value terms)."""

    order_id: str
    allocations: tuple[Allocation, ...]
    backorders: tuple[BackOrder, ...]
    cost: float
    packages: int
    units: int
    in_region_units: int
    unit_km: float  # sum over shipped units of the distance they travel

    @property
    def is_split(self) -> bool:
        return self.packages > 1


@dataclass(frozen=True)
class SourcingResult:
    """What a policy decided for a batch. ``fallback_reason`` is set when the optimiser
    could not be used (error, time-out, bad answer) and the greedy baseline decided instead."""

    orders: tuple[OrderSourcing, ...]
    method: str
    fallback_reason: str | None = None
    solve_ms: float = 0.0

    @property
    def cost(self) -> float:
        return sum(o.cost for o in self.orders)

    @property
    def backorders(self) -> tuple[BackOrder, ...]:
        return tuple(b for o in self.orders for b in o.backorders)

    def shipped(self) -> dict[StockKey, int]:
        """Units taken from each (fc, sku): apply these to the stock."""
        out: dict[StockKey, int] = {}
        for o in self.orders:
            for a in o.allocations:
                out[(a.fc_id, a.sku)] = out.get((a.fc_id, a.sku), 0) + a.quantity
        return out


def score_order(
    problem: SourcingProblem,
    order: OrderRequest,
    allocations: Sequence[Allocation],
    backorders: Sequence[BackOrder],
) -> OrderSourcing:
    """Score one order's allocations with the problem's cost model."""
    weight: dict[str, float] = {}
    units = in_region = 0
    unit_km = 0.0
    for a in allocations:
        weight[a.fc_id] = weight.get(a.fc_id, 0.0) + a.quantity * problem.weight(a.sku)
        units += a.quantity
        unit_km += a.quantity * a.distance_km
        in_region += a.quantity if problem.in_region(order, a.fc_id) else 0
    charges = [
        PackageCharge(problem.km(order, fc), w, problem.in_region(order, fc))
        for fc, w in sorted(weight.items())
    ]
    short = sum(b.quantity for b in backorders)
    return OrderSourcing(
        order.order_id,
        tuple(allocations),
        tuple(backorders),
        order_cost(charges, short, problem.params),
        len(charges),
        units,
        in_region,
        unit_km,
    )


def check_result(problem: SourcingProblem, result: SourcingResult) -> list[str]:
    """Invariant violations (empty when sound): stock never exceeded, each line covered."""
    errors = [
        f"{fc}/{sku}: ships {q} > {problem.stock.get((fc, sku), 0)} available"
        for (fc, sku), q in result.shipped().items()
        if q > problem.stock.get((fc, sku), 0)
    ]
    by_id = {o.order_id: o for o in result.orders}
    for order in problem.orders:
        got = by_id.get(order.order_id)
        if got is None:
            errors.append(f"order {order.order_id} missing")
            continue
        for line in order.lines:
            covered = sum(a.quantity for a in got.allocations if a.line_no == line.line_no)
            covered += sum(b.quantity for b in got.backorders if b.line_no == line.line_no)
            if covered != line.quantity:
                errors.append(f"{order.order_id}/{line.line_no}: {covered} of {line.quantity}")
    return errors
