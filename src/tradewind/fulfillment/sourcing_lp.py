"""Cost-optimal sourcing of an order batch as a small MIP, with a greedy safety net.

Per order o, candidate FC f (holds a SKU of the order) and line l::

    min  sum_of y[o,f] * (package(km_of, in_region) + split)      one parcel per (order, FC)
       - sum_o  s[o] * split                                       the first parcel is no split
       + sum_lf x[l,f] * (kg_l * km_of * per_kg_km + fv[f,sku_l] + lock[l,f])
       + sum_l  b[l] * backorder
    s.t. sum_f x[l,f] + b[l] = q_l                                 shipped or back-ordered
         sum_{l: sku_l = k} x[l,f] <= stock[f,k]                   never more than on hand
         x[l,f] <= min(q_l, stock[f,sku_l]) * y[o,f]               a unit needs its parcel
         s[o] <= sum_f y[o,f],  0 <= s[o] <= 1
         x, b integer >= 0;  y binary

``fv`` is the future value of a unit (fluid-LP dual, ``sourcing_fluid``); ``lock`` is a large
per-unit charge for leaving the customer's region when the region could cover the line
(``regionalize``). For integral solutions the objective without ``fv`` and ``lock`` equals
``score_order``'s cost, so ``relax=True`` with neither gives a valid lower bound (hindsight).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tradewind.fulfillment.errors import InsufficientStock
from tradewind.fulfillment.lp import LinearProgram, LpSolution
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.fulfillment.ports import LpSolver
from tradewind.fulfillment.sourcing import Allocation, LineDemand
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.fulfillment.sourcing_greedy import greedy_sourcing
from tradewind.fulfillment.sourcing_problem import (
    BackOrder,
    OrderRequest,
    SourcingProblem,
    SourcingResult,
    check_result,
    score_order,
)
from tradewind.shared.geo import haversine_km


@dataclass(frozen=True, slots=True)
class LpParams:
    time_limit_s: float = 0.25
    relax: bool = False  # LP relaxation (the hindsight bound); decisions need relax=False
    region_lock: float = 2_500.0  # per unit, below ``backorder`` so it never causes one
    future_weight: float = 1.0  # scale on the fluid duals (1.0 = Acimovic-Graves as stated)
    # Decisions back-order only what no FC holds: holding stock back for forecast demand
    # that may not come is not worth a certain order (the score still uses ``backorder``).
    backorder_weight: float = 10.0


@dataclass(frozen=True, slots=True)
class _XCol:
    order: int
    line: LineDemand
    fc_id: str
    col: int
    km: float


@dataclass
class BatchModel:
    program: LinearProgram
    xs: list[_XCol]
    bs: list[tuple[int, LineDemand, int]]


def build_model(problem: SourcingProblem, params: LpParams) -> BatchModel:
    """The batch MIP (or its relaxation) as a solver-agnostic ``LinearProgram``."""
    lp, cost = LinearProgram(), problem.params
    holders, xs, bs = problem.holders(), [], []
    use: dict[tuple[str, str], list[int]] = {}
    for oi, order in enumerate(problem.orders):
        km = {f: problem.km(order, f) for ln in order.lines for f in holders.get(ln.sku, [])}
        y = _packages(lp, problem, order, km, relax=params.relax)
        for line in order.lines:
            b = lp.add_col(
                cost.backorder * params.backorder_weight,
                0.0,
                line.quantity,
                integer=not params.relax,
            )
            cover = [(b, 1.0)]
            bs.append((oi, line, b))
            lock = _needs_lock(problem, order, line)
            for f in holders.get(line.sku, []):
                unit = cost.unit_distance_cost(km[f], problem.weight(line.sku))
                unit += params.future_weight * problem.future_value.get((f, line.sku), 0.0)
                if lock and not problem.in_region(order, f):
                    unit += params.region_lock
                cap = min(line.quantity, problem.stock[(f, line.sku)])
                x = lp.add_col(unit, 0.0, cap, integer=not params.relax)
                lp.add_row([(x, 1.0), (y[f], -float(cap))], -float("inf"), 0.0)
                cover.append((x, 1.0))
                use.setdefault((f, line.sku), []).append(x)
                xs.append(_XCol(oi, line, f, x, km[f]))
            lp.add_row(cover, float(line.quantity), float(line.quantity))
    for key, cols in sorted(use.items()):
        lp.add_row([(c, 1.0) for c in cols], -float("inf"), float(problem.stock[key]))
    return BatchModel(lp, xs, bs)


def _packages(
    lp: LinearProgram,
    problem: SourcingProblem,
    order: OrderRequest,
    km: dict[str, float],
    *,
    relax: bool,
) -> dict[str, int]:
    """One parcel column per candidate FC, and the credit ``s`` for the order's first one."""
    cost = problem.params
    y = {
        f: lp.add_col(
            cost.package(km[f], 0.0, in_region=problem.in_region(order, f)) + cost.split_penalty,
            0.0,
            1.0,
            integer=not relax,
        )
        for f in sorted(km)
    }
    if y:
        s = lp.add_col(-cost.split_penalty, 0.0, 1.0)
        lp.add_row([(s, 1.0)] + [(c, -1.0) for c in y.values()], -float("inf"), 0.0)
    return y


