"""What other contexts may use from fulfillment."""

from tradewind.fulfillment.errors import InsufficientStock
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.fulfillment.sourcing import (
    Allocation,
    LineDemand,
    SourcingPolicy,
    nearest_fc_with_stock,
)
from tradewind.fulfillment.sourcing_lp import LpSourcingPolicy

__all__ = [
    "Allocation",
    "FulfillmentCenter",
    "InsufficientStock",
    "InventoryPosition",
    "LineDemand",
    "LpSourcingPolicy",
    "SourcingPolicy",
    "nearest_fc_with_stock",
]
