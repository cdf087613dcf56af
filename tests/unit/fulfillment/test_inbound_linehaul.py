"""Inbound line-haul use case with a fake ``LinehaulPlanner``: shipments per FC, the
promise, splitting, recording, and the JSON shape."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Self

import pytest

from tradewind.fulfillment.inbound import (
    InboundLine,
    InboundPlan,
    InboundPlanNotFound,
    InboundStatus,
    InvalidInboundPlan,
    Origin,
    Placement,
)
from tradewind.fulfillment.inbound_linehaul import (
    InboundLinehaulPlanned,
    PlanInboundLinehaul,
    inbound_shipments,
    plan_inbound_linehaul,
)
from tradewind.fulfillment.inbound_public import linehaul_json
from tradewind.fulfillment.inbound_services import CreateInboundPlan, PlanContext
from tradewind.fulfillment.linehaul_port import (
    DEFAULT_LEAD_TIME,
    SHIPMENT_MAX_KG,
    ContainerLoad,
    LinehaulLeg,
    LinehaulOutcome,
    LinehaulRequest,
    NoPath,
    ShipmentLinehaul,
)
from tradewind.shared.clock import utc
from tradewind.shared.events import Event

CREATED = utc(2026, 11, 2, 9)
SHANGHAI = Origin("CN", "Shanghai", 31.22, 121.46)


def _plan(placements: list[Placement], origin: Origin = SHANGHAI) -> InboundPlan:
    lines = tuple(
        InboundLine(sku, sku.split(".")[0], 1) for sku in sorted({p.sku for p in placements})
    )
    return InboundPlan(
        "inb_1", "s1", "DE", origin, lines, CREATED, InboundStatus.PLACED, placements
    )


class FakePlans:
    def __init__(self, plan: InboundPlan) -> None:
        self.plan = plan

    def add(self, plan: InboundPlan) -> None:
        raise AssertionError("the line-haul use case never adds a plan")

    def get(self, plan_id: str, *, for_update: bool = False) -> InboundPlan | None:
        return self.plan if plan_id == self.plan.plan_id else None

    def save(self, plan: InboundPlan) -> None:
        raise AssertionError("the line-haul use case never changes a plan")


class FakeNetwork:
    """Only ``context`` is used: weights of A (2 kg) and B (500 g)."""

    def context(self, cmd: CreateInboundPlan) -> PlanContext:
        skus = {p: f"{p}.{cmd.seller_id}" for p, _ in cmd.lines}
        grams = {"A.s1": 2_000, "B.s1": 500}
        return PlanContext("DE", skus, grams, SHANGHAI)


class FakeUow:
    def __init__(self, plan: InboundPlan) -> None:
        self.inbound_plans = FakePlans(plan)
        self.network = FakeNetwork()
        self.stock = None
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


class FakePlanner:
    """Origin CNSHA for CN sellers; every FC but ``FAR`` gets a sea leg and a truck leg; all
    sea legs share one vessel, consolidated into one container."""

    def __init__(self) -> None:
        self.requests: list[LinehaulRequest] = []

    def origin_for(self, country: str, lat: float, lon: float, site_id: str) -> str | None:
        return "CNSHA" if country == "CN" else None

    def plan(self, requests: Sequence[LinehaulRequest]) -> LinehaulOutcome:
        self.requests += requests
        out = []
        sail, land = utc(2026, 11, 5, 10), utc(2026, 12, 1, 14)
        for r in requests:
            if r.destination == "FAR":
                miss = NoPath("deadline_unmet", "too far", r.deadline + timedelta(days=3))
                out.append(ShipmentLinehaul(r, no_path=miss))
                continue
            sea = LinehaulLeg(r.origin, "DEHAM", "sea", sail, land, 100, 1.5, "sea@1")
            truck = LinehaulLeg(
                "DEHAM", r.destination, "truck", land, land + timedelta(hours=9), 20, 0.5, "t@1"
            )
            out.append(ShipmentLinehaul(r, (sea, truck)))
        parts = tuple((s.request.shipment_id, s.request.kg) for s in out if s.no_path is None)
        box = ContainerLoad(
            "CTR-X-001",
            "40ft container",
            "sea@1",
            "CNSHA",
            "DEHAM",
            "sea",
            sail,
            land,
            20_000.0,
            parts,
        )
        return LinehaulOutcome(tuple(out), (box,) if parts else ())


def test_one_shipment_per_fc_weighed_from_the_placement():
    """Units x grams per destination FC, in FC order, ids ``plan/fc``."""
    plan = _plan(
        [Placement("F2", "A.s1", 10), Placement("F1", "A.s1", 3), Placement("F1", "B.s1", 4)]
    )
    got = inbound_shipments(plan, {"A.s1": 2_000, "B.s1": 500})
    assert got == [("inb_1/F1", "F1", 8.0), ("inb_1/F2", "F2", 20.0)]


def test_heavy_fc_freight_is_split_into_equal_parts_under_the_cap():
    """25 t for one FC becomes two 12.5 t parts, numbered from 1."""
    plan = _plan([Placement("F1", "A.s1", 12_500)])
    got = inbound_shipments(plan, {"A.s1": 2_000})
    assert got == [("inb_1/F1/1", "F1", 12_500.0), ("inb_1/F1/2", "F1", 12_500.0)]
    assert all(kg <= SHIPMENT_MAX_KG for _, _, kg in got)


def test_default_promise_and_criterion_reach_the_planner_and_loads_are_recorded():
    """Ready at creation, deadline 35 days later; the container becomes one event's move."""
    uow = FakeUow(_plan([Placement("F1", "A.s1", 10), Placement("F2", "B.s1", 10)]))
    planner = FakePlanner()
    lh = plan_inbound_linehaul(PlanInboundLinehaul("inb_1", criterion="co2"), uow, planner=planner)
    assert lh.origin == "CNSHA" and lh.deadline == CREATED + DEFAULT_LEAD_TIME
    assert {(r.origin, r.ready, r.deadline, r.criterion) for r in planner.requests} == {
        ("CNSHA", CREATED, CREATED + DEFAULT_LEAD_TIME, "co2")
    }
    [event] = uow.committed
    assert isinstance(event, InboundLinehaulPlanned)
    assert event.moves == (
        (
            "CTR-X-001",
            "CNSHA",
            "DEHAM",
            utc(2026, 11, 5, 10),
            utc(2026, 12, 1, 14),
            ("inb_1/F1", "inb_1/F2"),
        ),
    )
    assert event.payload()["moves"][0][3] == "2026-11-05T10:00:00+00:00"  # JSON-ready


