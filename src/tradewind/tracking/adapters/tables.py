"""Tables of the tracking context: EPCIS events plus the indexes the trace queries use.

``tracking_events`` holds one row per hashed event (``event_id`` unique, so re-recording is a
no-op) with its full EPCIS 2.0 JSON-LD form in ``body``; the scalar columns exist for the
location/time window query and for people reading the database. ``seq`` is the recording order
that breaks ``event_time`` ties. ``tracking_event_epcs`` names every EPC an event mentions
(with its role and, for SGTINs, the SKU's EPC class pattern) and drives the custody queries;
``tracking_event_transactions`` lists the business transactions (order, return) of an event.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from tradewind.platform.db.tables import UtcDateTime, metadata

EPC_ROLES = ("epc", "parent", "child", "input", "output")
"""Where an EPC appears in an event: epcList, parentID, childEPCs, inputEPCList, outputEPCList."""

_SEQ = BigInteger().with_variant(Integer, "sqlite")  # INTEGER PRIMARY KEY = rowid on SQLite
_URI = 255

tracking_events = Table(
    "tracking_events",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False, unique=True),
    Column("event_type", String(32), nullable=False),
    Column("action", String(8)),
    Column("event_time", UtcDateTime, nullable=False),
    Column("biz_step", String(_URI)),
    Column("disposition", String(_URI)),
    Column("read_point", String(_URI)),
    Column("biz_location", String(_URI)),
    Column("body", JSON, nullable=False),
    Index("ix_tracking_events_read_point_time", "read_point", "event_time"),
    Index("ix_tracking_events_biz_location_time", "biz_location", "event_time"),
)

tracking_event_epcs = Table(
    "tracking_event_epcs",
    metadata,
    Column("seq", ForeignKey("tracking_events.seq", ondelete="CASCADE"), nullable=False),
    Column("role", String(8), nullable=False),
    Column("epc", String(_URI), nullable=False),
    Column("epc_class", String(_URI)),
    PrimaryKeyConstraint("seq", "role", "epc"),
    CheckConstraint("role IN ('epc', 'parent', 'child', 'input', 'output')", name="role"),
    # Custody: "events naming these EPCs" (covering, so the seq list comes from the index) and
    # the containment walk (child -> parent of the same event).
    Index("ix_tracking_event_epcs_epc_seq", "epc", "seq"),
    # "Where is every unit of a SKU now": all EPCs of an item class.
    Index("ix_tracking_event_epcs_epc_class", "epc_class"),
)

tracking_event_transactions = Table(
    "tracking_event_transactions",
    metadata,
    Column("seq", ForeignKey("tracking_events.seq", ondelete="CASCADE"), nullable=False),
    Column("biz_transaction", String(_URI), nullable=False),
    Column("type", String(_URI), nullable=False),
    PrimaryKeyConstraint("seq", "biz_transaction", "type"),
    Index("ix_tracking_event_transactions_biz_transaction", "biz_transaction"),
)

__all__ = [
    "EPC_ROLES",
    "tracking_event_epcs",
    "tracking_event_transactions",
    "tracking_events",
]
