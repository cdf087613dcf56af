"""Inventory positions and fulfillment centers: stock is locked in one fixed order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.platform.db import statements as st
from tradewind.platform.db import tables as t
from tradewind.platform.db.bulk import update_rows
from tradewind.platform.db.driver import fetch_all
from tradewind.platform.db.rows import fc_from


class SqlInventoryRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(
        self, skus: Sequence[str]
    ) -> tuple[list[InventoryPosition], dict[str, FulfillmentCenter]]:
        rows = fetch_all(self.conn, st.lock_stock(len(skus)), st.in_params("s", skus))
        positions = [
            InventoryPosition(r.fc_id, r.sku, r.on_hand, r.reserved, r.inbound) for r in rows
        ]
        centers = {r.fc_id: fc_from(r) for r in rows}
        return positions, centers

    def save_reserved(self, positions: Sequence[InventoryPosition]) -> None:
        if not positions:
            return
        update_rows(
            self.conn,
            t.inventory_positions,
            ("sku", "fc_id"),
            [
                {"sku": p.sku, "fc_id": p.fc_id, "reserved": p.reserved, "on_hand": p.on_hand}
                for p in positions
            ],
        )

    def get(self, fc_id: str, sku: str, *, for_update: bool = False) -> InventoryPosition | None:
        i = t.inventory_positions.c
        q = select(t.inventory_positions).where(i.fc_id == fc_id, i.sku == sku)
        r = self.conn.execute(q.with_for_update() if for_update else q).first()
        return InventoryPosition(r.fc_id, r.sku, r.on_hand, r.reserved, r.inbound) if r else None

    def add(self, position: InventoryPosition, seller_id: str, product_id: str) -> None:
        self.conn.execute(
            insert(t.inventory_positions),
            [
                {
                    "fc_id": position.fc_id,
                    "sku": position.sku,
                    "seller_id": seller_id,
                    "product_id": product_id,
                    "on_hand": position.on_hand,
                    "reserved": position.reserved,
                    "inbound": position.inbound,
                }
            ],
        )

    def add_center(self, fc: FulfillmentCenter) -> None:
        self.conn.execute(
            insert(t.fulfillment_centers),
            [
                {
                    "fc_id": fc.fc_id,
                    "name": fc.name,
                    "city": fc.city,
                    "site_id": fc.site_id,
                    "lat": fc.lat,
                    "lon": fc.lon,
                    "capacity_units": fc.capacity_units,
                    "region": fc.region,
                }
            ],
        )

    def center(self, fc_id: str) -> FulfillmentCenter | None:
        r = self.conn.execute(
            select(t.fulfillment_centers).where(t.fulfillment_centers.c.fc_id == fc_id)
        ).first()
        return fc_from(r) if r else None
