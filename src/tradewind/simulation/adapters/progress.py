"""Write shipment progress and fulfillment costs (one transaction per simulation tick)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, and_, bindparam, exists, insert, select, update

from tradewind.platform.db import tables as t
from tradewind.transport.adapters import network_tables as nt

# (shipment_id, order_id, status, delivered_at | None, package_epc | None)
Update = tuple[str, str, str, datetime | None, str | None]
# (shipment_id | None, trip_id | None, step, usd_cents, at)
Cost = tuple[str | None, str | None, str, int, datetime]


def record_progress(engine: Engine, updates: Sequence[Update], costs: Sequence[Cost]) -> None:
    s = t.shipments.c
    with engine.begin() as conn:
        if updates:
            conn.execute(
                update(t.shipments)
                .where(s.shipment_id == bindparam("b_id"))
                .values(status=bindparam("b_status"), package_epc=bindparam("b_epc")),
                [{"b_id": u[0], "b_status": u[2], "b_epc": u[4]} for u in updates],
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
