"""Write shipment progress and fulfillment costs (one transaction per simulation tick)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Connection,
    Engine,
    and_,
    bindparam,
    exists,
    insert,
    or_,
    select,
    update,
)

from tradewind.fulfillment.services import ship_units
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.transport.adapters import network_tables as nt

# (shipment_id, order_id, status, delivered_at | None, package_epc | None)
Update = tuple[str, str, str, datetime | None, str | None]
# (shipment_id | None, trip_id | None, step, usd_cents, at)
Cost = tuple[str | None, str | None, str, int, datetime]


BEFORE_PACK = ("created", "picked")  # an FC shipment whose units are still reserved


def dispatch_packed(engine: Engine, shipment_ids: Sequence[str]) -> int:
    """Packed FC parcels take their units out of stock (on hand and reserved drop), each once:
    the shipment is claimed as ``packed`` in the same transaction, so a resumed run that
    applies a pack step again dispatches nothing twice. Returns the units dispatched."""
    s, sl = t.shipments.c, t.shipment_lines.c
    with SqlUnitOfWork(engine) as uow:
        assert uow.conn is not None
        claimed = [
            sid
            for sid in shipment_ids
            if uow.conn.execute(
                update(t.shipments)
                .where(s.shipment_id == sid, s.status.in_(BEFORE_PACK))
                .values(status="packed")
            ).rowcount
            == 1
        ]
        items = [
            (origin, sku, int(q))
            for origin, sku, q in uow.conn.execute(
                select(s.origin, sl.sku, sl.quantity)
                .join(t.shipments, s.shipment_id == sl.shipment_id)
                .where(sl.shipment_id.in_(claimed))
            )
        ]
        units = ship_units(uow, items)
        uow.commit()
    return units


def record_progress(engine: Engine, updates: Sequence[Update], costs: Sequence[Cost]) -> None:
    s = t.shipments.c
    with engine.begin() as conn:
        if updates:
            # A status before packing never overwrites a later one (a resumed run applies the
            # steps of its last unfinished tick again).
            conn.execute(
                update(t.shipments)
                .where(
                    s.shipment_id == bindparam("b_id"),
                    (
                        or_(*(s.status == b for b in BEFORE_PACK))
                        | ~bindparam("b_early", type_=Boolean)
                    ),
                )
                .values(status=bindparam("b_status"), package_epc=bindparam("b_epc")),
                [
                    {"b_id": u[0], "b_status": u[2], "b_epc": u[4], "b_early": u[2] in BEFORE_PACK}
                    for u in updates
                ],
            )
            delivered = [u for u in updates if u[3] is not None]
            if delivered:
                conn.execute(
                    update(t.shipments)
                    .where(s.shipment_id == bindparam("b_id"))
                    .values(delivered_at=bindparam("b_at")),
                    [{"b_id": u[0], "b_at": u[3]} for u in delivered],
                )
                _close_orders(conn, sorted({u[1] for u in delivered}))
        if costs:
            conn.execute(
                insert(nt.fulfillment_costs),
                [
                    {
                        "shipment_id": c[0],
                        "trip_id": c[1],
                        "step": c[2],
                        "usd_cents": c[3],
                        "at": c[4],
                    }
                    for c in costs
                ],
            )


def _close_orders(conn: Connection, order_ids: list[str]) -> None:
    """An order is delivered once none of its shipments is still on the way."""
    s, o = t.shipments.c, t.orders.c
    pending = exists(
        select(s.shipment_id).where(and_(s.order_id == o.order_id, s.delivered_at.is_(None)))
    )
    conn.execute(
        update(t.orders)
        .where(
            o.order_id.in_(order_ids),
            o.status == "placed",
            ~pending,
        )
        .values(status="delivered")
    )


def record_trip_cost(engine: Engine, trip_id: str, at: datetime, usd_cents: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(nt.fulfillment_costs),
            [
                {
                    "shipment_id": None,
                    "trip_id": trip_id,
                    "step": "last_mile" if ":van:" in trip_id else "line_haul",
                    "usd_cents": usd_cents,
                    "at": at,
                }
            ],
        )
