"""The whole schema: every table module registers on the one MetaData. Alembic's env and the
schema test import this module, so a new table module must be listed here."""

from tradewind.adapters.db import (
    governance_tables,
    inbound_tables,
    network_tables,
    tables,
    tracking_tables,
)
from tradewind.adapters.db.tables import metadata

TABLE_MODULES = [tables, tracking_tables, network_tables, inbound_tables, governance_tables]

__all__ = ["TABLE_MODULES", "metadata"]
