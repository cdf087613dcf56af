"""Operators of the case queue: created with a bearer token shown once, stored as its hash."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from tradewind.governance.adapters import tables as g
from tradewind.shared.errors import Conflict, ValidationFailed
from tradewind.shared.tokens import new_token, token_hash

__all__ = ["add_operator", "token_hash"]

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


def add_operator(engine: Engine, operator_id: str, name: str) -> str:
    """Create an operator and return its token (only its hash is stored: keep the token)."""
    if not _ID.match(operator_id):
        raise ValidationFailed(
            "operator id: 1-40 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
        )
    if not name.strip() or len(name) > 200:
        raise ValidationFailed("operator name: 1-200 characters")
    token = new_token("op-")
    with engine.begin() as c:
        o = g.operators.c
        if c.execute(select(o.operator_id).where(o.operator_id == operator_id)).first():
            raise Conflict(f"operator {operator_id} exists")
        c.execute(
            insert(g.operators).values(
                operator_id=operator_id,
                name=name.strip(),
                token_hash=token_hash(token),
                created_at=datetime.now(UTC),
            )
        )
    return token
