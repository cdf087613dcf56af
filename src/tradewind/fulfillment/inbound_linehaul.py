"""Line-haul of an inbound plan: one shipment per destination FC, planned over the network.

The plan's placement fixes what each FC receives; this use case asks the ``LinehaulPlanner``
port how each of those shipments gets there from the seller's origin gateway by the promised
date (cheapest, or lowest CO2), and records the loading units the shipments share as an
``InboundLinehaulPlanned`` event (the tracking subscriber turns it into EPCIS aggregation
events). Planning is a pure function of the plan, the promise and the network's seeded
timetable: ``ready`` is the plan's creation time, so asking again gives the same answer.

``BookInboundPlan`` creates a plan and books its line-haul in one unit of work: placement and
the line-haul search run first and only then is anything written, so a refused promise, a
plan too heavy to ship or a search over its time budget leaves no plan, stock or outbox row.
Promises are bounded (``inbound_limits.MAX_PROMISE``) for previews too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from tradewind.fulfillment.inbound import InboundPlan, InboundPlanNotFound, InvalidInboundPlan
from tradewind.fulfillment.inbound_limits import check_promise, check_shipments
from tradewind.fulfillment.inbound_services import (
    CreateInboundPlan,
    InboundUnitOfWork,
    place_plan,
    write_placed,
)
from tradewind.fulfillment.linehaul_port import (
    CRITERIA,
    DEFAULT_LEAD_TIME,
    SHIPMENT_MAX_KG,
    LinehaulOutcome,
    LinehaulPlanner,
    LinehaulRequest,
    UnitMove,
    no_origin,
)
from tradewind.fulfillment.ports import LpSolver
from tradewind.shared.clock import Clock
from tradewind.shared.events import Command, Event


@dataclass(frozen=True)
class PlanInboundLinehaul(Command):
    """Plan the line-haul of ``plan_id`` to arrive by ``arrive_by`` (default: created +
    :data:`DEFAULT_LEAD_TIME`); ``record`` books it (EPCIS events), else it is a preview."""

    plan_id: str
    arrive_by: datetime | None = None
    criterion: str = "cost"
    record: bool = True
    seller_id: str | None = None


@dataclass(frozen=True)
class BookInboundPlan(Command):
    """Create ``plan`` and book its line-haul to arrive by ``arrive_by`` (default: created +
    :data:`DEFAULT_LEAD_TIME`), minimising ``criterion``: all or nothing."""

    plan: CreateInboundPlan
    arrive_by: datetime | None = None
    criterion: str = "cost"


@dataclass(frozen=True)
class InboundLinehaulPlanned(Event):
    plan_id: str
    seller_id: str
    moves: tuple[UnitMove, ...]


@dataclass(frozen=True, slots=True)
class InboundLinehaul:
    """The line-haul of one plan: where it starts, the promise, and the outcome."""

    plan_id: str
    origin: str | None
    ready: datetime
    deadline: datetime
    criterion: str
    outcome: LinehaulOutcome


def shipment_id(plan_id: str, fc_id: str, part: int = 0) -> str:
    """Id of the shipment of ``plan_id`` bound for ``fc_id`` (``part`` of a split one)."""
    return f"{plan_id}/{fc_id}" + (f"/{part}" if part else "")


def inbound_shipments(plan: InboundPlan, weights_g: dict[str, int]) -> list[tuple[str, str, float]]:
    """``(shipment_id, fc_id, kg)`` per destination FC of the placement, by FC id.

    An FC's freight heavier than :data:`SHIPMENT_MAX_KG` is split into equal parts (numbered
    from 1), since every departure must carry a shipment whole.
    """
    grams: dict[str, int] = {}
    for p in plan.placements:
        grams[p.fc_id] = grams.get(p.fc_id, 0) + p.units * weights_g.get(p.sku, 0)
    out: list[tuple[str, str, float]] = []
    for fc, g in sorted(grams.items()):
        kg = g / 1000.0
        parts = max(1, math.ceil(kg / SHIPMENT_MAX_KG))
        if parts == 1:
            out.append((shipment_id(plan.plan_id, fc), fc, kg))
            continue
        out += [(shipment_id(plan.plan_id, fc, n), fc, kg / parts) for n in range(1, parts + 1)]
    return out


def _check_criterion(criterion: str) -> None:
    if criterion not in CRITERIA:
        raise InvalidInboundPlan(
            f"minimise must be one of {', '.join(CRITERIA)}, got {criterion!r}",
            errors=[{"field": "minimise", "value": criterion}],
        )


def _check(cmd: PlanInboundLinehaul, plan: InboundPlan | None) -> InboundPlan:
    if plan is None or (cmd.seller_id is not None and plan.seller_id != cmd.seller_id):
        raise InboundPlanNotFound(f"no inbound plan {cmd.plan_id}")
    _check_criterion(cmd.criterion)
    if cmd.arrive_by is not None and cmd.arrive_by < plan.created_at:
        raise InvalidInboundPlan(
            f"arrive_by {cmd.arrive_by.isoformat()} is before the plan was created "
            f"({plan.created_at.isoformat()})",
            errors=[{"field": "arrive_by", "value": cmd.arrive_by.isoformat()}],
        )
    check_promise(cmd.arrive_by, plan.created_at)
    return plan


def _weights(uow: InboundUnitOfWork, plan: InboundPlan) -> dict[str, int]:
    """Grams per SKU, read through the same port placement used."""
    o = plan.origin
    ctx = uow.network.context(
        CreateInboundPlan(
            plan.seller_id,
            tuple((line.product_id, line.units) for line in plan.lines),
            site_id=plan.site_id,
            origin_country=o.country,
            origin_city=o.city,
            origin_lat=o.lat,
            origin_lon=o.lon,
        )
    )
    return ctx.weights_g


def _linehaul(
    plan: InboundPlan,
    weights_g: dict[str, int],
    planner: LinehaulPlanner,
    promise: tuple[datetime | None, str],
) -> InboundLinehaul:
    """Plan every shipment of a placed plan (reads nothing, writes nothing)."""
    arrive_by, criterion = promise
    ready = plan.created_at
    deadline = arrive_by or ready + DEFAULT_LEAD_TIME
    o = plan.origin
    shipments = inbound_shipments(plan, weights_g)
    check_shipments(len(shipments), sum(kg for _, _, kg in shipments))
    origin = planner.origin_for(o.country, o.lat, o.lon, plan.site_id)
    requests = [
        LinehaulRequest(sid, origin or "", fc, kg, ready, deadline, criterion)
        for sid, fc, kg in shipments
    ]
    if origin is None:
        outcome = LinehaulOutcome(tuple(no_origin(r, o.country) for r in requests))
    else:
        outcome = planner.plan(requests)
    return InboundLinehaul(plan.plan_id, origin, ready, deadline, criterion, outcome)


def _record_loads(uow: InboundUnitOfWork, plan: InboundPlan, lh: InboundLinehaul) -> None:
    if lh.outcome.loads:
        moves = tuple(load.move() for load in lh.outcome.loads)
        uow.record(InboundLinehaulPlanned(plan.plan_id, plan.seller_id, moves))


def plan_inbound_linehaul(
    cmd: PlanInboundLinehaul, uow: InboundUnitOfWork, *, planner: LinehaulPlanner
) -> InboundLinehaul:
    """Plan every shipment of the plan; with ``record``, emit the loads as an event."""
    with uow:
        plan = _check(cmd, uow.inbound_plans.get(cmd.plan_id))
        lh = _linehaul(plan, _weights(uow, plan), planner, (cmd.arrive_by, cmd.criterion))
        if cmd.record and lh.outcome.loads:
            _record_loads(uow, plan, lh)
            uow.commit()
    return lh


def book_inbound_plan(
    cmd: BookInboundPlan,
    uow: InboundUnitOfWork,
    *,
    solver: LpSolver,
    clock: Clock,
    planner: LinehaulPlanner,
) -> InboundLinehaul:
    """Create, place and book the line-haul of a plan in one unit of work.

    Every check and all planning happen before the first write; any error (a promise in the
    past or beyond :data:`~tradewind.fulfillment.inbound_limits.MAX_PROMISE`, too many
    shipments, the planner's time budget) leaves nothing behind.
    """
    _check_criterion(cmd.criterion)
    now = clock.now()
    if cmd.arrive_by is not None and cmd.arrive_by <= now:
        raise InvalidInboundPlan(
            f"arrive_by {cmd.arrive_by.isoformat()} is not in the future",
            errors=[{"field": "arrive_by", "value": cmd.arrive_by.isoformat()}],
        )
    check_promise(cmd.arrive_by, now)
    with uow:
        plan, ctx = place_plan(cmd.plan, uow, solver=solver, clock=clock)
        lh = _linehaul(plan, ctx.weights_g, planner, (cmd.arrive_by, cmd.criterion))
        write_placed(uow, plan)
        _record_loads(uow, plan, lh)
        uow.commit()
    return lh
