"""test buys

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reviewed (issue 8, test buys): inspected purchases from offers, recorded by operators.
    op.create_table(
        "test_buys",
        sa.Column("test_buy_id", sa.String(length=40), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("operator_id", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.offer_id"], name=op.f("fk_test_buys_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.operator_id"],
            name=op.f("fk_test_buys_operator_id_operators"),
        ),
        sa.PrimaryKeyConstraint("test_buy_id", name=op.f("pk_test_buys")),
    )
    op.create_index(op.f("ix_test_buys_offer_id"), "test_buys", ["offer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_test_buys_offer_id"), table_name="test_buys")
    op.drop_table("test_buys")
