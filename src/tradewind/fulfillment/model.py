"""Fulfillment: centers at real places and the inventory they hold."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.fulfillment.errors import InsufficientStock, InvalidInventory


@dataclass(frozen=True, slots=True)
class FulfillmentCenter:
    fc_id: str
    name: str
    city: str
    site_id: str
    lat: float
    lon: float
    capacity_units: int
    region: str = ""


@dataclass(slots=True)
class InventoryPosition:
    """Units of one SKU in one FC. ``reserved`` units are promised to open orders."""

    fc_id: str
    sku: str
    on_hand: int = 0
    reserved: int = 0
    inbound: int = 0

    def __post_init__(self) -> None:
        if min(self.on_hand, self.reserved, self.inbound) < 0 or self.reserved > self.on_hand:
            raise InvalidInventory(
                f"inventory {self.fc_id}/{self.sku} must satisfy 0 <= reserved <= on_hand, "
                f"got on_hand={self.on_hand} reserved={self.reserved} inbound={self.inbound}"
            )

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def reserve(self, quantity: int) -> None:
        if quantity <= 0:
            raise InvalidInventory("reserve a positive quantity")
        if quantity > self.available:
            raise InsufficientStock(
                f"{self.fc_id}/{self.sku}: asked {quantity}, {self.available} available"
            )
        self.reserved += quantity

    def release(self, quantity: int) -> None:
        if not 0 < quantity <= self.reserved:
            raise InvalidInventory(f"cannot release {quantity} of {self.reserved} reserved")
        self.reserved -= quantity

    def ship(self, quantity: int) -> None:
        """Reserved units leave the building: both counters drop."""
        if not 0 < quantity <= self.reserved:
            raise InvalidInventory(f"cannot ship {quantity} of {self.reserved} reserved")
        self.reserved -= quantity
        self.on_hand -= quantity

    def receive(self, quantity: int) -> None:
        if quantity <= 0:
            raise InvalidInventory("receive a positive quantity")
        self.on_hand += quantity
        self.inbound = max(0, self.inbound - quantity)
