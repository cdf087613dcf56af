"""SQLAlchemy Core tables: the one schema, migrated by Alembic (see migrations/)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on SQLite (which stores naive text) and Postgres."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware: datetime = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

sites = Table(
    "sites",
    metadata,
    Column("site_id", String(8), primary_key=True),
    Column("country", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("language", String(16), nullable=False),
    Column("tax_regime", String(32), nullable=False, server_default="standard"),
    Column("standard_shipping_minor", BigInteger, nullable=False, server_default="0"),
    Column("referral_bps", JSON, nullable=False),
    Column("fba_fee_minor", JSON, nullable=False),
)

membership_plans = Table(
    "membership_plans",
    metadata,
    Column("plan_id", String(32), primary_key=True),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False, unique=True),
    Column("fee_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("period_days", Integer, nullable=False),
)

sellers = Table(
    "sellers",
    metadata,
    Column("seller_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("country", String(2), nullable=False),
    Column("kyc_status", String(16), nullable=False),
    Column("health_permille", Integer, nullable=False, server_default="1000"),
    Column("lat", Float, nullable=False, server_default="0"),
    Column("lon", Float, nullable=False, server_default="0"),
    # SHA-256 of the bearer token (tradewind.shared.tokens), never the token; NULL: none/revoked.
    Column("token_hash", String(64), unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("token_rotated_at", UtcDateTime),
    Column("token_revoked_at", UtcDateTime),
)

seller_tax_ids = Table(
    "seller_tax_ids",
    metadata,
    Column("seller_id", ForeignKey("sellers.seller_id"), primary_key=True),
    Column("country", String(2), primary_key=True),
    Column("number", String(40), primary_key=True),
)

brands = Table(
    "brands",
    metadata,
    Column("brand_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("owner_seller_id", ForeignKey("sellers.seller_id")),
)

products = Table(
    "products",
    metadata,
    Column("product_id", String(40), primary_key=True),
    Column("gtin", String(14), nullable=False, unique=True),
    Column("title", String(400), nullable=False),
    Column("category", String(64), nullable=False),
    Column("brand_id", ForeignKey("brands.brand_id"), nullable=False),
    Column("weight_g", Integer, nullable=False),
    Column("longest_side_mm", Integer, nullable=False),
    Column("hs_code", String(12), nullable=False, server_default=""),
    Column("variants", JSON, nullable=False),
    Column("created_by", String(40)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("rating_x10", Integer),  # average stars x 10 (10..50); NULL: no reviews yet
    Column("review_count", Integer, nullable=False, server_default="0"),
    Index("ix_products_category", "category"),
)

offers = Table(
    "offers",
    metadata,
    Column("offer_id", String(40), primary_key=True),
    Column("seller_id", ForeignKey("sellers.seller_id"), nullable=False),
    Column("product_id", ForeignKey("products.product_id"), nullable=False),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("shipping_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("condition", String(16), nullable=False),
    Column("channel", String(3), nullable=False),
    Column("handling_days", Integer, nullable=False),
    Column("fbm_quantity", Integer, nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    # Set by governance enforcement (suppress offer, suspend seller), apart from the seller's
    # own ``active`` flag: a suppressed offer is out of search, product pages and checkout.
    Column("suppressed", Boolean, nullable=False, server_default=false()),
    UniqueConstraint(
        "seller_id",
        "product_id",
        "site_id",
        "condition",
        name="uq_offers_seller_product_site_condition",
    ),
    CheckConstraint("fbm_quantity >= 0", name="fbm_quantity_nonnegative"),
    Index("ix_offers_product_site", "product_id", "site_id"),
)

fulfillment_centers = Table(
    "fulfillment_centers",
    metadata,
    Column("fc_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("city", String(200), nullable=False),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("capacity_units", BigInteger, nullable=False),
    Column("region", String(64), nullable=False, server_default=""),
)

inventory_positions = Table(
    "inventory_positions",
    metadata,
    Column("sku", String(100), primary_key=True),
    Column("fc_id", ForeignKey("fulfillment_centers.fc_id"), primary_key=True),
    Column("seller_id", String(40), nullable=False),
    Column("product_id", String(40), nullable=False),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("inbound", Integer, nullable=False, server_default="0"),
    # The database refuses an oversold row even if a code path forgot to check.
    CheckConstraint("reserved >= 0 AND reserved <= on_hand AND inbound >= 0", name="stock_bounds"),
    Index("ix_inventory_positions_fc", "fc_id"),
    Index("ix_inventory_positions_product", "product_id"),
    Index("ix_inventory_positions_seller", "seller_id"),
)

customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(40), primary_key=True),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("city", String(200), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("member_until", UtcDateTime),
    Column("token_hash", String(64), unique=True),  # as sellers': a digest, never the token
    Column("token_rotated_at", UtcDateTime),
    Column("token_revoked_at", UtcDateTime),
)

cart_lines = Table(
    "cart_lines",
    metadata,
    Column("customer_id", ForeignKey("customers.customer_id"), primary_key=True),
    Column("offer_id", ForeignKey("offers.offer_id"), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", String(40), primary_key=True),
    Column("customer_id", ForeignKey("customers.customer_id"), nullable=False),
    Column("site_id", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("placed_at", UtcDateTime, nullable=False),
    Column("idempotency_key", String(100), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("payment_ref", String(64), nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("customer_id", "idempotency_key", name="uq_orders_customer_key"),
    Index("ix_orders_placed_at", "placed_at"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", ForeignKey("orders.order_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("offer_id", String(40), nullable=False),
    Column("seller_id", String(40), nullable=False),
    Column("product_id", String(40), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("shipping_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("channel", String(3), nullable=False),
    Index("ix_order_lines_seller", "seller_id"),
)

shipments = Table(
    "shipments",
    metadata,
    Column("shipment_id", String(40), primary_key=True),
    Column("order_id", ForeignKey("orders.order_id"), nullable=False, index=True),
    Column("origin", String(60), nullable=False),
    Column("status", String(24), nullable=False),
    Column("distance_km", Float, nullable=False, server_default="0"),
    Column("promised_by", UtcDateTime),
    Column("delivered_at", UtcDateTime),
    Column("package_epc", String(64)),
)

shipment_lines = Table(
    "shipment_lines",
    metadata,
    Column("shipment_id", ForeignKey("shipments.shipment_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column(
        "entry_id",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("txn_id", String(40), nullable=False, index=True),
    Column("reference", String(40), nullable=False),
    Column("account", String(100), nullable=False),
    Column("seller_id", String(40), index=True),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("memo", Text, nullable=False, server_default=""),
    Column("created_at", UtcDateTime, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_type", String(80), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
    Index("ix_outbox_unpublished", "published_at"),
)

# Events a consumer has handled (its name and the event id), written in the consumer's own
# transaction: redelivery (at-least-once) of an event it has seen changes nothing.
processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(60), primary_key=True),
    Column("event_id", String(40), primary_key=True),
    Column("processed_at", UtcDateTime, nullable=False),
)
