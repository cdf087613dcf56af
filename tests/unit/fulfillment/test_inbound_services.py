"""Inbound handlers with in-memory fakes: placement, fee choice, fallback, receiving."""

from __future__ import annotations

from dataclasses import replace
from typing import Self

import pytest

from tradewind.fulfillment.inbound import (
    InboundPlan,
    InboundPlanNotFound,
    InboundReceived,
    InboundStatus,
    Origin,
)
from tradewind.fulfillment.inbound_services import (
    CreateInboundPlan,
    PlanContext,
    ReceiveInbound,
    create_inbound_plan,
    receive_inbound,
)
from tradewind.fulfillment.lp import LinearProgram, LpSolution, LpStatus
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.shared.clock import FixedClock, utc
from tradewind.shared.events import Event

CENTERS = {
    "E1": FulfillmentCenter("E1", "e", "e", "US", 40.7, -74.0, 1000, "EAST"),
    "W1": FulfillmentCenter("W1", "w", "w", "US", 34.0, -118.2, 1000, "WEST"),
}
CLOCK = FixedClock(utc(2026, 3, 2, 9))


class FailingSolver:
    def solve(self, program: LinearProgram, *, time_limit_s: float) -> LpSolution:
        return LpSolution(LpStatus.ERROR, message="down for the test")


class FakePlans:
    def __init__(self) -> None:
        self.rows: dict[str, InboundPlan] = {}

    def add(self, plan: InboundPlan) -> None:
        self.rows[plan.plan_id] = plan

    def get(self, plan_id: str, *, for_update: bool = False) -> InboundPlan | None:
        return self.rows.get(plan_id)

    def save(self, plan: InboundPlan) -> None:
        self.rows[plan.plan_id] = plan


class FakeNetwork:
    def __init__(self, demand: dict[tuple[str, str], float]) -> None:
        self.hist = demand

    def context(self, cmd: CreateInboundPlan) -> PlanContext:
        skus = {p: f"{p}.{cmd.seller_id}" for p, _ in cmd.lines}
        return PlanContext(
            "US", skus, dict.fromkeys(skus.values(), 500), Origin("US", "LA port", 33.74, -118.27)
        )

    def centers(self, site_id: str) -> dict[str, FulfillmentCenter]:
        return CENTERS

    def free_capacity(self, site_id: str) -> dict[str, int]:
        return dict.fromkeys(CENTERS, 1000)

    def demand(self, site_id: str) -> dict[tuple[str, str], float]:
        return self.hist


class FakeStock:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], InventoryPosition] = {}

    def get(self, fc_id: str, sku: str, *, for_update: bool = False) -> InventoryPosition | None:
        return self.rows.get((fc_id, sku))

    def add(self, position: InventoryPosition, seller_id: str, product_id: str) -> None:
        self.rows[(position.fc_id, position.sku)] = position

    def save(self, position: InventoryPosition) -> None:
        self.rows[(position.fc_id, position.sku)] = position


class FakeUow:
    def __init__(self, demand: dict[tuple[str, str], float] | None = None) -> None:
        self.inbound_plans = FakePlans()
        self.network = FakeNetwork(demand or {})
        self.stock = FakeStock()
        self.committed: list[Event] = []
        self._pending: list[Event] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pending = []

    def record(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        self.committed += self._pending
        self._pending = []


def _create(uow: FakeUow, solver: object, destinations: int | None = None) -> InboundPlan:
    from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver

    cmd = CreateInboundPlan("s1", (("A", 400), ("B", 10)), destinations=destinations)
    plan_id = create_inbound_plan(cmd, uow, solver=solver or HighsLpSolver(), clock=CLOCK)
    return uow.inbound_plans.rows[plan_id]


def test_default_choice_is_fee_free_and_books_inbound():
    """No destination limit: the fee-free option; every placed unit is inbound at its FC."""
    uow = FakeUow({("EAST", "A.s1"): 1.0, ("WEST", "A.s1"): 1.0})
    plan = _create(uow, None)
    assert plan.status is InboundStatus.PLACED and plan.choice is not None
    assert plan.choice.seller_fee == 0 and len(plan.options) == 4
    assert sum(p.inbound for p in uow.stock.rows.values()) == 410
    assert {p.fc_id for p in plan.placements if p.sku == "A.s1"} == {"E1", "W1"}


def test_one_destination_costs_the_fee_and_is_explicit():
    """--destinations 1 sends everything to one FC and pays 0.40 USD per unit; every option
    is priced so the seller sees network cost against fee."""
    plan = _create(FakeUow(), None, destinations=1)
    assert plan.choice is not None and plan.choice.max_fcs == 1
    assert len({p.fc_id for p in plan.placements}) == 1
    assert plan.choice.seller_fee == pytest.approx(40.0 * 410)
    fees = [o.seller_fee for o in plan.options]
    assert fees == sorted(fees, reverse=True)


def test_solver_failure_falls_back_to_greedy_and_says_so():
    """A failing solver still yields a complete plan, with the reason recorded."""
    plan = _create(FakeUow(), FailingSolver())
    assert plan.choice is not None and "down for the test" in (plan.choice.fallback_reason or "")
    assert sum(p.units for p in plan.placements) == 410


def test_receive_moves_inbound_to_on_hand_and_emits_events():
    """Receiving every FC makes all units sellable and records one event per (FC, SKU)."""
    uow = FakeUow()
    plan = _create(uow, None)
    receipts = receive_inbound(ReceiveInbound(plan.plan_id), uow, clock=CLOCK)
    assert sum(r.units for r in receipts) == 410
    assert all(p.inbound == 0 for p in uow.stock.rows.values())
    assert sum(p.on_hand for p in uow.stock.rows.values()) == 410
    assert plan.status is InboundStatus.RECEIVED
    got = [e for e in uow.committed if isinstance(e, InboundReceived)]
    assert len(got) == len(plan.placements)


def test_receive_is_scoped_to_the_seller():
    """Another seller's plan is not found."""
    uow = FakeUow()
    plan = _create(uow, None)
    with pytest.raises(InboundPlanNotFound):
        receive_inbound(ReceiveInbound(plan.plan_id, seller_id="other"), uow, clock=CLOCK)


def test_over_receipt_at_one_fc_is_sellable_and_recorded():
    """Two extra units arrive: on_hand counts them, inbound stays non-negative."""
    uow = FakeUow()
    plan = _create(uow, None, destinations=1)
    fc = plan.placements[0].fc_id
    cmd = ReceiveInbound(plan.plan_id, fc, (("A", 402), ("B", 10)))
    receipts = receive_inbound(cmd, uow, clock=CLOCK)
    assert [r.over for r in receipts] == [2, 0]
    pos = uow.stock.rows[(fc, "A.s1")]
    assert (pos.on_hand, pos.inbound) == (402, 0)
    assert replace(plan.placements[0]).over == 2
