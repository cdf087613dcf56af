"""Bounds on inbound work: promise horizon, plan size, shipment count, and the line-haul
planner's time budget (raise for a booking, ``no_path`` per shipment for a report)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from tests.unit.fulfillment.test_linehaul_planner import NETWORK, READY, _req
from tradewind.fulfillment.adapters.linehaul_planner import NetworkLinehaulPlanner
from tradewind.fulfillment.inbound import InvalidInboundPlan
from tradewind.fulfillment.inbound_limits import (
    MAX_PLAN_UNITS,
    MAX_PROMISE,
    MAX_SHIPMENTS,
    check_promise,
    check_shipments,
    check_size,
)
from tradewind.transport.linehaul import Criterion, PlanningBudgetExceeded
from tradewind.transport.planner import make_request, plan


def test_promise_beyond_180_days_is_refused_with_the_latest_allowed():
    """180 days is accepted; a second more, or year 9999, is a coded 422 naming the field."""
    check_promise(READY + MAX_PROMISE, READY)
    with pytest.raises(InvalidInboundPlan) as err:
        check_promise(READY + MAX_PROMISE + timedelta(seconds=1), READY)
    assert err.value.errors[0]["field"] == "arrive_by"
    assert err.value.errors[0]["max_days"] == 180
    with pytest.raises(InvalidInboundPlan):
        check_promise(READY.replace(year=9999), READY)


def test_plan_size_and_shipment_count_are_bounded():
    """Too many units over all lines, or more shipments than allowed, are refused."""
    check_size((("A", 1_000_000), ("B", 1_000_000)))
    with pytest.raises(InvalidInboundPlan) as err:
        check_size((("A", 1_000_000), ("B", 1_000_000), ("C", 1)))
    assert f"{MAX_PLAN_UNITS:,}" in err.value.errors[0]["reason"]
    check_shipments(MAX_SHIPMENTS, 1.0)
    with pytest.raises(InvalidInboundPlan):
        check_shipments(MAX_SHIPMENTS + 1, 1.0)


def test_stop_aborts_the_search():
    """``plan`` asks ``stop`` and raises ``planning_budget_exceeded`` (503) when told to."""
    req = make_request(
        NETWORK, "CNSHA", "DE-FC-001", 500, (READY, READY + timedelta(days=60)), Criterion.COST
    )
    assert plan(NETWORK, req, stop=lambda: False).legs
    with pytest.raises(PlanningBudgetExceeded) as err:
        plan(NETWORK, req, stop=lambda: True)
    assert err.value.code == "planning_budget_exceeded" and err.value.status == 503


def test_budget_raises_for_a_booking_and_marks_shipments_in_a_report():
    """A clock past the budget: a booking planner raises; a partial one answers no_path."""
    ticks = count(0, 100)  # every reading is 100 s later than the last
    reqs = [_req("p/1", "DE-FC-001", 500), _req("p/2", "DE-FC-002", 500)]
    booking = NetworkLinehaulPlanner(NETWORK, budget_s=20, timer=lambda: next(ticks))
    with pytest.raises(PlanningBudgetExceeded):
        booking.plan(reqs)
    report = NetworkLinehaulPlanner(
        NETWORK, budget_s=20, partial=True, timer=lambda: next(ticks)
    ).plan(reqs)
    assert [s.no_path.code for s in report.shipments if s.no_path] == [
        "planning_budget_exceeded"
    ] * 2
    fine = NetworkLinehaulPlanner(NETWORK, budget_s=20).plan(reqs)
    assert all(s.no_path is None for s in fine.shipments)
