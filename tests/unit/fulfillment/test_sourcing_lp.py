"""The batch sourcing MIP against brute force, its invariants, and its greedy safety net."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver
from tradewind.fulfillment.errors import InsufficientStock
from tradewind.fulfillment.lp import LinearProgram, LpSolution, LpStatus
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.fulfillment.sourcing import Allocation, LineDemand, SourcingPolicy
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.fulfillment.sourcing_greedy import greedy_sourcing
from tradewind.fulfillment.sourcing_lp import LpParams, LpSourcingPolicy, solve_batch
from tradewind.fulfillment.sourcing_problem import (
    BackOrder,
    OrderRequest,
    SourcingProblem,
    check_result,
    score_order,
)

CENTERS = {
    "NYC": FulfillmentCenter("NYC", "n", "New York", "US", 40.71, -74.0, 1, "EAST"),
    "CHI": FulfillmentCenter("CHI", "c", "Chicago", "US", 41.88, -87.63, 1, "MID"),
    "LAX": FulfillmentCenter("LAX", "l", "Los Angeles", "US", 34.05, -118.24, 1, "WEST"),
}
BOSTON, DENVER = (42.36, -71.06), (39.74, -104.99)
SIMPLE = CostParams(
    package_fixed=100.0, per_km=1.0, per_kg_km=0.0, split_penalty=50.0, out_of_region=0.0
)
SOLVER = HighsLpSolver(seed=0)
EXACT = LpParams(backorder_weight=1.0)  # decide on the true back-order cost, like brute force


def _order(
    oid: str, dest: tuple[float, float], *lines: tuple[str, int], region: str = ""
) -> OrderRequest:
    return OrderRequest(
        oid, tuple(LineDemand(i + 1, s, q) for i, (s, q) in enumerate(lines)), dest, region
    )


def test_mip_ships_both_lines_together_when_the_split_costs_more():
    """Hand-checked: one parcel from CHI beats A from NYC plus B from CHI (a split)."""
    order = _order("o1", BOSTON, ("A", 1), ("B", 1))
    problem = SourcingProblem(
        (order,), {("NYC", "A"): 5, ("CHI", "A"): 5, ("CHI", "B"): 5}, CENTERS, params=SIMPLE
    )
    near, mid = problem.km(order, "NYC"), problem.km(order, "CHI")
    greedy = greedy_sourcing(problem)
    lp = solve_batch(problem, SOLVER, EXACT)
    assert greedy.cost == pytest.approx(100 + near + 100 + mid + 50)
    assert lp.cost == pytest.approx(100 + mid)  # 100 + mid < 250 + near + mid
    assert {a.fc_id for a in lp.orders[0].allocations} == {"CHI"}
    assert lp.method == "lp" and lp.fallback_reason is None


def test_mip_keeps_the_last_near_unit_for_the_order_that_needs_it():
    """Seeing the batch, Boston gets the NYC unit and Denver the CHI one (not first come)."""
    boston, denver = _order("b", BOSTON, ("A", 1)), _order("d", DENVER, ("A", 1))
    stock = {("NYC", "A"): 1, ("CHI", "A"): 1}
    problem = SourcingProblem((denver, boston), stock, CENTERS, params=SIMPLE)
    lp = solve_batch(problem, SOLVER, EXACT)
    chosen = {o.order_id: o.allocations[0].fc_id for o in lp.orders}
    assert chosen == {"b": "NYC", "d": "CHI"}


def _line_options(line: LineDemand, fcs: list[str]) -> Iterator[tuple[int, ...]]:
    for split in itertools.product(range(line.quantity + 1), repeat=len(fcs)):
        if sum(split) <= line.quantity:
            yield split


def _brute_force(problem: SourcingProblem) -> float:
    """Cheapest true cost over every integral allocation (stock respected)."""
    fcs = sorted(problem.centers)
    slots = [(oi, ln) for oi, o in enumerate(problem.orders) for ln in o.lines]
    best = float("inf")
    for choice in itertools.product(*(list(_line_options(ln, fcs)) for _, ln in slots)):
        used: dict[tuple[str, str], int] = {}
        allocs: dict[int, list[Allocation]] = {}
        backs: dict[int, list[BackOrder]] = {}
        for (oi, ln), split in zip(slots, choice, strict=True):
            order = problem.orders[oi]
            for fc, q in zip(fcs, split, strict=True):
                if q:
                    used[(fc, ln.sku)] = used.get((fc, ln.sku), 0) + q
                    km = problem.km(order, fc)
                    allocs.setdefault(oi, []).append(Allocation(ln.line_no, ln.sku, fc, q, km))
            if ln.quantity - sum(split):
                short = ln.quantity - sum(split)
                backs.setdefault(oi, []).append(
                    BackOrder(order.order_id, ln.line_no, ln.sku, short)
                )
        if any(q > problem.stock.get(k, 0) for k, q in used.items()):
            continue
        total = sum(
            score_order(problem, o, allocs.get(i, []), backs.get(i, [])).cost
            for i, o in enumerate(problem.orders)
        )
        best = min(best, total)
    return best


DESTS = st.sampled_from([BOSTON, DENVER, (34.0, -118.0), (47.6, -122.3)])
SKUS = st.sampled_from(["A", "B"])
ORDERS = st.lists(
    st.tuples(
        DESTS,
        st.lists(
            st.tuples(SKUS, st.integers(1, 2)), min_size=1, max_size=2, unique_by=lambda t: t[0]
        ),
    ),
    min_size=1,
    max_size=2,
)
STOCK = st.dictionaries(
    st.tuples(st.sampled_from(sorted(CENTERS)), SKUS), st.integers(0, 2), max_size=4
)


def _problem(
    orders: list, stock: dict, params: CostParams = SIMPLE, *, regionalize: bool = False
) -> SourcingProblem:
    reqs = tuple(_order(f"o{i}", d, *lines) for i, (d, lines) in enumerate(orders))
    weights = {"A": 1500, "B": 300}
    return SourcingProblem(reqs, stock, CENTERS, weights, regionalize=regionalize, params=params)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ORDERS, STOCK)
def test_mip_cost_matches_brute_force_enumeration(orders, stock):
    """On tiny batches the MIP's true cost equals the best of every integral allocation."""
    problem = _problem(orders, stock, CostParams(per_kg_km=0.05, out_of_region=0.0))
    lp = solve_batch(problem, SOLVER, EXACT)
    assert lp.fallback_reason is None
    assert lp.cost == pytest.approx(_brute_force(problem), rel=1e-6, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(ORDERS, STOCK, st.booleans())
def test_never_ships_more_than_on_hand_and_every_line_is_accounted_for(orders, stock, regional):
    """Greedy and MIP: stock never exceeded; each line allocated or explicitly back-ordered."""
    problem = _problem(orders, stock, regionalize=regional)
    for result in (greedy_sourcing(problem), solve_batch(problem, SOLVER)):
        assert check_result(problem, result) == []
        for key, q in result.shipped().items():
            assert q <= stock.get(key, 0)
        short = sum(b.quantity for b in result.backorders)
        wanted = sum(ln.quantity for o in problem.orders for ln in o.lines)
        assert sum(result.shipped().values()) + short == wanted


class _Raising:
    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution:
        raise RuntimeError("license server down")


class _Status:
    def __init__(self, status: LpStatus, values: tuple[float, ...] = ()) -> None:
        self.status, self.values = status, values

    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution:
        values = self.values or ()
        return LpSolution(self.status, 0.0, values, (), "stub")


class _Zeros:
    """Claims optimality but ships nothing and back-orders nothing (an unsound answer)."""

    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution:
        return LpSolution(LpStatus.OPTIMAL, 0.0, (0.0,) * program.num_cols)


@pytest.mark.parametrize(
    ("solver", "reason"),
    [
        (_Raising(), "solver raised RuntimeError('license server down')"),
        (_Status(LpStatus.TIME_LIMIT), "solver time_limit: stub"),
        (_Status(LpStatus.ERROR), "solver error: stub"),
        (_Zeros(), "unsound solver answer"),
    ],
)
def test_solver_failure_falls_back_to_greedy_and_says_so(solver, reason):
    """No lost order: greedy decides, the same as greedy alone, and the reason is recorded."""
    problem = _problem(
        [(BOSTON, [("A", 2), ("B", 1)])], {("NYC", "A"): 1, ("LAX", "A"): 3, ("CHI", "B"): 1}
    )
    result = solve_batch(problem, solver)
    assert result.method == "greedy_fallback"
    assert result.fallback_reason is not None and result.fallback_reason.startswith(reason)
    assert result.orders == greedy_sourcing(problem).orders
    assert check_result(problem, result) == []


def test_real_highs_time_limit_is_reported_not_raised():
    """A zero-ish time limit on HiGHS either solves or falls back with a reason."""
    orders = [(BOSTON, [("A", 1), ("B", 2)]), (DENVER, [("A", 2)])] * 20
    problem = _problem(orders, {("NYC", "A"): 30, ("CHI", "A"): 30, ("LAX", "B"): 50})
    result = solve_batch(problem, SOLVER, LpParams(time_limit_s=1e-6))
    assert check_result(problem, result) == []
    assert (result.method == "lp") == (result.fallback_reason is None)


def test_lp_policy_satisfies_the_checkout_protocol():
    """LpSourcingPolicy plugs in where nearest_fc_with_stock does, all-or-nothing."""
    policy: SourcingPolicy = LpSourcingPolicy(SOLVER, cost=SIMPLE)
    pos = [InventoryPosition("NYC", "A", 3, reserved=1), InventoryPosition("CHI", "B", 2)]
    alloc = policy([LineDemand(1, "A", 2)], pos, CENTERS, BOSTON)
    assert [(a.fc_id, a.quantity) for a in alloc] == [("NYC", 2)]
    with pytest.raises(InsufficientStock) as info:
        policy([LineDemand(1, "A", 3)], pos, CENTERS, BOSTON)
    assert info.value.errors[0]["short"] == 1
