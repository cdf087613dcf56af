"""Inbound use cases: create a placed inbound plan; receive its units at an FC.

Each handler takes a command and an ``InboundUnitOfWork``, loads or builds one ``InboundPlan``,
calls one domain method, commits, and leaves the plan's events with the unit of work (the bus
publishes them after commit; the tracking subscriber records EPCIS events from them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Self

from tradewind.fulfillment.inbound import (
    InboundLine,
    InboundPlan,
    InboundPlanNotFound,
    InvalidInboundPlan,
    Origin,
    Receipt,
    add_inbound,
    apply_receipt,
)
from tradewind.fulfillment.inbound_limits import check_size
from tradewind.fulfillment.inbound_rules import (
    choose,
    demand_shares,
    fee_options,
    region_km,
    regions_of,
)
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.fulfillment.placement import InboundRequest, PlacementParams, placement_options
from tradewind.fulfillment.ports import LpSolver
from tradewind.shared.clock import Clock
from tradewind.shared.events import Command, Event
from tradewind.shared.ids import new_id


@dataclass(frozen=True)
class CreateInboundPlan(Command):
    seller_id: str
    lines: tuple[tuple[str, int], ...]  # (product_id, units)
    site_id: str | None = None
    destinations: int | None = None  # most FCs the seller accepts; None = no placement fee
    origin_country: str | None = None
    origin_city: str | None = None
    origin_lat: float | None = None
    origin_lon: float | None = None


@dataclass(frozen=True)
class ReceiveInbound(Command):
    """Units of a plan arrive at an FC (an operator's dock scan). ``seller_id`` restricts the
    plan to that seller's when given; ``counts`` per product defaults to what is expected."""

    plan_id: str
    fc_id: str | None = None
    counts: tuple[tuple[str, int], ...] | None = None
    seller_id: str | None = None


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What the catalog and marketplace say about a plan's products (read by the adapter)."""

    site_id: str
    skus: dict[str, str]  # product_id -> seller SKU
    weights_g: dict[str, int]  # sku -> grams
    origin: Origin
    # Where the inbound truck leg starts: the origin, or for an import the site's sea port
    # nearest the origin (the ocean leg costs the same whatever the placement).
    entry: tuple[float, float] | None = None


class InboundPlans(Protocol):
    def add(self, plan: InboundPlan) -> None: ...
    def get(self, plan_id: str, *, for_update: bool = False) -> InboundPlan | None: ...
    def save(self, plan: InboundPlan) -> None: ...


class InboundNetwork(Protocol):
    def context(self, cmd: CreateInboundPlan) -> PlanContext: ...
    def centers(self, site_id: str) -> dict[str, FulfillmentCenter]: ...
    def free_capacity(self, site_id: str) -> dict[str, int]: ...
    def demand(self, site_id: str) -> dict[tuple[str, str], float]: ...


class InboundStock(Protocol):
    def get(
        self, fc_id: str, sku: str, *, for_update: bool = False
    ) -> InventoryPosition | None: ...
    def add(self, position: InventoryPosition, seller_id: str, product_id: str) -> None: ...
    def save(self, position: InventoryPosition) -> None: ...


class InboundUnitOfWork(Protocol):
    @property
    def inbound_plans(self) -> InboundPlans: ...
    @property
    def network(self) -> InboundNetwork: ...
    @property
    def stock(self) -> InboundStock: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def record(self, event: Event) -> None: ...
    def commit(self) -> None: ...


def create_inbound_plan(
    cmd: CreateInboundPlan,
    uow: InboundUnitOfWork,
    *,
    solver: LpSolver,
    clock: Clock,
    params: PlacementParams = PlacementParams(),
) -> str:
    """Price every destination count, apply the seller's choice, book units as inbound."""
    with uow:
        plan, _ = place_plan(cmd, uow, solver=solver, clock=clock, params=params)
        write_placed(uow, plan)
        uow.commit()
    return plan.plan_id


def place_plan(
    cmd: CreateInboundPlan,
    uow: InboundUnitOfWork,
    *,
    solver: LpSolver,
    clock: Clock,
    params: PlacementParams = PlacementParams(),
) -> tuple[InboundPlan, PlanContext]:
    """A placed plan and its context, read inside ``uow``; nothing is written yet."""
    check_size(cmd.lines)
    if cmd.destinations is not None and cmd.destinations < 1:
        raise InvalidInboundPlan("destinations must be at least 1")
    ctx = uow.network.context(cmd)
    lines = tuple(InboundLine(ctx.skus[p], p, q) for p, q in cmd.lines)
    plan = InboundPlan.draft(
        new_id("inb"), cmd.seller_id, ctx.site_id, ctx.origin, lines=lines, at=clock.now()
    )
    centers = uow.network.centers(ctx.site_id)
    if not centers:
        raise InvalidInboundPlan(f"site {ctx.site_id} has no fulfillment centers")
    req = InboundRequest(
        units={line.sku: line.units for line in lines},
        origin=ctx.entry or (ctx.origin.lat, ctx.origin.lon),
        share=demand_shares(
            sorted(ctx.skus.values()), regions_of(centers), uow.network.demand(ctx.site_id)
        ),
        region_km=region_km(centers),
        centers=centers,
        free_capacity=uow.network.free_capacity(ctx.site_id),
        weights_g=ctx.weights_g,
    )
    options = placement_options(req, solver, params)
    chosen = choose(options, cmd.destinations)
    priced = fee_options(options)
    plan.place(
        dict(chosen.plan.units), next(o for o in priced if o.max_fcs == chosen.max_fcs), priced
    )
    return plan, ctx


def write_placed(uow: InboundUnitOfWork, plan: InboundPlan) -> None:
    """Book a placed plan's units as inbound at its FCs and add the plan (not committed)."""
    for p in plan.placements:
        pos = uow.stock.get(p.fc_id, p.sku, for_update=True)
        if pos is None:
            pos = InventoryPosition(p.fc_id, p.sku, 0, 0, p.units)
            uow.stock.add(pos, plan.seller_id, plan.product_of(p.sku))
        else:
            add_inbound(pos, p.units)
            uow.stock.save(pos)
    uow.inbound_plans.add(plan)
    _record(uow, plan)


def receive_inbound(cmd: ReceiveInbound, uow: InboundUnitOfWork, *, clock: Clock) -> list[Receipt]:
    """Units arrive at one FC (or every FC of the plan): on-hand up, inbound down."""
    with uow:
        plan = uow.inbound_plans.get(cmd.plan_id, for_update=True)
        if plan is None or (cmd.seller_id is not None and plan.seller_id != cmd.seller_id):
            raise InboundPlanNotFound(f"no inbound plan {cmd.plan_id}")
        if cmd.counts is not None and cmd.fc_id is None:
            raise InvalidInboundPlan("counted units need the FC they arrived at")
        fcs = [cmd.fc_id] if cmd.fc_id else sorted({p.fc_id for p in plan.placements})
        by_product = {line.product_id: line.sku for line in plan.lines}
        counts = None
        if cmd.counts is not None:
            bad = sorted(p for p, _ in cmd.counts if p not in by_product)
            if bad:
                raise InvalidInboundPlan(f"products not in plan {plan.plan_id}: {bad}")
            counts = {by_product[p]: q for p, q in cmd.counts}
        receipts: list[Receipt] = []
        for fc in fcs:
            receipts += plan.receive(fc, clock.now(), counts)
        for r in receipts:
            pos = uow.stock.get(r.fc_id, r.sku, for_update=True)
            if pos is None:  # placed without a position (older data): open it now
                pos = InventoryPosition(r.fc_id, r.sku)
                apply_receipt(pos, r)
                uow.stock.add(pos, plan.seller_id, r.product_id)
            else:
                apply_receipt(pos, r)
                uow.stock.save(pos)
        uow.inbound_plans.save(plan)
        _record(uow, plan)
        uow.commit()
    return receipts


def _record(uow: InboundUnitOfWork, plan: InboundPlan) -> None:
    for event in plan.events:
        uow.record(event)
    plan.events.clear()
