"""Stable error codes of the fulfillment context."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class FulfillmentError(StrEnum):
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID_INVENTORY = "invalid_inventory"
    FC_NOT_FOUND = "fulfillment_center_not_found"


class InsufficientStock(TradewindError):
    code = FulfillmentError.INSUFFICIENT_STOCK
    status = 409


class InvalidInventory(TradewindError):
    code = FulfillmentError.INVALID_INVENTORY
    status = 422


class FulfillmentCenterNotFound(TradewindError):
    code = FulfillmentError.FC_NOT_FOUND
    status = 404
