"""Orders: customers, membership, carts, orders, lines and shipments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from tradewind.orders.errors import InvalidCart, OrderNotCancellable
from tradewind.orders.events import OrderCancelled
from tradewind.shared.events import Event
from tradewind.shared.money import Money

MAX_UNITS_PER_LINE = 99
MAX_LINES = 50
# An order's item total in minor units: far below bigint (9.2e18), so totals, charges and the
# ledger's sums of them always fit the database's integer columns.
MAX_ORDER_TOTAL_MINOR = 10**15
# What a shopper may pay with (the API's closed set). Payment providers' test behaviours are
# not in it: they are reachable only from code that builds a test PSP (tests, bench, drills).
PAYMENT_METHODS = ("card",)
MAX_PAYMENT_METHOD_LENGTH = 16


@dataclass(frozen=True, slots=True)
class MembershipPlan:
    """Prime-style plan: a fee per period buys free fast shipping on eligible offers."""

    plan_id: str
    site_id: str
    fee: Money
    period_days: int
    benefit: str = "free fast shipping on eligible offers"


@dataclass(slots=True)
class Customer:
    customer_id: str
    site_id: str
    name: str
    city: str
    lat: float
    lon: float
    member_until: datetime | None = None

    def is_member(self, at: datetime) -> bool:
        return self.member_until is not None and at < self.member_until

    def subscribe(self, plan: MembershipPlan, at: datetime) -> datetime:
        """Start or extend membership by one period; returns the new end."""
        start = self.member_until if self.is_member(at) and self.member_until else at
        self.member_until = start + timedelta(days=plan.period_days)
        return self.member_until


@dataclass(frozen=True, slots=True)
class CartLine:
    offer_id: str
    quantity: int


def validate_cart_lines(lines: tuple[CartLine, ...]) -> None:
    problems = []
    if len(lines) > MAX_LINES:
        problems.append({"field": "lines", "reason": f"at most {MAX_LINES} lines"})
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if not 1 <= line.quantity <= MAX_UNITS_PER_LINE:
            problems.append(
                {"field": f"lines[{i}].quantity", "reason": f"must be 1..{MAX_UNITS_PER_LINE}"}
            )
        if line.offer_id in seen:
            problems.append({"field": f"lines[{i}].offer_id", "reason": "duplicate offer"})
        seen.add(line.offer_id)
    if problems:
        raise InvalidCart(
            "invalid cart: " + ", ".join(p["field"] for p in problems), errors=problems
        )


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"  # stock reserved, the PSP not yet answered
    PAYMENT_FAILED = "payment_failed"  # declined or timed out: stock released, no postings
    PLACED = "placed"  # paid (authorised) and stock reserved
    CANCELLED = "cancelled"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_no: int
    offer_id: str
    seller_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    shipping: Money  # shipping charged for the whole line (0 for members on eligible offers)
    channel: str

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity + self.shipping


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Shipment:
    shipment_id: str
    order_id: str
    origin: str  # an FC id, or "seller:<id>" for self-fulfilled lines
    lines: tuple[ShipmentLine, ...]
    distance_km: float = 0.0
    status: str = "created"
    promised_by: datetime | None = None


# Delivery promise in days after the order: membership buys fast shipping on FBA offers.
PROMISE_DAYS_MEMBER_FBA = 2
PROMISE_DAYS_STANDARD_FBA = 4
PROMISE_DAYS_FBM_TRANSIT = 5


def delivery_promise(
    placed_at: datetime, *, member: bool, fba: bool, handling_days: int = 0
) -> datetime:
    """The date a shipment is promised by (end of that UTC day)."""
    if fba:
        days = PROMISE_DAYS_MEMBER_FBA if member else PROMISE_DAYS_STANDARD_FBA
    else:
        days = handling_days + PROMISE_DAYS_FBM_TRANSIT
    day = (placed_at + timedelta(days=days)).replace(hour=23, minute=59, second=59, microsecond=0)
    return day


@dataclass(slots=True)
class Order:
    order_id: str
    customer_id: str
    site_id: str
    status: OrderStatus
    lines: tuple[OrderLine, ...]
    shipments: tuple[Shipment, ...]
    total: Money
    placed_at: datetime
    idempotency_key: str
    request_hash: str
    payment_ref: str = ""
    version: int = 1
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def is_split(self) -> bool:
        return len(self.shipments) > 1

    def cancel(self, reason: str) -> None:
        if self.status != OrderStatus.PLACED:
            raise OrderNotCancellable(f"order {self.order_id} is {self.status}; cannot cancel")
        self.status = OrderStatus.CANCELLED
        self.version += 1
        self.events.append(OrderCancelled(self.order_id, reason))
