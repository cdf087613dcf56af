"""Governance tables: cases, their scores and evidence, enforcement actions and what each
action changed in the marketplace, appeals, and the hash-chained audit trail.

The audit rows keep the digests exactly as the domain computed them, so
``verify_chain`` on a loaded case detects a row edited in the database.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
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

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(60), primary_key=True),
    Column("subject_kind", String(16), nullable=False),
    Column("subject_ref", String(100), nullable=False),
    Column("respondent", String(100), nullable=False),
    Column("rule_id", String(60), nullable=False),
    # The detector with the highest score and that score (the queue filters and sorts on them).
    Column("detector", String(32), nullable=False),
    Column("score", Float, nullable=False),
    Column("status", String(16), nullable=False),
    Column("appeal", String(16), nullable=False),
    Column("appeal_window_s", BigInteger, nullable=False),
    Column("first_action_at", UtcDateTime),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_cases_status_detector", "status", "detector"),
    Index("ix_cases_subject_ref", "subject_ref"),
    Index("ix_cases_respondent", "respondent"),
)

case_scores = Table(
    "case_scores",
    metadata,
    Column("case_id", ForeignKey("cases.case_id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("detector", String(32), nullable=False),
    Column("subject_kind", String(16), nullable=False),
    Column("subject_ref", String(100), nullable=False),
    Column("score", Float, nullable=False),
    Column("model_version", String(40), nullable=False),
)

case_evidence = Table(
    "case_evidence",
    metadata,
    Column("case_id", ForeignKey("cases.case_id"), primary_key=True),
    Column("score_seq", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("code", String(60), nullable=False),
    Column("detail", Text, nullable=False),
    Column("weight", Float, nullable=False),
)

enforcement_actions = Table(
    "enforcement_actions",
    metadata,
    Column("action_id", String(80), primary_key=True),
    Column("case_id", ForeignKey("cases.case_id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("target_kind", String(16), nullable=False),
    Column("target_ref", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_ref", String(100), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
    Column("reversed_at", UtcDateTime),
    Index("ix_enforcement_actions_case", "case_id"),
    Index("ix_enforcement_actions_target", "target_ref"),
)

# What an action changed (prior state, ledger transactions, destroyed units), so that an
# overturned appeal can restore exactly that.
enforcement_effects = Table(
    "enforcement_effects",
    metadata,
    Column("action_id", ForeignKey("enforcement_actions.action_id"), primary_key=True),
    Column("kind", String(24), nullable=False),
    Column("target_ref", String(100), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
    Column("reversed_at", UtcDateTime),
    Index("ix_enforcement_effects_target", "kind", "target_ref"),
)

# One row per (offer, action) keeping the offer suppressed; offers.suppressed is true while
# any row is left (several cases may suppress one offer).
offer_suppressions = Table(
    "offer_suppressions",
    metadata,
    Column("offer_id", ForeignKey("offers.offer_id"), primary_key=True),
    Column("action_id", ForeignKey("enforcement_actions.action_id"), primary_key=True),
)

case_appeals = Table(
    "case_appeals",
    metadata,
    Column("case_id", ForeignKey("cases.case_id"), primary_key=True),
    Column("appellant", String(100), nullable=False),
    Column("statement", Text, nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),
    Column("decided_at", UtcDateTime),
    Column("decided_by", String(100)),
)

case_audit_entries = Table(
    "case_audit_entries",
    metadata,
    Column("case_id", ForeignKey("cases.case_id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_ref", String(100), nullable=False),
    Column("event", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("appeal_path", Text, nullable=False),
    Column("prev_digest", String(64), nullable=False),
    Column("digest", String(64), nullable=False),
)

# People who work the case queue. A bearer token (stored as its SHA-256, like sellers' and
# customers') says who acts, so the audit trail's operator and the four-eyes rule on appeals
# rest on a login rather than on a name typed into a form. NULL token_hash: revoked
# (``tradewind tokens revoke``) until a rotation issues a new token.
operators = Table(
    "operators",
    metadata,
    Column("operator_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("token_rotated_at", UtcDateTime),
    Column("token_revoked_at", UtcDateTime),
)

# Test buys an operator recorded: an item bought from an offer and inspected. The latest result
# per offer is a fact the follow-sell detector reads (failed: the offer goes; genuine: cleared).
test_buys = Table(
    "test_buys",
    metadata,
    Column("test_buy_id", String(40), primary_key=True),
    Column("offer_id", ForeignKey("offers.offer_id"), nullable=False, index=True),
    Column("result", String(20), nullable=False),
    Column("operator_id", ForeignKey("operators.operator_id"), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_at", UtcDateTime, nullable=False),
)
