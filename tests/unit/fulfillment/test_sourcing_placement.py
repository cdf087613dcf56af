"""FBA inbound placement MIP: brute force, capacity, the fee trade-off and the fallback."""

from __future__ import annotations

import itertools

import pytest

from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver
from tradewind.fulfillment.lp import LinearProgram, LpSolution, LpStatus
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.placement import (
    InboundRequest,
    PlacementParams,
    _outbound,
    _shipment,
    _unit_inbound,
    place,
    placement_options,
)

CENTERS = {
    "E1": FulfillmentCenter("E1", "e", "e", "US", 40.7, -74.0, 1, "EAST"),
    "C1": FulfillmentCenter("C1", "c", "c", "US", 41.9, -87.6, 1, "MID"),
    "W1": FulfillmentCenter("W1", "w", "w", "US", 34.0, -118.2, 1, "WEST"),
}
KM = {
    (f, r): (60.0 if CENTERS[f].region == r else km)
    for f, km in (("E1", 2500.0), ("C1", 1200.0), ("W1", 3000.0))
    for r in ("EAST", "MID", "WEST")
}
LA_PORT = (33.74, -118.27)
SOLVER = HighsLpSolver()


def _request(share: dict[tuple[str, str], float], cap: int = 100, units: int = 4) -> InboundRequest:
    return InboundRequest({"A": units}, LA_PORT, share, KM, CENTERS, dict.fromkeys(CENTERS, cap))


def _brute_force(req: InboundRequest, p: PlacementParams, max_fcs: int, region: str) -> float:
    fcs, n = sorted(CENTERS), req.units["A"]
    best = float("inf")
    for split in itertools.product(range(n + 1), repeat=len(fcs)):
        used = [f for f, q in zip(fcs, split, strict=True) if q]
        if sum(split) != n or len(used) > max_fcs:
            continue
        if any(q > req.free_capacity[f] for f, q in zip(fcs, split, strict=True)):
            continue
        cost = sum(_shipment(req, p, f) for f in used) + sum(
            q * (_unit_inbound(req, p, f, "A") + _outbound(req, p, f, region, "A"))
            for f, q in zip(fcs, split, strict=True)
        )
        best = min(best, cost)
    return best


@pytest.mark.parametrize(
    ("region", "cap", "max_fcs"), [("EAST", 100, 1), ("EAST", 2, 2), ("MID", 3, 2), ("WEST", 2, 3)]
)
def test_placement_matches_brute_force(region, cap, max_fcs):
    """All demand in one region: the MIP's cost equals the best enumerated split."""
    req, p = _request({(region, "A"): 1.0}, cap), PlacementParams()
    plan = place(req, SOLVER, max_fcs, p)
    assert plan.fallback_reason is None
    assert plan.network_cost == pytest.approx(_brute_force(req, p, max_fcs, region))
    assert sum(plan.units.values()) == 4 and len(plan.destinations) <= max_fcs


def test_units_go_near_demand_when_more_destinations_are_allowed():
    """Half East, half West demand: two FCs put stock on both coasts; one FC cannot.

    Hand check: a unit shipped West-to-East costs ~5.35 USD outbound vs ~0.09 from E1, and
    the extra truck share to E1 is ~358 USD, so 200 East units pay for it (20 would not)."""
    req = _request({("EAST", "A"): 0.5, ("WEST", "A"): 0.5}, cap=1000, units=400)
    two = place(req, SOLVER, 2)
    assert two.units == {("E1", "A"): 200, ("W1", "A"): 200}
    small = place(_request({("EAST", "A"): 0.5, ("WEST", "A"): 0.5}, units=40), SOLVER, 2)
    assert small.destinations == ["W1"]
    one = place(req, SOLVER, 1)
    assert len(one.destinations) == 1 and one.network_cost > two.network_cost


def test_options_make_the_fee_trade_off_explicit():
    """Fewer destinations: higher seller fee, never a lower network cost."""
    req = _request({("EAST", "A"): 0.4, ("MID", "A"): 0.3, ("WEST", "A"): 0.3}, units=60)
    options = placement_options(req, SOLVER)
    assert [o.max_fcs for o in options] == [1, 2, 3, 4]
    costs = [o.network_cost for o in options]
    fees = [o.seller_fee for o in options]
    assert all(a >= b - 1e-6 for a, b in itertools.pairwise(costs))
    assert fees == sorted(fees, reverse=True) and fees[-1] == 0.0


class _Broken:
    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution:
        return LpSolution(LpStatus.TIME_LIMIT, message="stub")


def test_more_units_than_capacity_is_reported_not_raised():
    """Infeasible (too little room): greedy places what fits and the reason says so."""
    plan = place(_request({("WEST", "A"): 1.0}, cap=1), SOLVER, 3)
    assert plan.fallback_reason == "solver infeasible: Infeasible"
    assert sum(plan.units.values()) == 3 and plan.unplaced == {"A": 1}


def test_solver_failure_falls_back_to_greedy_within_capacity():
    """A failed solve still places every unit that fits, and says why."""
    req = _request({("EAST", "A"): 1.0}, cap=3, units=7)
    plan = place(req, _Broken(), 3)
    assert plan.fallback_reason == "solver time_limit: stub"
    assert sum(plan.units.values()) == 7
    assert all(q <= 3 for q in plan.units.values())
    assert plan.units[("E1", "A")] == 3  # the nearest FC to the demand is filled first
