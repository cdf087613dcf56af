"""Events of the orders context."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.shared.events import Event


@dataclass(frozen=True)
class OrderPlaced(Event):
    order_id: str
    customer_id: str
    site_id: str
    total_amount: int
    currency: str
    units: int
    shipments: int


@dataclass(frozen=True)
class OrderCancelled(Event):
    order_id: str
    reason: str


@dataclass(frozen=True)
class MembershipStarted(Event):
    customer_id: str
    plan_id: str
    until: str


@dataclass(frozen=True)
class ShipmentRefunded(Event):
    order_id: str
    shipment_id: str
    amount: int  # minor units paid back to the shopper
    currency: str
    reason: str


@dataclass(frozen=True)
class PendingOrderReleased(Event):
    """The sweeper failed an order a crashed checkout left pending and released its stock."""

    order_id: str
    pending_since: str
    reason: str
