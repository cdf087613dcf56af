"""FBA inbound placement: split a seller's inbound shipment over FCs near forecast demand.

Pure. For a plan of SKUs and units from an origin, choose how many units of each SKU go to
each FC, with at most ``max_fcs`` destinations, as a small MIP::

    min  sum_f open[f] * trip_share * (truck_fixed + truck_per_km * km(origin, f))
       + sum_{f,k} u[f,k] * inbound_per_kg_km * kg_k * km(origin, f)
       + sum_{f,r,k} z[f,r,k] * outbound(f, r, k)          expected outbound cost
    s.t. sum_f u[f,k] = units_k;  u[f,k] = sum_r z[f,r,k]
         sum_f z[f,r,k] = units_k * share[r, k]            units follow regional demand
         sum_k u[f,k] <= free capacity of f;  u[f,k] <= units_k * open[f]
         sum_f open[f] <= max_fcs;  open binary, u integer

Fewer destinations are cheaper for the seller to ship but cost the network more outbound
(units sit far from demand); the platform charges a placement fee per unit that grows as the
seller asks for fewer FCs. ``placement_options`` prices each choice so the trade-off is
explicit. If the solver fails, a greedy plan (cheapest single FCs, spilling on capacity)
decides and ``fallback_reason`` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tradewind.fulfillment.lp import LinearProgram
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.ports import LpSolver
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.shared.geo import haversine_km


@dataclass(frozen=True)
class PlacementParams:
    truck_fixed: float = 15_000.0  # cents per inbound shipment (economics.costs.TRAILER_FIXED)
    truck_per_km: float = 180.0  # cents per trip-km; shared by the units on the truck
    trip_share: float = 0.05  # this plan's share of a trailer (a pallet or two)
    inbound_per_kg_km: float = 0.002
    units_per_package: float = 1.2
    outbound: CostParams = field(default_factory=CostParams)
    # Placement fee per unit by the most FCs the seller accepts (fewer = higher fee).
    fee_per_unit: Mapping[int, float] = field(default_factory=lambda: {1: 40.0, 2: 25.0, 3: 10.0})
    time_limit_s: float = 2.0


@dataclass(frozen=True)
class InboundRequest:
    """Units per SKU leaving ``origin``; demand ``share[(region, sku)]`` sums to 1 per SKU."""

    units: Mapping[str, int]
    origin: tuple[float, float]
    share: Mapping[tuple[str, str], float]
    region_km: Mapping[tuple[str, str], float]  # (fc, region) -> mean km to its customers
    centers: Mapping[str, FulfillmentCenter]
    free_capacity: Mapping[str, int]
    weights_g: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PlacementPlan:
    units: dict[tuple[str, str], int]  # (fc, sku) -> units
    network_cost: float  # inbound + expected outbound, cents
    max_fcs: int
    fallback_reason: str | None = None
    unplaced: dict[str, int] = field(default_factory=dict)  # units no allowed FC had room for

    @property
    def destinations(self) -> list[str]:
        return sorted({fc for fc, _ in self.units})


@dataclass(frozen=True)
class PlacementOption:
    max_fcs: int
    network_cost: float
    seller_fee: float
    plan: PlacementPlan


def _km(req: InboundRequest, fc: str) -> float:
    c = req.centers[fc]
    return haversine_km(req.origin[0], req.origin[1], c.lat, c.lon)


def _outbound(req: InboundRequest, p: PlacementParams, fc: str, region: str, sku: str) -> float:
    o, km = p.outbound, req.region_km[(fc, region)]
    hop = 0.0 if req.centers[fc].region == region else o.out_of_region
    kg = req.weights_g.get(sku, o.default_weight_g) / 1000
    return o.per_kg_km * kg * km + (o.per_km * km + hop) / p.units_per_package


def _shipment(req: InboundRequest, p: PlacementParams, fc: str) -> float:
    return p.trip_share * (p.truck_fixed + p.truck_per_km * _km(req, fc))


def _unit_inbound(req: InboundRequest, p: PlacementParams, fc: str, sku: str) -> float:
    kg = req.weights_g.get(sku, p.outbound.default_weight_g) / 1000
    return p.inbound_per_kg_km * kg * _km(req, fc)


def place(
    req: InboundRequest, solver: LpSolver, max_fcs: int, p: PlacementParams = PlacementParams()
) -> PlacementPlan:
    """The cheapest placement with at most ``max_fcs`` destinations (greedy on failure)."""
    lp = LinearProgram()
    fcs = sorted(f for f in req.centers if req.free_capacity.get(f, 0) > 0)
    opened = {f: lp.add_col(_shipment(req, p, f), 0.0, 1.0, integer=True) for f in fcs}
    lp.add_row([(c, 1.0) for c in opened.values()], -float("inf"), float(max_fcs))
    u: dict[tuple[str, str], int] = {}
    load: dict[str, list[tuple[int, float]]] = {f: [] for f in fcs}
    for sku, n in sorted(req.units.items()):
        regions = sorted(r for (r, k), s in req.share.items() if k == sku and s > 0)
        into: dict[str, list[tuple[int, float]]] = {r: [] for r in regions}
        for f in fcs:
            col = lp.add_col(_unit_inbound(req, p, f, sku), 0.0, float(n), integer=True)
            u[(f, sku)] = col
            load[f].append((col, 1.0))
            lp.add_row([(col, 1.0), (opened[f], -float(n))], -float("inf"), 0.0)
            flow = [(col, -1.0)]
            for r in regions:
                z = lp.add_col(_outbound(req, p, f, r, sku))
                flow.append((z, 1.0))
                into[r].append((z, 1.0))
            lp.add_row(flow, 0.0, 0.0)
        lp.add_row([(u[(f, sku)], 1.0) for f in fcs], float(n), float(n))
        for r in regions:
            d = n * req.share[(r, sku)]
            lp.add_row(into[r], d, d)
    for f in fcs:
        lp.add_row(load[f], -float("inf"), float(req.free_capacity[f]))
    try:
        sol = solver.solve(lp, time_limit_s=p.time_limit_s)
    except Exception as exc:  # a broken adapter must not lose the inbound plan
        return _greedy(req, p, max_fcs, f"solver raised {exc!r}")
    if not sol.ok:
        reason = f"solver {sol.status.value}: {sol.message}".rstrip(": ")
        return _greedy(req, p, max_fcs, reason)
    units = {k: round(sol.values[c]) for k, c in u.items() if round(sol.values[c]) > 0}
    return PlacementPlan(units, sol.objective, max_fcs)


def _unit_cost(req: InboundRequest, p: PlacementParams, fc: str, sku: str) -> float:
    """Inbound plus demand-weighted outbound cost of one unit of ``sku`` placed at ``fc``."""
    out = sum(s * _outbound(req, p, fc, r, sku) for (r, k), s in req.share.items() if k == sku)
    return _unit_inbound(req, p, fc, sku) + out


def _greedy(req: InboundRequest, p: PlacementParams, max_fcs: int, reason: str) -> PlacementPlan:
    """Each SKU to its cheapest FC (opened ones first once ``max_fcs`` are used), spilling on
    capacity. Cost counts outbound as if each FC's units served regions in demand shares."""
    left = dict(req.free_capacity)
    opened: list[str] = []
    units: dict[tuple[str, str], int] = {}
    unplaced: dict[str, int] = {}
    cost = 0.0
    for sku, n in sorted(req.units.items(), key=lambda kv: (-kv[1], kv[0])):
        while n > 0:
            pool = opened if len(opened) >= max_fcs else sorted(req.centers)
            pool = [f for f in pool if left.get(f, 0) > 0]
            if not pool:
                unplaced[sku] = n  # no room in any allowed FC: stays with the seller, said so
                break
            f = min(pool, key=lambda f: (_unit_cost(req, p, f, sku), f))
            take = min(n, left[f])
            if f not in opened:
                opened.append(f)
                cost += _shipment(req, p, f)
            units[(f, sku)] = units.get((f, sku), 0) + take
            cost += take * _unit_cost(req, p, f, sku)
            left[f] -= take
            n -= take
    return PlacementPlan(units, cost, max_fcs, reason, unplaced)


def placement_options(
    req: InboundRequest, solver: LpSolver, p: PlacementParams = PlacementParams()
) -> list[PlacementOption]:
    """Price each choice of destination count: network cost vs the seller's placement fee."""
    total = sum(req.units.values())
    out = []
    for k in sorted({*p.fee_per_unit, max(p.fee_per_unit) + 1}):
        plan = place(req, solver, k, p)
        out.append(PlacementOption(k, plan.network_cost, p.fee_per_unit.get(k, 0.0) * total, plan))
    return out