def test_a_preview_records_nothing():
    """``record=False`` plans the same but emits no event."""
    uow = FakeUow(_plan([Placement("F1", "A.s1", 10)]))
    cmd = PlanInboundLinehaul("inb_1", CREATED + timedelta(days=50), record=False)
    lh = plan_inbound_linehaul(cmd, uow, planner=FakePlanner())
    assert lh.deadline == CREATED + timedelta(days=50) and uow.committed == []
    assert lh.outcome.shipments[0].arrival == utc(2026, 12, 1, 23)


def test_no_origin_gateway_is_a_no_path_for_every_shipment():
    """A seller country without a gateway: nothing is planned or recorded."""
    uow = FakeUow(_plan([Placement("F1", "A.s1", 10)], Origin("BR", "x", -23.5, -46.6)))
    planner = FakePlanner()
    lh = plan_inbound_linehaul(PlanInboundLinehaul("inb_1"), uow, planner=planner)
    [s] = lh.outcome.shipments
    assert s.no_path is not None and s.no_path.code == "no_origin_gateway"
    assert planner.requests == [] and uow.committed == []


def test_bad_commands_are_coded_errors():
    """Another seller's plan is not found; unknown criterion and a past promise are invalid."""
    uow = FakeUow(_plan([Placement("F1", "A.s1", 10)]))
    with pytest.raises(InboundPlanNotFound):
        plan_inbound_linehaul(
            PlanInboundLinehaul("inb_1", seller_id="other"), uow, planner=FakePlanner()
        )
    with pytest.raises(InvalidInboundPlan) as bad:
        plan_inbound_linehaul(
            PlanInboundLinehaul("inb_1", criterion="speed"), uow, planner=FakePlanner()
        )
    assert bad.value.errors[0]["field"] == "minimise"
    with pytest.raises(InvalidInboundPlan) as past:
        cmd = PlanInboundLinehaul("inb_1", CREATED - timedelta(hours=1))
        plan_inbound_linehaul(cmd, uow, planner=FakePlanner())
    assert past.value.errors[0]["field"] == "arrive_by"


def test_json_reports_legs_totals_and_no_path_with_the_earliest_arrival():
    """Planned shipments: legs, cost, CO2, arrival; missed ones: the code and earliest arrival;
    totals count planned shipments only."""
    uow = FakeUow(_plan([Placement("F1", "A.s1", 10), Placement("FAR", "A.s1", 1)]))
    data = linehaul_json(
        plan_inbound_linehaul(PlanInboundLinehaul("inb_1"), uow, planner=FakePlanner())
    )
    ok, far = data["shipments"]
    assert ok["status"] == "planned" and [leg["mode"] for leg in ok["legs"]] == ["sea", "truck"]
    assert (
        ok["cost_cents"] == 120
        and ok["co2_kg"] == 2.0
        and ok["arrival"] == ok["legs"][-1]["arrive"]
    )
    assert far["status"] == "no_path" and far["legs"] == [] and far["cost_cents"] is None
    assert far["no_path"]["code"] == "deadline_unmet"
    assert far["no_path"]["earliest_arrival"] > data["arrive_by"]
    assert data["cost_cents"] == 120 and data["all_planned"] is False
    assert data["containers"][0]["shipments"] == ["inb_1/F1"]
