"""Commands of the orders context."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.orders.model import CartLine
from tradewind.shared.events import Command


@dataclass(frozen=True)
class PlaceOrder(Command):
    customer_id: str
    lines: tuple[CartLine, ...]
    idempotency_key: str
    payment_method: str = "card"


@dataclass(frozen=True)
class CancelOrder(Command):
    order_id: str
    reason: str
    customer_id: str | None = None  # when set, the order must belong to this customer


@dataclass(frozen=True)
class RefundShipment(Command):
    """Pay the shopper back for one parcel that will not reach them (e.g. refused at customs)."""

    order_id: str
    shipment_id: str
    reason: str


@dataclass(frozen=True)
class StartMembership(Command):
    customer_id: str


@dataclass(frozen=True)
class SweepPendingOrders(Command):
    """Settle orders left ``pending_payment`` by a crashed checkout: those written before
    ``cutoff`` (an ISO-8601 UTC time) release their stock and fail as a payment time-out."""

    cutoff: str
    limit: int = 1_000
