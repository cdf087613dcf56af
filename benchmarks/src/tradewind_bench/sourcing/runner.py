"""Replay one order stream three ways: myopic greedy, batch MIP with fluid-LP future values,
and the hindsight LP bound over the whole horizon. Returns plain figures (no printing)."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import highspy

from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.fulfillment.sourcing_fluid import FluidInputs, future_values
from tradewind.fulfillment.sourcing_greedy import greedy_sourcing
from tradewind.fulfillment.sourcing_lp import LpParams, hindsight_bound, solve_batch
from tradewind.fulfillment.sourcing_problem import (
    OrderRequest,
    SourcingProblem,
    SourcingResult,
    StockKey,
)
from tradewind_bench.sourcing.instance import Instance, InstanceParams, build_instance


@dataclass(frozen=True)
class BenchParams:
    instance: InstanceParams = field(default_factory=InstanceParams)
    regionalize: bool = False
    cost: CostParams = field(default_factory=CostParams)
    lp: LpParams = field(default_factory=LpParams)
    fluid_time_limit_s: float = 30.0
    fluid_every_batches: int = 0  # 0: re-solve the fluid LP once a day; n: every n batches
    hindsight_time_limit_s: float = 30.0  # per solve: the LP relaxation, then the MIP


@dataclass
class _Tally:
    cost: float = 0.0
    orders: int = 0
    split: int = 0
    units: int = 0
    in_region: int = 0
    unit_km: float = 0.0
    backordered: int = 0
    fallbacks: int = 0
    ms: list[float] = field(default_factory=list)  # wall clock per batch
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per batch

    def add(self, result: SourcingResult, ms: float, cpu_ms: float) -> None:
        self.ms.append(ms)
        self.cpu_ms.append(cpu_ms)
        self.fallbacks += result.fallback_reason is not None
        for o in result.orders:
            self.cost += o.cost
            self.orders += 1
            self.split += o.is_split
            self.units += o.units
            self.in_region += o.in_region_units
            self.unit_km += o.unit_km
            self.backordered += sum(b.quantity for b in o.backorders)


def run_sourcing_bench(params: BenchParams) -> dict[str, Any]:
    """Build the instance, replay it with both policies, bound it, and report."""
    t0 = time.perf_counter()
    inst = build_instance(params.instance)
    build_s = time.perf_counter() - t0
    solver = HighsLpSolver(seed=params.instance.seed)
    myopic, lp = _Tally(), _Tally()
    stock_m, stock_l = dict(inst.stock), dict(inst.stock)
    fluid_ms: list[float] = []
    fluid_notes: list[str] = []
    fv: dict[StockKey, float] = {}
    day_seen = -1
    every = params.fluid_every_batches
    for i, (day, orders) in enumerate(inst.batches):
        if day != day_seen or (every and i % every == 0):
            day_seen = day
            left = params.instance.days - i / len(inst.batches) * params.instance.days
            fv, ms, note = _future_values(inst, stock_l, left, params, solver)
            fluid_ms.append(ms)
            fluid_notes += [note] if note else []
        t, c = time.perf_counter(), time.process_time()
        res_m = greedy_sourcing(_problem(inst, orders, stock_m, {}, params))
        myopic.add(res_m, (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000)
        _apply(stock_m, res_m)
        t, c = time.perf_counter(), time.process_time()
        res_l = solve_batch(_problem(inst, orders, stock_l, fv, params), solver, params.lp)
        lp.add(res_l, (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000)
        _apply(stock_l, res_l)
    everything = _problem(inst, inst.orders, inst.stock, {}, params, restrict=False)
    hindsight, extra = _hindsight(everything, solver, params.hindsight_time_limit_s)
    extra["build_s"] = round(build_s, 2)
    extra["fluid_solve_ms_max"] = round(max(fluid_ms, default=0.0), 1)
    extra["fluid_notes"] = fluid_notes
    return _report(params, inst, myopic, lp, hindsight, extra)


def _hindsight(
    everything: SourcingProblem, solver: HighsLpSolver, limit_s: float
) -> tuple[float | None, dict[str, Any]]:
    """Exact MIP when it solves within the limit, else the LP relaxation (a lower bound)."""
    bound = hindsight_bound(everything, solver, limit_s, relax=True)
    exact = hindsight_bound(everything, solver, limit_s, relax=False)
    lp_value = bound.objective if bound.ok else None
    value: float | None = exact.objective
    method = "MIP, solved to optimality (gap 1e-6)"
    if not exact.ok:
        value, method = lp_value, f"LP relaxation (MIP: {exact.status.value})"
    return value, {
        "hindsight_method": method,
        "hindsight_lp_bound": _usd(lp_value) if lp_value is not None else None,
        "hindsight_solve_s": round((bound.solve_ms + exact.solve_ms) / 1000, 2),
    }


def _future_values(
    inst: Instance,
    stock: dict[StockKey, int],
    left: float,
    params: BenchParams,
    solver: HighsLpSolver,
) -> tuple[dict[StockKey, float], float, str | None]:
    """Re-solve the fluid LP with the stock left, for the ``left`` days that remain."""
    demand = {k: v * left for k, v in inst.daily_demand.items()}
    inputs = FluidInputs(stock, demand, inst.region_km, inst.centers, inst.weights_g, params.cost)
    res = future_values(inputs, solver, params.fluid_time_limit_s)
    return res.future_value, res.solve_ms, res.fallback_reason


def _problem(
    inst: Instance,
    orders: Sequence[OrderRequest],
    stock: dict[StockKey, int],
    fv: dict[StockKey, float],
    params: BenchParams,
    *,
    restrict: bool = True,
) -> SourcingProblem:
    skus = {ln.sku for o in orders for ln in o.lines}
    local = {k: v for k, v in stock.items() if k[1] in skus and v > 0}
    return SourcingProblem(
        tuple(orders),
        local,
        inst.centers,
        inst.weights_g,
        {k: fv[k] for k in local if k in fv},
        params.regionalize and restrict,
        params.cost,
    )


def _apply(stock: dict[StockKey, int], result: SourcingResult) -> None:
    for key, q in result.shipped().items():
        stock[key] -= q


def _usd(cents: float) -> float:
    return round(cents / 100, 2)


def _share(t: _Tally) -> float | None:
    return round(t.in_region / t.units, 4) if t.units else None


def _km(t: _Tally) -> float | None:
    return round(t.unit_km / t.units, 1) if t.units else None


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _report(
    params: BenchParams,
    inst: Instance,
    myopic: _Tally,
    lp: _Tally,
    hindsight: float | None,
    extra: dict[str, Any],
) -> dict[str, Any]:
    gap = None
    if hindsight is not None and myopic.cost - hindsight > 1e-9:
        gap = (myopic.cost - lp.cost) / (myopic.cost - hindsight)
    return {
        "orders": myopic.orders,
        "myopic_cost": _usd(myopic.cost),
        "lp_cost": _usd(lp.cost),
        "hindsight_cost": _usd(hindsight) if hindsight is not None else None,
        "gap_closed": round(gap, 4) if gap is not None else None,
        "saving_pct": round(100 * (myopic.cost - lp.cost) / myopic.cost, 2),
        "split_rate_myopic": round(myopic.split / myopic.orders, 4),
        "split_rate_lp": round(lp.split / lp.orders, 4),
        "in_region_share_myopic": _share(myopic),
        "in_region_share_lp": _share(lp),
        "avg_km_myopic": _km(myopic),
        "avg_km_lp": _km(lp),
        "backordered_units_myopic": myopic.backordered,
        "backordered_units_lp": lp.backordered,
        "solve_ms_p50": round(statistics.median(lp.ms), 2) if lp.ms else 0.0,
        "solve_ms_p95": round(_p95(lp.ms), 2),
        "solve_ms_max": round(max(lp.ms, default=0.0), 2),
        "solve_cpu_ms_p95": round(_p95(lp.cpu_ms), 2),
        "greedy_ms_p95": round(_p95(myopic.ms), 3),
        "batches": len(lp.ms),
        "lp_fallbacks": lp.fallbacks,
        **extra,
        "settings": {
            **asdict(params.instance),
            "regionalize": params.regionalize,
            "units_shipped_stock": sum(inst.stock.values()),
            "fcs": len(inst.centers),
            "regions": len({c.region for c in inst.centers.values()}),
            "lp_method": "per-batch MIP (HiGHS) + daily fluid-LP duals as future values",
            "cost": asdict(params.cost),
            "lp": asdict(params.lp),
        },
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_1m": round(os.getloadavg()[0], 2),
            "highs": f"{highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
            f"{highspy.HIGHS_VERSION_PATCH}",
            "threads": 1,
        },
    }
