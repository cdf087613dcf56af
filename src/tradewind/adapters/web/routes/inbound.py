"""FBA inbound API. Sellers (bearer token) create and read only their own plans under
``/seller/inbound``; receiving is an FC operator's dock scan under ``/ops/inbound``, which the
codebase has no operator login for, so it answers only clients on this machine (loopback, or
the in-process test client) and refuses everyone else with 403.

A plan's ``linehaul`` (legs, cost, CO2 per shipment, the containers they share) is planned
when the plan is created, to arrive by ``arrive_by`` (default: 35 days after creation); the
containers are recorded as EPCIS events then. It is not stored: ``GET`` re-plans it from the
plan's creation time (deterministic), with the ``arrive_by``/``minimise`` query parameters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from tradewind.adapters.db.inbound_repository import load_plan, seller_plans, transfer_report
from tradewind.adapters.inbound_linehaul import linehaul_network, with_transfer_plans
from tradewind.adapters.inbound_wiring import wire_inbound
from tradewind.adapters.web.deps import ContainerDep, CurrentSeller
from tradewind.bootstrap import Container
from tradewind.fulfillment.inbound import InboundPlanNotFound, InvalidInboundPlan
from tradewind.fulfillment.inbound_linehaul import PlanInboundLinehaul
from tradewind.fulfillment.inbound_public import linehaul_json, plan_public
from tradewind.fulfillment.inbound_services import CreateInboundPlan, ReceiveInbound
from tradewind.shared.errors import Forbidden

router = APIRouter(prefix="/seller/inbound", tags=["inbound"])
ops_router = APIRouter(prefix="/ops/inbound", tags=["ops"])

LOCAL_CLIENTS = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InboundLineIn(_Strict):
    product_id: str = Field(min_length=1, max_length=40)
    units: int = Field(gt=0, le=1_000_000)


class OriginIn(_Strict):
    country: str | None = Field(default=None, min_length=2, max_length=2)
    city: str | None = Field(default=None, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class InboundPlanCreate(_Strict):
    lines: list[InboundLineIn] = Field(min_length=1, max_length=500)
    site_id: str | None = None
    destinations: int | None = Field(
        default=None, ge=1, description="most FCs you accept; fewer FCs cost a placement fee"
    )
    origin: OriginIn = Field(default_factory=OriginIn)
    arrive_by: datetime | None = Field(
        default=None, description="promised arrival (naive = UTC); default 35 days from now"
    )
    minimise: Literal["cost", "co2"] = "cost"


class ReceiveIn(_Strict):
    fc_id: str | None = None
    counts: list[InboundLineIn] | None = None


def _wired(c: ContainerDep) -> Container:
    wire_inbound(c)  # no-op once bootstrap has wired inbound
    return c


WiredDep = Annotated[Container, Depends(_wired)]


def _local_only(request: Request) -> None:
    host = request.client.host if request.client else ""
    if host not in LOCAL_CLIENTS:
        raise Forbidden("receiving is an operator action, allowed from this machine only")


def _utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


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


@router.post("/plans", status_code=201)
def create_plan(
    c: WiredDep, seller_id: CurrentSeller, body: InboundPlanCreate, response: Response
) -> dict[str, Any]:
    """Place a plan over FCs; ``options`` prices every destination count, ``fee_choice`` is
    the one applied (``destinations`` unset: the network-optimised split, no fee);
    ``linehaul`` plans each shipment to arrive by ``arrive_by``, minimising cost or CO2."""
    o = body.origin
    arrive_by = _utc(body.arrive_by)
    if arrive_by is not None and arrive_by <= c.clock.now():
        raise InvalidInboundPlan(
            "arrive_by is not in the future",
            errors=[{"field": "arrive_by", "value": arrive_by.isoformat()}],
        )
    plan_id = c.bus.handle(
        CreateInboundPlan(
            seller_id,
            tuple((line.product_id, line.units) for line in body.lines),
            site_id=body.site_id,
            destinations=body.destinations,
            origin_country=o.country,
            origin_city=o.city,
            origin_lat=o.lat,
            origin_lon=o.lon,
        )
    )
    response.headers["Location"] = f"/api/v1/seller/inbound/plans/{plan_id}"
    booked = PlanInboundLinehaul(plan_id, arrive_by, body.minimise, seller_id=seller_id)
    return _own_plan(c, seller_id, plan_id, booked)


@router.get("/plans")
def list_plans(c: ContainerDep, seller_id: CurrentSeller) -> dict[str, Any]:
    data = seller_plans(c.engine, seller_id)
    return {"data": data, "count": len(data)}


@router.get("/plans/{plan_id}")
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


@ops_router.post("/plans/{plan_id}/receive", dependencies=[Depends(_local_only)])
def receive(c: WiredDep, plan_id: str, body: ReceiveIn | None = None) -> dict[str, Any]:
    """Operator/test hook: units of the plan arrive at ``fc_id`` (default: every FC of the
    plan, with exactly the expected units). ``counts`` records over or short receipts."""
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


@ops_router.get("/transfers", dependencies=[Depends(_local_only)])
def transfers(c: ContainerDep, site_id: str, cover_days: float = 14.0) -> dict[str, Any]:
    """Transfer / replenishment proposals for a site's regions (read only); each transfer
    carries its truck plan (``linehaul``)."""
    report = transfer_report(c.engine, site_id, cover_days)
    return with_transfer_plans(report, linehaul_network(c), c.engine, c.clock.now())