def _needs_lock(problem: SourcingProblem, order: OrderRequest, line: LineDemand) -> bool:
    if not problem.regionalize or not order.region:
        return False
    local = sum(
        units
        for (fc, sku), units in problem.stock.items()
        if sku == line.sku and fc in problem.centers and problem.in_region(order, fc)
    )
    return local >= line.quantity


def decode(problem: SourcingProblem, model: BatchModel, values: Sequence[float]) -> SourcingResult:
    """Integral allocations from a MIP solution (rounded; checked by the caller)."""
    allocs: dict[int, list[Allocation]] = {}
    backs: dict[int, list[BackOrder]] = {}
    for xc in model.xs:
        q = round(values[xc.col])
        if q > 0:
            a = Allocation(xc.line.line_no, xc.line.sku, xc.fc_id, q, xc.km)
            allocs.setdefault(xc.order, []).append(a)
    for oi, line, col in model.bs:
        q = round(values[col])
        if q > 0:
            order_id = problem.orders[oi].order_id
            backs.setdefault(oi, []).append(BackOrder(order_id, line.line_no, line.sku, q))
    decided = tuple(
        score_order(problem, order, allocs.get(oi, []), backs.get(oi, []))
        for oi, order in enumerate(problem.orders)
    )
    return SourcingResult(decided, "lp")


def solve_batch(
    problem: SourcingProblem, solver: LpSolver, params: LpParams = LpParams()
) -> SourcingResult:
    """Optimal batch sourcing; on solver error, time-out or an unsound answer, the greedy
    baseline decides and ``fallback_reason`` says why. Never loses an order."""
    if not problem.orders:
        return SourcingResult((), "lp")
    model = build_model(problem, replace(params, relax=False))
    try:
        sol = solver.solve(model.program, time_limit_s=params.time_limit_s)
    except Exception as exc:  # a broken adapter must not lose the order
        return greedy_sourcing(problem, fallback_reason=f"solver raised {exc!r}")
    if not sol.ok:
        reason = f"solver {sol.status.value}: {sol.message}".rstrip(": ")
        return greedy_sourcing(problem, fallback_reason=reason)
    result = decode(problem, model, sol.values)
    errors = check_result(problem, result)
    if errors:
        return greedy_sourcing(problem, fallback_reason="unsound solver answer: " + errors[0])
    return SourcingResult(result.orders, "lp", None, sol.solve_ms)


def hindsight_bound(
    problem: SourcingProblem, solver: LpSolver, time_limit_s: float, *, relax: bool = True
) -> LpSolution:
    """The whole horizon solved at once with perfect knowledge (no future values, no
    regional lock, true back-order cost). ``relax=True`` gives the LP relaxation, a lower
    bound on the true cost of any sourcing of these orders; ``relax=False`` the exact MIP."""
    plain = SourcingProblem(
        problem.orders,
        problem.stock,
        problem.centers,
        problem.weights_g,
        {},
        False,
        problem.params,
    )
    model = build_model(plain, LpParams(time_limit_s, relax=relax, backorder_weight=1.0))
    return solver.solve(model.program, time_limit_s=time_limit_s)


class LpSourcingPolicy:
    """``SourcingPolicy`` for checkout: one order, solved by ``solve_batch``.

    Like ``nearest_fc_with_stock`` it allocates all or nothing: a shortfall raises
    ``InsufficientStock``. ``last_result`` keeps the full result (method, fallback_reason).
    """

    def __init__(
        self,
        solver: LpSolver,
        *,
        params: LpParams = LpParams(),
        cost: CostParams = CostParams(),
        weights_g: Mapping[str, int] | None = None,
        regionalize: bool = False,
    ) -> None:
        self.solver, self.params, self.cost = solver, params, cost
        self.weights_g = dict(weights_g or {})
        self.regionalize = regionalize
        self.future_value: dict[tuple[str, str], float] = {}
        self.last_result: SourcingResult | None = None

    def __call__(
        self,
        lines: Sequence[LineDemand],
        positions: Sequence[InventoryPosition],
        centers: Mapping[str, FulfillmentCenter],
        destination: tuple[float, float],
    ) -> list[Allocation]:
        near = min(
            centers.values(),
            key=lambda c: (haversine_km(c.lat, c.lon, *destination), c.fc_id),
            default=None,
        )
        order = OrderRequest("order", tuple(lines), destination, near.region if near else "")
        stock = {(p.fc_id, p.sku): p.available for p in positions}
        problem = SourcingProblem(
            (order,),
            stock,
            centers,
            self.weights_g,
            self.future_value,
            self.regionalize,
            self.cost,
        )
        result = solve_batch(problem, self.solver, self.params)
        self.last_result = result
        if result.backorders:
            short = result.backorders
            raise InsufficientStock(
                f"{sum(b.quantity for b in short)} units short",
                errors=[{"line": b.line_no, "sku": b.sku, "short": b.quantity} for b in short],
            )
        return list(result.orders[0].allocations)
