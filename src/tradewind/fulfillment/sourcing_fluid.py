"""Future value of stock: duals of a fluid LP of expected demand (Acimovic & Graves 2015).

Expected demand for the rest of the horizon, per (region, sku), is served from the stock
on hand as a continuous transportation problem::

    min  sum_{f,r,k} c[f,r,k] z[f,r,k] + sum_{r,k} backorder * u[r,k]
    s.t. sum_r z[f,r,k] <= stock[f,k]        (dual -> future value of a unit at f)
         sum_f z[f,r,k] + u[r,k] = D[r,k]

``c`` is the per-unit outbound cost from FC f to region r: the weight-distance term plus the
distance and out-of-region parts of a parcel spread over ``units_per_package`` units (the
fixed package charge is the same from every FC, so it drops out). The future value of a unit
at (f, k) is ``-dual`` of its stock row: what one more unit there would save the fluid plan,
i.e. the opportunity cost of shipping it now. Re-solve as stock and the horizon shrink.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tradewind.fulfillment.lp import LinearProgram
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.ports import LpSolver
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.fulfillment.sourcing_problem import StockKey


@dataclass(frozen=True)
class FluidInputs:
    """Stock, expected demand D[(region, sku)] and mean distance km[(fc, region)]."""

    stock: Mapping[StockKey, int]
    demand: Mapping[tuple[str, str], float]
    region_km: Mapping[tuple[str, str], float]
    centers: Mapping[str, FulfillmentCenter]
    weights_g: Mapping[str, int] = field(default_factory=dict)
    params: CostParams = field(default_factory=CostParams)
    units_per_package: float = 1.2


@dataclass(frozen=True)
class FluidResult:
    future_value: dict[StockKey, float]
    objective: float
    solve_ms: float
    fallback_reason: str | None = None  # set when no duals could be had (values are empty)


def unit_cost(inputs: FluidInputs, fc_id: str, region: str, sku: str) -> float:
    """Per-unit cost of serving region demand from an FC in the fluid model."""
    p, km = inputs.params, inputs.region_km[(fc_id, region)]
    away = 0.0 if inputs.centers[fc_id].region == region else p.out_of_region
    weight = inputs.weights_g.get(sku, p.default_weight_g)
    return p.unit_distance_cost(km, weight) + (p.per_km * km + away) / inputs.units_per_package


def future_values(inputs: FluidInputs, solver: LpSolver, time_limit_s: float) -> FluidResult:
    """Solve the fluid LP; on failure return no future values and say why."""
    lp = LinearProgram()
    holders: dict[str, list[str]] = {}
    for (fc, sku), units in sorted(inputs.stock.items()):
        if units > 0 and fc in inputs.centers:
            holders.setdefault(sku, []).append(fc)
    supply: dict[StockKey, list[int]] = {}
    for (region, sku), d in sorted(inputs.demand.items()):
        if d <= 0:
            continue
        terms = [(lp.add_col(inputs.params.backorder), 1.0)]
        for fc in holders.get(sku, []):
            if (fc, region) not in inputs.region_km:
                continue
            z = lp.add_col(unit_cost(inputs, fc, region, sku))
            supply.setdefault((fc, sku), []).append(z)
            terms.append((z, 1.0))
        lp.add_row(terms, d, d)
    keys = sorted(supply)
    rows = [
        lp.add_row([(c, 1.0) for c in supply[k]], -float("inf"), float(inputs.stock[k]))
        for k in keys
    ]
    if not keys:
        return FluidResult({}, 0.0, 0.0)
    sol = solver.solve(lp, time_limit_s=time_limit_s)
    if not sol.ok or len(sol.row_duals) != lp.num_rows:
        reason = f"fluid LP {sol.status.value}: {sol.message}".rstrip(": ")
        return FluidResult({}, float("nan"), sol.solve_ms, reason)
    values = {k: max(0.0, -sol.row_duals[r]) for k, r in zip(keys, rows, strict=True)}
    return FluidResult({k: v for k, v in values.items() if v > 1e-9}, sol.objective, sol.solve_ms)
