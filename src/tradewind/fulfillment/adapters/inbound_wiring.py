"""Inbound wiring: bus handlers for plans, their line-haul and receipts, and the subscribers
that record EPCIS events: RECEIVE_INBOUND and STOW for every unit received, LOAD/UNLOAD
aggregations for every container, ULD or trailer a plan's shipments board."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine, select

from tradewind.fulfillment.adapters.inbound_repository import SqlInboundUnitOfWork
from tradewind.fulfillment.inbound import InboundReceived
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.events import Event

EPCS_PER_EVENT = 250  # unit EPCs per EPCIS event; a big receipt becomes several events


def wire_inbound(container: Any) -> None:
    """Register the inbound handlers and the tracking subscriber on ``container.bus``.

    Idempotent: ``bootstrap`` calls it once; entry points may call it again harmlessly.
    """
    from tradewind.fulfillment import inbound_linehaul as lh
    from tradewind.fulfillment import inbound_services as svc
    from tradewind.fulfillment.adapters.linehaul_planner import (
        NetworkLinehaulPlanner,
        record_linehaul,
    )
    from tradewind.fulfillment.inbound_limits import LINEHAUL_BUDGET_S

    bus = container.bus
    if svc.CreateInboundPlan in bus.handlers:
        return
    clock = container.clock

    def solver() -> Any:
        from tradewind.fulfillment.adapters.highs_lp import HighsLpSolver  # highspy only when used

        return HighsLpSolver()

    def planner() -> NetworkLinehaulPlanner:
        return NetworkLinehaulPlanner(container.linehaul_network(), budget_s=LINEHAUL_BUDGET_S)

    def create(cmd: svc.CreateInboundPlan, uow: SqlUnitOfWork) -> str:
        inbound = SqlInboundUnitOfWork(uow)
        return svc.create_inbound_plan(cmd, inbound, solver=solver(), clock=clock)

    def book(cmd: lh.BookInboundPlan, uow: SqlUnitOfWork) -> lh.InboundLinehaul:
        inbound = SqlInboundUnitOfWork(uow)
        return lh.book_inbound_plan(cmd, inbound, solver=solver(), clock=clock, planner=planner())

    def receive(cmd: svc.ReceiveInbound, uow: SqlUnitOfWork) -> Any:
        return svc.receive_inbound(cmd, SqlInboundUnitOfWork(uow), clock=clock)

    def linehaul(cmd: lh.PlanInboundLinehaul, uow: SqlUnitOfWork) -> lh.InboundLinehaul:
        return lh.plan_inbound_linehaul(cmd, SqlInboundUnitOfWork(uow), planner=planner())

    bus.handlers[svc.CreateInboundPlan] = create
    bus.handlers[svc.ReceiveInbound] = receive
    bus.handlers[lh.BookInboundPlan] = book
    bus.handlers[lh.PlanInboundLinehaul] = linehaul
    bus.subscribers.setdefault(lh.InboundLinehaulPlanned, []).append(
        partial(record_linehaul, container.linehaul_network, lambda: container.tracking)
    )
    bus.subscribers.setdefault(InboundReceived, []).append(
        partial(record_receipt, container.engine, lambda: container.tracking)
    )


def record_receipt(engine: Engine, tracking: Any, event: Event) -> None:
    """EPCIS RECEIVE_INBOUND then STOW for every unit that arrived (unit EPCs are SGTINs of
    the product's GTIN with serial ``I<plan>U<n>``, ``n`` counting the plan's units of the SKU)."""
    from tradewind.tracking.identifiers import LocationKind, sgln
    from tradewind.tracking.steps import PhysicalStep, Step

    assert isinstance(event, InboundReceived)
    with engine.connect() as conn:
        gtin14 = conn.execute(
            select(t.products.c.gtin).where(t.products.c.product_id == event.product_id)
        ).scalar_one()
    epcs = unit_epcs(gtin14, event.plan_id, event.first_unit, event.units)
    where = sgln(LocationKind.FULFILLMENT_CENTER, event.fc_id)
    steps = []
    for start in range(0, len(epcs), EPCS_PER_EVENT):
        chunk = tuple(epcs[start : start + EPCS_PER_EVENT])
        steps.append(
            PhysicalStep(step=Step.RECEIVE_INBOUND, at=event.at, location=where, epcs=chunk)
        )
        steps.append(
            PhysicalStep(
                step=Step.STOW, at=event.at + timedelta(minutes=1), location=where, epcs=chunk
            )
        )
    tracking().record(steps)


def unit_epcs(gtin14: str, plan_id: str, first: int, count: int) -> list[str]:
    """The unit EPCs ``record_receipt`` uses (for queries and tests)."""
    from tradewind.tracking.identifiers import sgtin

    serial = f"I{plan_id.removeprefix('inb_')[:10]}U"
    return [sgtin(_gtin(gtin14), f"{serial}{first + k}") for k in range(count)]


def _gtin(gtin14: str) -> Any:
    from tradewind.tracking.errors import InvalidIdentifier
    from tradewind.tracking.identifiers import Gtin

    padded = "0" + gtin14 if len(gtin14) == 13 else gtin14
    try:
        return Gtin.from_gtin14(padded, 7)
    except InvalidIdentifier:  # not a valid GTIN: label it with a Tradewind network GTIN
        return Gtin.tradewind(int(padded[-6:]) if padded[-6:].isdigit() else 0)
