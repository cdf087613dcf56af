"""marketplace core

Revision ID: 0001
Revises:
Create Date: 2026-11-26 00:09:40.145178
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reviewed: the initial schema of the marketplace core (issue 3).
    op.create_table(
        "ledger_entries",
        sa.Column(
            "entry_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("txn_id", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("seller_id", sa.String(length=40), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("memo", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_seller_id"), ["seller_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ledger_entries_txn_id"), ["txn_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unpublished", ["published_at"], unique=False)

    op.create_table(
        "sellers",
        sa.Column("seller_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kyc_status", sa.String(length=16), nullable=False),
        sa.Column("health_permille", sa.Integer(), server_default="1000", nullable=False),
        sa.Column("lat", sa.Float(), server_default="0", nullable=False),
        sa.Column("lon", sa.Float(), server_default="0", nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seller_id", name=op.f("pk_sellers")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sellers_token_hash")),
    )
    op.create_table(
        "sites",
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("tax_regime", sa.String(length=32), server_default="standard", nullable=False),
        sa.Column("standard_shipping_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("referral_bps", sa.JSON(), nullable=False),
        sa.Column("fba_fee_minor", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_sites")),
    )
    op.create_table(
        "brands",
        sa.Column("brand_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_seller_id", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_seller_id"],
            ["sellers.seller_id"],
            name=op.f("fk_brands_owner_seller_id_sellers"),
        ),
        sa.PrimaryKeyConstraint("brand_id", name=op.f("pk_brands")),
        sa.UniqueConstraint("name", name=op.f("uq_brands_name")),
    )
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("member_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_customers_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_customers_token_hash")),
    )
    op.create_table(
        "fulfillment_centers",
        sa.Column("fc_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("capacity_units", sa.BigInteger(), nullable=False),
        sa.Column("region", sa.String(length=64), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_fulfillment_centers_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("fc_id", name=op.f("pk_fulfillment_centers")),
    )
    op.create_table(
        "membership_plans",
        sa.Column("plan_id", sa.String(length=32), nullable=False),
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_membership_plans_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_membership_plans")),
        sa.UniqueConstraint("site_id", name=op.f("uq_membership_plans_site_id")),
    )
    op.create_table(
        "seller_tax_ids",
        sa.Column("seller_id", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.seller_id"], name=op.f("fk_seller_tax_ids_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("seller_id", "country", "number", name=op.f("pk_seller_tax_ids")),
    )
    op.create_table(
        "inventory_positions",
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("fc_id", sa.String(length=40), nullable=False),
        sa.Column("seller_id", sa.String(length=40), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), server_default="0", nullable=False),
        sa.Column("inbound", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "reserved >= 0 AND reserved <= on_hand AND inbound >= 0",
            name=op.f("ck_inventory_positions_stock_bounds"),
        ),
        sa.ForeignKeyConstraint(
            ["fc_id"],
            ["fulfillment_centers.fc_id"],
            name=op.f("fk_inventory_positions_fc_id_fulfillment_centers"),
        ),
        sa.PrimaryKeyConstraint("sku", "fc_id", name=op.f("pk_inventory_positions")),
    )
    with op.batch_alter_table("inventory_positions", schema=None) as batch_op:
        batch_op.create_index("ix_inventory_positions_fc", ["fc_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("payment_ref", sa.String(length=64), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.customer_id"], name=op.f("fk_orders_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
        sa.UniqueConstraint("customer_id", "idempotency_key", name="uq_orders_customer_key"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_placed_at", ["placed_at"], unique=False)

    op.create_table(
        "products",
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("brand_id", sa.String(length=40), nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("longest_side_mm", sa.Integer(), nullable=False),
        sa.Column("hs_code", sa.String(length=12), server_default="", nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.brand_id"], name=op.f("fk_products_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_products")),
        sa.UniqueConstraint("gtin", name=op.f("uq_products_gtin")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index("ix_products_category", ["category"], unique=False)

    op.create_table(
        "offers",
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("seller_id", sa.String(length=40), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("shipping_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("condition", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=3), nullable=False),
        sa.Column("handling_days", sa.Integer(), nullable=False),
        sa.Column("fbm_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("fbm_quantity >= 0", name=op.f("ck_offers_fbm_quantity_nonnegative")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.product_id"], name=op.f("fk_offers_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.seller_id"], name=op.f("fk_offers_seller_id_sellers")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_offers_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_offers")),
        sa.UniqueConstraint(
            "seller_id",
            "product_id",
            "site_id",
            "condition",
            name="uq_offers_seller_product_site_condition",
        ),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index("ix_offers_product_site", ["product_id", "site_id"], unique=False)

    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("seller_id", sa.String(length=40), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("shipping_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("channel", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name=op.f("fk_order_lines_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no", name=op.f("pk_order_lines")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index("ix_order_lines_seller", ["seller_id"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("shipment_id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("distance_km", sa.Float(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name=op.f("fk_shipments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_shipments")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False)

    op.create_table(
        "cart_lines",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.customer_id"],
            name=op.f("fk_cart_lines_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.offer_id"], name=op.f("fk_cart_lines_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("customer_id", "offer_id", name=op.f("pk_cart_lines")),
    )
    op.create_table(
        "shipment_lines",
        sa.Column("shipment_id", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.shipment_id"],
            name=op.f("fk_shipment_lines_shipment_id_shipments"),
        ),
        sa.PrimaryKeyConstraint("shipment_id", "line_no", name=op.f("pk_shipment_lines")),
    )


def downgrade() -> None:
    # Reviewed: the initial schema of the marketplace core (issue 3).
    op.drop_table("shipment_lines")
    op.drop_table("cart_lines")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))

    op.drop_table("shipments")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_order_lines_seller")

    op.drop_table("order_lines")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index("ix_offers_product_site")

    op.drop_table("offers")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_category")

    op.drop_table("products")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_placed_at")

    op.drop_table("orders")
    with op.batch_alter_table("inventory_positions", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_positions_fc")

    op.drop_table("inventory_positions")
    op.drop_table("seller_tax_ids")
    op.drop_table("membership_plans")
    op.drop_table("fulfillment_centers")
    op.drop_table("customers")
    op.drop_table("brands")
    op.drop_table("sites")
    op.drop_table("sellers")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")

    op.drop_table("outbox")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_txn_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_entries_seller_id"))

    op.drop_table("ledger_entries")
