"""Stored bearer tokens of sellers, customers and operators: look up, rotate, revoke, list.

Each subject's row holds only ``token_hash`` (``tradewind.shared.tokens``), plus when its token
was last rotated or revoked. Rotation replaces the digest in one UPDATE, so the previous token
stops working with that commit; revocation sets it to NULL (no token matches NULL) until a
later rotation issues a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, literal, null, select, union_all, update

from tradewind.governance.adapters import tables as g
from tradewind.platform.db import tables as t
from tradewind.shared.errors import NotFound, ValidationFailed
from tradewind.shared.tokens import digests_match, new_token, token_hash


@dataclass(frozen=True)
class Subjects:
    """One kind of subject that holds a bearer token: its table, id column, token prefix."""

    kind: str
    table: Table
    id_column: str
    prefix: str

    @property
    def id(self) -> Column[Any]:
        return self.table.c[self.id_column]


KINDS = (
    Subjects("seller", t.sellers, "seller_id", "tw_"),
    Subjects("customer", t.customers, "customer_id", "tw_"),
    Subjects("operator", g.operators, "operator_id", "op-"),
)
BY_KIND = {s.kind: s for s in KINDS}


@dataclass(frozen=True)
class Rotated:
    kind: str
    subject_id: str
    token: str  # shown once; only its digest is stored
    rotated_at: datetime


def find_principal(c: Connection, digest: str) -> tuple[str, str] | None:
    """(kind, subject id) whose stored digest is ``digest``: one indexed lookup (each
    ``token_hash`` column is unique) over the three tables, then a constant-time compare."""
    found = c.execute(
        union_all(
            *(
                select(
                    literal(s.kind).label("kind"), s.id.label("sid"), s.table.c.token_hash
                ).where(s.table.c.token_hash == digest)
                for s in KINDS
            )
        )
    ).first()
    if found is None or not digests_match(digest, found.token_hash):
        return None
    return (str(found.kind), str(found.sid))


def _subject(c: Connection, subject_id: str, kind: str | None) -> Subjects:
    """Which kind of subject ``subject_id`` is (``kind`` settles an id used by two kinds)."""
    if kind is not None and kind not in BY_KIND:
        raise ValidationFailed(f"kind: one of {', '.join(BY_KIND)}")
    candidates = [BY_KIND[kind]] if kind else list(KINDS)
    hits = [s for s in candidates if c.execute(select(s.id).where(s.id == subject_id)).first()]
    if not hits:
        raise NotFound(f"no {kind or 'seller, customer or operator'} {subject_id}")
    if len(hits) > 1:
        raise ValidationFailed(f"{subject_id} is a {' and a '.join(h.kind for h in hits)}: --kind")
    return hits[0]


def rotate(
    engine: Engine, subject_id: str, *, kind: str | None = None, now: datetime | None = None
) -> Rotated:
    """Issue ``subject_id`` a new token (also after a revocation); the old one stops working."""
    when = now or datetime.now(UTC)
    with engine.begin() as c:
        s = _subject(c, subject_id, kind)
        token = new_token(s.prefix)
        c.execute(
            update(s.table)
            .where(s.id == subject_id)
            .values(token_hash=token_hash(token), token_rotated_at=when, token_revoked_at=None)
        )
    return Rotated(s.kind, subject_id, token, when)


def revoke(
    engine: Engine, subject_id: str, *, kind: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Drop ``subject_id``'s token: it authenticates no more (401) until a rotation. Revoking
    again keeps the first revocation's time."""
    when = now or datetime.now(UTC)
    with engine.begin() as c:
        s = _subject(c, subject_id, kind)
        c.execute(
            update(s.table)
            .where(s.id == subject_id, s.table.c.token_revoked_at.is_(None))
            .values(token_hash=null(), token_revoked_at=when)
        )
        revoked_at = c.execute(
            select(s.table.c.token_revoked_at).where(s.id == subject_id)
        ).scalar()
    return {"kind": s.kind, "subject_id": subject_id, "revoked_at": revoked_at}


def list_tokens(engine: Engine, kind: str | None = None) -> list[dict[str, Any]]:
    """Subjects that hold a token or had one revoked, with when it was created, rotated or
    revoked; never the token or its digest. ``created_at`` is the subject's (customers: none)."""
    if kind is not None and kind not in BY_KIND:
        raise ValidationFailed(f"kind: one of {', '.join(BY_KIND)}")
    out: list[dict[str, Any]] = []
    with engine.connect() as c:
        for s in [BY_KIND[kind]] if kind else KINDS:
            tc = s.table.c
            created = tc.created_at if "created_at" in tc else literal(None).label("created_at")
            rows = c.execute(
                select(
                    s.id.label("subject_id"),
                    created,
                    tc.token_rotated_at,
                    tc.token_revoked_at,
                    tc.token_hash.is_not(None).label("active"),
                )
                .where(tc.token_hash.is_not(None) | tc.token_revoked_at.is_not(None))
                .order_by(s.id)
            )
            out += [
                {
                    "kind": s.kind,
                    "subject_id": r.subject_id,
                    "status": "active" if r.active else "revoked",
                    "created_at": r.created_at,
                    "rotated_at": r.token_rotated_at,
                    "revoked_at": r.token_revoked_at,
                }
                for r in rows
            ]
    return out
