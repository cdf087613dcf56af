"""hashed tokens: rotation and revocation times; no plain token left in a token column

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TOKEN_TABLES = {"sellers": "seller_id", "customers": "customer_id", "operators": "operator_id"}
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def _sha256(token: str) -> str:
    # Frozen copy of tradewind.shared.tokens.token_hash as of this revision.
    return hashlib.sha256(token.strip().encode()).hexdigest()


def _hash_plain_tokens(table: str, id_column: str) -> None:
    """Replace, in place, every value of ``token_hash`` that is not a SHA-256 hex digest (a
    plain token written by hand or by an old tool) by its digest: the same token logs in."""
    t = sa.table(table, sa.column(id_column, sa.String), sa.column("token_hash", sa.String))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(t.c[id_column], t.c.token_hash).where(t.c.token_hash.is_not(None))
    )
    plain = [(sid, value) for sid, value in rows if not _DIGEST.match(value)]
    for sid, value in plain:
        bind.execute(sa.update(t).where(t.c[id_column] == sid).values(token_hash=_sha256(value)))


def upgrade() -> None:
    # Reviewed (issue "Reliability and security under real traffic", tokens): every token
    # column holds SHA-256 digests only; tokens can be rotated and revoked from the CLI.
    # 1. Data: the code has written digests since 0001 (the column was always ``token_hash``,
    #    so there is no plain column to drop or rename); any value that is not a digest is a
    #    plain token and is hashed in place, so its holder keeps logging in with it.
    for table, id_column in TOKEN_TABLES.items():
        _hash_plain_tokens(table, id_column)
    # 2. When each subject's token was last rotated / revoked (NULL: never).
    for table in TOKEN_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("token_rotated_at", sa.DateTime(timezone=True)))
            batch_op.add_column(sa.Column("token_revoked_at", sa.DateTime(timezone=True)))
    # 3. A revoked operator has no token (NULL), as sellers and customers may already. The
    #    unique constraint (an index on both databases) keeps the lookup by digest indexed.
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    # Honest downgrade: digests cannot be turned back into tokens, so none is "restored"; the
    # columns of 0008 hold digests, which is what 0008's code reads. Rotation/revocation times
    # are dropped. A revoked operator (NULL digest) gets the digest of a random secret that is
    # thrown away, so the NOT NULL column of 0008 holds and the operator stays locked out;
    # revoked sellers and customers keep NULL (no token), valid at 0008.
    ops = sa.table(
        "operators",
        sa.column("operator_id", sa.String),
        sa.column("token_hash", sa.String),
    )
    bind = op.get_bind()
    revoked = bind.execute(sa.select(ops.c.operator_id).where(ops.c.token_hash.is_(None))).all()
    for (oid,) in revoked:
        bind.execute(
            sa.update(ops)
            .where(ops.c.operator_id == oid)
            .values(token_hash=_sha256(secrets.token_hex(32)))
        )
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
    for table in reversed(TOKEN_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("token_revoked_at")
            batch_op.drop_column("token_rotated_at")
