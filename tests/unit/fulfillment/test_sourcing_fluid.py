"""Fluid-LP future values and the HiGHS adapter's sign conventions."""

from __future__ import annotations

import pytest

from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver
from tradewind.fulfillment.lp import LinearProgram, LpStatus
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.sourcing_cost import CostParams
from tradewind.fulfillment.sourcing_fluid import FluidInputs, future_values, unit_cost

CENTERS = {
    "E1": FulfillmentCenter("E1", "e", "e", "US", 40.7, -74.0, 1, "EAST"),
    "W1": FulfillmentCenter("W1", "w", "w", "US", 34.0, -118.2, 1, "WEST"),
}
KM = {("E1", "EAST"): 100.0, ("E1", "WEST"): 3900.0, ("W1", "WEST"): 100.0, ("W1", "EAST"): 3900.0}
SOLVER = HighsLpSolver()


def _inputs(stock: dict[tuple[str, str], int], demand: dict[tuple[str, str], float]) -> FluidInputs:
    return FluidInputs(stock, demand, KM, CENTERS, {"A": 1000}, CostParams())


def test_scarce_near_stock_has_a_future_value_equal_to_what_it_saves():
    """E1's unit is needed in the East (1.5 expected, W1 covers the rest): shipping it now
    makes a future East unit come from the West; its dual is that difference."""
    inputs = _inputs({("E1", "A"): 1, ("W1", "A"): 5}, {("EAST", "A"): 1.5})
    res = future_values(inputs, SOLVER, 5.0)
    saving = unit_cost(inputs, "W1", "EAST", "A") - unit_cost(inputs, "E1", "EAST", "A")
    assert res.fallback_reason is None
    assert res.future_value[("E1", "A")] == pytest.approx(saving)
    assert ("W1", "A") not in res.future_value  # plentiful: worth nothing extra


def test_stock_beyond_expected_demand_is_worth_nothing():
    """Slack units have a zero dual."""
    res = future_values(_inputs({("E1", "A"): 3}, {("EAST", "A"): 1.0}), SOLVER, 5.0)
    assert res.future_value == {}


def test_short_stock_is_worth_up_to_the_back_order_cost():
    """With demand above stock the marginal unit saves a back-order."""
    inputs = _inputs({("E1", "A"): 1}, {("EAST", "A"): 2.0})
    res = future_values(inputs, SOLVER, 5.0)
    expected = CostParams().backorder - unit_cost(inputs, "E1", "EAST", "A")
    assert res.future_value[("E1", "A")] == pytest.approx(expected)


def test_highs_adapter_reports_duals_for_lps_and_none_for_mips():
    """Binding <= rows have a non-positive dual (minimisation); MIPs return no duals."""
    lp = LinearProgram()
    a, b = lp.add_col(1.0), lp.add_col(2.0)
    lp.add_row([(a, 1.0), (b, 1.0)], 3.0, float("inf"))
    cap = lp.add_row([(a, 1.0)], -float("inf"), 1.0)
    sol = SOLVER.solve(lp, time_limit_s=5.0)
    assert sol.status is LpStatus.OPTIMAL and sol.objective == pytest.approx(5.0)
    assert sol.row_duals[cap] == pytest.approx(-1.0)
    lp.integer[b] = True
    mip = SOLVER.solve(lp, time_limit_s=5.0)
    assert mip.ok and mip.row_duals == ()


def test_highs_adapter_reports_infeasibility_as_a_status():
    """An infeasible model is a status, not an exception."""
    lp = LinearProgram()
    x = lp.add_col(1.0, 0.0, 1.0)
    lp.add_row([(x, 1.0)], 2.0, 2.0)
    assert SOLVER.solve(lp, time_limit_s=5.0).status in (LpStatus.INFEASIBLE, LpStatus.ERROR)
