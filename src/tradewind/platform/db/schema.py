"""The whole schema: every table module registers on the one MetaData. Alembic's env and the
schema test import this module, so a new table module must be listed here."""

from tradewind.fulfillment.adapters import inbound_tables
from tradewind.governance.adapters import tables as governance_tables
from tradewind.platform.db import tables
from tradewind.platform.db.tables import metadata
from tradewind.tracking.adapters import tables as tracking_tables
from tradewind.transport.adapters import network_tables

TABLE_MODULES = [tables, tracking_tables, network_tables, inbound_tables, governance_tables]

__all__ = ["TABLE_MODULES", "metadata"]
