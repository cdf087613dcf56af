"""Tables of the physical network and of the simulation's bookkeeping."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table

from tradewind.platform.db.tables import UtcDateTime, metadata

network_nodes = Table(
    "network_nodes",
    metadata,
    Column("node_id", String(40), primary_key=True),
    Column("kind", String(24), nullable=False),  # fc, sort_center, delivery_station, ...
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("region", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("city", String(200), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Index("ix_network_nodes_site_kind", "site_id", "kind"),
)

# Cost of each physical step, in USD cents at the fixed rate table (economics.rates).
# Shared trips (a trailer, a delivery van day) carry a trip_id and no shipment_id.
fulfillment_costs = Table(
    "fulfillment_costs",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("shipment_id", String(40), index=True),
    Column("trip_id", String(80)),
    Column("step", String(40), nullable=False),
    Column("usd_cents", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False, index=True),
)

simulation_runs = Table(
    "simulation_runs",
    metadata,
    Column("run_id", String(40), primary_key=True),
    Column("seed", Integer, nullable=False),
    Column("params", JSON, nullable=False),
    Column("sim_start", UtcDateTime, nullable=False),
    Column("sim_end", UtcDateTime, nullable=False),
    Column("real_seconds", Float, nullable=False),
    Column("kpis", JSON, nullable=False),
)
