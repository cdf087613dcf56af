"""Tables of FBA inbound plans: the plan, its lines, its placement per FC and its receipts."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from tradewind.platform.db.tables import UtcDateTime, metadata

inbound_plans = Table(
    "inbound_plans",
    metadata,
    Column("plan_id", String(40), primary_key=True),
    Column("seller_id", ForeignKey("sellers.seller_id"), nullable=False),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("origin_country", String(2), nullable=False),
    Column("origin_city", String(200), nullable=False),
    Column("origin_lat", Float, nullable=False),
    Column("origin_lon", Float, nullable=False),
    Column("max_fcs", Integer, nullable=False),
    Column("network_cost_cents", Float, nullable=False),
    Column("placement_fee_cents", BigInteger, nullable=False),  # USD cents, the seller pays
    Column("fallback_reason", Text),
    Column("options", JSON, nullable=False),  # every priced choice, for the explanation
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_inbound_plans_seller", "seller_id", "created_at"),
)

inbound_plan_lines = Table(
    "inbound_plan_lines",
    metadata,
    Column("plan_id", ForeignKey("inbound_plans.plan_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(100), nullable=False),
    Column("product_id", ForeignKey("products.product_id"), nullable=False),
    Column("units", Integer, nullable=False),
    CheckConstraint("units > 0", name="units_positive"),
)

inbound_placements = Table(
    "inbound_placements",
    metadata,
    Column("plan_id", ForeignKey("inbound_plans.plan_id"), primary_key=True),
    Column("fc_id", ForeignKey("fulfillment_centers.fc_id"), primary_key=True),
    Column("sku", String(100), primary_key=True),
    Column("units", Integer, nullable=False),
    Column("received", Integer, nullable=False, server_default="0"),
    CheckConstraint("units > 0 AND received >= 0", name="placement_bounds"),
)

# One row per dock receipt: what came, what was still expected (over/short follow from them).
inbound_receipts = Table(
    "inbound_receipts",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("plan_id", ForeignKey("inbound_plans.plan_id"), nullable=False, index=True),
    Column("fc_id", String(40), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("units", Integer, nullable=False),
    Column("expected", Integer, nullable=False),
    Column("over", Integer, nullable=False),
    Column("short", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)
