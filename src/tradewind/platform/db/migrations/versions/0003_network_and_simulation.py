"""network and simulation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:25:10.606723
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reviewed: network nodes, fulfillment costs, simulation runs; shipment promise and
    # delivery times (issue 4).
    op.create_table(
        "fulfillment_costs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shipment_id", sa.String(length=40), nullable=True),
        sa.Column("trip_id", sa.String(length=80), nullable=True),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillment_costs")),
    )
    with op.batch_alter_table("fulfillment_costs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fulfillment_costs_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_fulfillment_costs_shipment_id"), ["shipment_id"], unique=False
        )

    op.create_table(
        "simulation_runs",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("sim_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sim_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("real_seconds", sa.Float(), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_simulation_runs")),
    )
    op.create_table(
        "network_nodes",
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("site_id", sa.String(length=8), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.site_id"], name=op.f("fk_network_nodes_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("node_id", name=op.f("pk_network_nodes")),
    )
    with op.batch_alter_table("network_nodes", schema=None) as batch_op:
        batch_op.create_index("ix_network_nodes_site_kind", ["site_id", "kind"], unique=False)

    with op.batch_alter_table("inventory_positions", schema=None) as batch_op:
        batch_op.create_index("ix_inventory_positions_product", ["product_id"], unique=False)
        batch_op.create_index("ix_inventory_positions_seller", ["seller_id"], unique=False)

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promised_by", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("package_epc", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inventory_positions", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_positions_seller")
        batch_op.drop_index("ix_inventory_positions_product")

    # Reviewed: network nodes, fulfillment costs, simulation runs; shipment promise and
    # delivery times (issue 4).
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("package_epc")
        batch_op.drop_column("delivered_at")
        batch_op.drop_column("promised_by")

    with op.batch_alter_table("network_nodes", schema=None) as batch_op:
        batch_op.drop_index("ix_network_nodes_site_kind")

    op.drop_table("network_nodes")
    op.drop_table("simulation_runs")
    with op.batch_alter_table("fulfillment_costs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fulfillment_costs_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_fulfillment_costs_at"))

    op.drop_table("fulfillment_costs")
