"""FBA inbound API. Sellers (bearer token) create and read only their own plans under
``/seller/inbound``; receiving (an FC's dock scan) and the transfer report are operator
routes under ``/ops/inbound``: they need an operator's bearer token (``tradewind governance
operator add``): 401 without a token, 403 with a seller's or customer's.

A plan's ``linehaul`` (legs, cost, CO2 per shipment, the containers they share) is planned
when the plan is created, to arrive by ``arrive_by`` (default: 35 days after creation, at
most 180), before anything is written: a refused or over-budget plan leaves nothing behind.
The containers are recorded as EPCIS events then. It is not stored: ``GET`` re-plans it from
the plan's creation time (deterministic), with the ``arrive_by``/``minimise`` query
parameters. Limits: ``fulfillment/inbound_limits.py`` and ``docs/web.md``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from tradewind.bootstrap import Container
from tradewind.fulfillment.adapters.inbound_repository import (
    load_plan,
    seller_plans,
    transfer_report,
)
from tradewind.fulfillment.adapters.inbound_wiring import wire_inbound
from tradewind.fulfillment.adapters.linehaul_planner import with_transfer_plans
from tradewind.fulfillment.inbound import InboundPlanNotFound, InvalidInboundPlan
from tradewind.fulfillment.inbound_limits import (
    MAX_COVER_DAYS,
    MAX_LINE_UNITS,
    MAX_LINES,
    MAX_TRANSFER_PROPOSALS,
    MIN_COVER_DAYS,
)
from tradewind.fulfillment.inbound_linehaul import BookInboundPlan, PlanInboundLinehaul
from tradewind.fulfillment.inbound_public import linehaul_json, plan_public
from tradewind.fulfillment.inbound_services import CreateInboundPlan, ReceiveInbound
from tradewind.platform.web import policies
from tradewind.platform.web.deps import ContainerDep, CurrentSeller, current_operator

router = APIRouter(prefix="/seller/inbound", tags=["inbound"])
ops_router = APIRouter(
    prefix="/ops/inbound", tags=["ops"], dependencies=[Depends(current_operator)]
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InboundLineIn(_Strict):
    product_id: str = Field(min_length=1, max_length=40)
    units: int = Field(gt=0, le=MAX_LINE_UNITS)


class OriginIn(_Strict):
    country: str | None = Field(default=None, min_length=2, max_length=2)
    city: str | None = Field(default=None, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class InboundPlanCreate(_Strict):
    lines: list[InboundLineIn] = Field(min_length=1, max_length=MAX_LINES)
    site_id: str | None = None
    destinations: int | None = Field(
        default=None, ge=1, description="most FCs you accept; fewer FCs cost a placement fee"
    )
    origin: OriginIn = Field(default_factory=OriginIn)
    arrive_by: datetime | None = Field(
        default=None,
        description="promised arrival (naive = UTC); default 35 days from now, at most 180",
    )
    minimise: Literal["cost", "co2"] = "cost"


class ReceiveIn(_Strict):
    fc_id: str | None = None
    counts: list[InboundLineIn] | None = Field(default=None, max_length=MAX_LINES)


def _wired(c: ContainerDep) -> Container:
    wire_inbound(c)  # no-op once bootstrap has wired inbound
    return c


WiredDep = Annotated[Container, Depends(_wired)]


def _utc(when: datetime | None, field: str = "arrive_by") -> datetime | None:
    if when is None:
        return None
    try:
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:00-05:00 is past datetime.max in UTC
        raise InvalidInboundPlan(
            f"{field} is out of range", errors=[{"field": field, "value": when.isoformat()}]
        ) from None


def _own_plan(
    c: Container,
    seller_id: str,
    plan_id: str,
    linehaul: PlanInboundLinehaul | None = None,
) -> dict[str, Any]:
    plan = load_plan(c.engine, plan_id)
    # Another seller's plan is indistinguishable from a missing one.
    if plan is None or plan.seller_id != seller_id:
        raise InboundPlanNotFound(f"no inbound plan {plan_id} for this seller")
    cmd = linehaul or PlanInboundLinehaul(plan_id, record=False)
    return {**plan_public(plan), "linehaul": linehaul_json(c.bus.handle(cmd))}


@router.post("/plans", status_code=201, openapi_extra=policies.SELLER)
def create_plan(
    c: WiredDep, seller_id: CurrentSeller, body: InboundPlanCreate, response: Response
) -> dict[str, Any]:
    """Place a plan over FCs; ``options`` prices every destination count, ``fee_choice`` is
    the one applied (``destinations`` unset: the network-optimised split, no fee);
    ``linehaul`` plans each shipment to arrive by ``arrive_by``, minimising cost or CO2."""
    o = body.origin
    create = CreateInboundPlan(
        seller_id,
        tuple((line.product_id, line.units) for line in body.lines),
        site_id=body.site_id,
        destinations=body.destinations,
        origin_country=o.country,
        origin_city=o.city,
        origin_lat=o.lat,
        origin_lon=o.lon,
    )
    booked = c.bus.handle(BookInboundPlan(create, _utc(body.arrive_by), body.minimise))
    plan = load_plan(c.engine, booked.plan_id)
    assert plan is not None
    response.headers["Location"] = f"/api/v1/seller/inbound/plans/{booked.plan_id}"
    return {**plan_public(plan), "linehaul": linehaul_json(booked)}


@router.get("/plans", openapi_extra=policies.SELLER)
def list_plans(c: ContainerDep, seller_id: CurrentSeller) -> dict[str, Any]:
    data = seller_plans(c.engine, seller_id)
    return {"data": data, "count": len(data)}


@router.get("/plans/{plan_id}", openapi_extra=policies.seller_owns("plan_id"))
def get_plan(
    c: WiredDep,
    seller_id: CurrentSeller,
    plan_id: str,
    arrive_by: datetime | None = None,
    minimise: Literal["cost", "co2"] = "cost",
) -> dict[str, Any]:
    """The plan, with its line-haul re-planned for ``arrive_by``/``minimise`` (not recorded)."""
    cmd = PlanInboundLinehaul(plan_id, _utc(arrive_by), minimise, record=False, seller_id=seller_id)
    return _own_plan(c, seller_id, plan_id, cmd)


@ops_router.post("/plans/{plan_id}/receive", openapi_extra=policies.OPERATOR)
def receive(c: WiredDep, plan_id: str, body: ReceiveIn | None = None) -> dict[str, Any]:
    """Operator: units of the plan arrive at ``fc_id`` (default: every FC of the plan, with
    exactly the expected units). ``counts`` records over or short receipts; an FC receives
    at most the units placed there plus max(10, 10 %) of them (else 422, nothing changes)."""
    body = body or ReceiveIn()
    counts = tuple((x.product_id, x.units) for x in body.counts) if body.counts else None
    receipts = c.bus.handle(ReceiveInbound(plan_id, body.fc_id, counts))
    plan = load_plan(c.engine, plan_id)
    assert plan is not None
    return {
        "plan": plan_public(plan),
        "receipts": [
            {"fc_id": r.fc_id, "sku": r.sku, "units": r.units, "over": r.over, "short": r.short}
            for r in receipts
        ],
    }


@ops_router.get("/transfers", openapi_extra=policies.OPERATOR)
def transfers(
    c: ContainerDep,
    site_id: str = Query(min_length=1, max_length=40),
    cover_days: float = Query(14.0, ge=MIN_COVER_DAYS, le=MAX_COVER_DAYS),
    limit: int = Query(200, ge=1, le=MAX_TRANSFER_PROPOSALS),
) -> dict[str, Any]:
    """Transfer / replenishment proposals for a site's regions (read only): the first
    ``limit`` of them, each transfer with its truck plan (``linehaul``), planned within a
    time budget; ``total_proposals`` counts them all."""
    report = transfer_report(c.engine, site_id, cover_days)
    return with_transfer_plans(report, c.linehaul_network(), c.engine, c.clock.now(), limit=limit)
