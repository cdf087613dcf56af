"""Regionalization: the customer's region first, other regions only when it is out of stock."""

from __future__ import annotations

from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.sourcing import LineDemand
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.fulfillment.sourcing_greedy import greedy_sourcing
from tradewind.fulfillment.sourcing_lp import solve_batch
from tradewind.fulfillment.sourcing_problem import OrderRequest, SourcingProblem

CENTERS = {
    # PHL sits in another region but is nearer to the customer than BOS.
    "PHL": FulfillmentCenter("PHL", "p", "Philadelphia", "US", 39.95, -75.17, 1, "MID"),
    "BOS": FulfillmentCenter("BOS", "b", "Boston", "US", 42.36, -71.06, 1, "EAST"),
}
CUSTOMER = OrderRequest("o1", (LineDemand(1, "A", 1),), (40.73, -73.99), "EAST")  # New York
SOLVER = HighsLpSolver()
NO_HOP_COST = CostParams(out_of_region=0.0)  # so only the regional rule prefers BOS


def _problem(stock: dict[tuple[str, str], int], regionalize: bool) -> SourcingProblem:
    return SourcingProblem((CUSTOMER,), stock, CENTERS, regionalize=regionalize, params=NO_HOP_COST)


def test_without_regionalization_the_nearest_fc_ships():
    """Baseline: nearest FC, whatever its region."""
    problem = _problem({("PHL", "A"): 1, ("BOS", "A"): 1}, False)
    assert greedy_sourcing(problem).orders[0].allocations[0].fc_id == "PHL"
    assert solve_batch(problem, SOLVER).orders[0].allocations[0].fc_id == "PHL"


def test_regionalization_keeps_the_order_in_region():
    """Both policies ship from the customer's region when it has stock."""
    problem = _problem({("PHL", "A"): 1, ("BOS", "A"): 1}, True)
    for result in (greedy_sourcing(problem), solve_batch(problem, SOLVER)):
        assert result.orders[0].allocations[0].fc_id == "BOS"
        assert result.orders[0].in_region_units == 1


def test_regionalization_leaves_the_region_when_it_is_out_of_stock():
    """No back-order just to stay in region."""
    problem = _problem({("PHL", "A"): 1, ("BOS", "A"): 0}, True)
    for result in (greedy_sourcing(problem), solve_batch(problem, SOLVER)):
        assert result.orders[0].allocations[0].fc_id == "PHL"
        assert result.backorders == ()
