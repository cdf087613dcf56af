"""FBA inbound: a seller's inbound plan, its placement over FCs and its receiving.

Pure (stdlib + this context). An ``InboundPlan`` goes ``draft -> placed -> in_transit ->
received | partially_received``. Placement stores, per (FC, SKU), the units the seller ships
there, and the fee choice (how many destination FCs the seller accepted and the placement fee
that costs). Receiving counts what actually arrived: units beyond what was expected are an
*over-receipt* (recorded, and sellable), units still missing are *short*. Inventory follows
``apply_receipt``: on-hand grows by every unit that arrived, inbound shrinks only by the units
that were expected, so neither counter ever goes negative. An over-receipt is bounded: an
FC may receive at most :func:`over_allowance` units of a SKU beyond what was placed there
(the greater of 10 units and 10 %), so a mistyped count cannot mint stock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tradewind.fulfillment.model import InventoryPosition
from tradewind.shared.errors import TradewindError
from tradewind.shared.events import Event

OVER_RECEIPT_UNITS = 10
OVER_RECEIPT_SHARE = 0.10


def over_allowance(placed: int) -> int:
    """Most units of a SKU an FC may receive beyond the ``placed`` units (10, or 10 %)."""
    return max(OVER_RECEIPT_UNITS, math.ceil(placed * OVER_RECEIPT_SHARE))


class InboundStatus(StrEnum):
    DRAFT = "draft"
    PLACED = "placed"
    IN_TRANSIT = "in_transit"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"


class InboundErrorCode(StrEnum):
    INVALID_PLAN = "invalid_inbound_plan"
    NOT_FOUND = "inbound_plan_not_found"
    WRONG_STATE = "inbound_plan_wrong_state"
    NO_CAPACITY = "inbound_no_capacity"


class InvalidInboundPlan(TradewindError):
    code = InboundErrorCode.INVALID_PLAN
    status = 422


class InboundPlanNotFound(TradewindError):
    code = InboundErrorCode.NOT_FOUND
    status = 404


class InboundWrongState(TradewindError):
    code = InboundErrorCode.WRONG_STATE
    status = 409


class InboundNoCapacity(TradewindError):
    code = InboundErrorCode.NO_CAPACITY
    status = 409


@dataclass(frozen=True, slots=True)
class Origin:
    country: str
    city: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class InboundLine:
    sku: str
    product_id: str
    units: int


@dataclass(slots=True)
class Placement:
    """Units of one SKU the seller ships to one FC, and how many have arrived so far."""

    fc_id: str
    sku: str
    units: int
    received: int = 0

    @property
    def expected_left(self) -> int:
        return max(0, self.units - self.received)

    @property
    def over(self) -> int:
        return max(0, self.received - self.units)

    @property
    def short(self) -> int:
        return self.expected_left


@dataclass(frozen=True, slots=True)
class FeeOption:
    """One priced choice: at most ``max_fcs`` destinations (US cents)."""

    max_fcs: int
    network_cost: float
    seller_fee: float
    destinations: tuple[str, ...]
    fallback_reason: str | None = None

    @property
    def total(self) -> float:
        return self.network_cost + self.seller_fee


@dataclass(frozen=True, slots=True)
class Receipt:
    """What arrived for one (FC, SKU): ``expected`` units of it were still awaited."""

    fc_id: str
    sku: str
    product_id: str
    units: int
    expected: int
    first_unit: int  # running index of the first unit of this receipt (for unit serials)

    @property
    def over(self) -> int:
        return max(0, self.units - self.expected)

    @property
    def short(self) -> int:
        return max(0, self.expected - self.units)


@dataclass(frozen=True)
class InboundPlanPlaced(Event):
    plan_id: str
    seller_id: str
    units: int
    destinations: tuple[str, ...]
    seller_fee_cents: int


@dataclass(frozen=True)
class InboundReceived(Event):
    plan_id: str
    seller_id: str
    fc_id: str
    sku: str
    product_id: str
    units: int
    over: int
    short: int
    first_unit: int
    at: datetime


@dataclass
class InboundPlan:
    """Aggregate: one seller's inbound shipment from one origin into one site's FCs."""

    plan_id: str
    seller_id: str
    site_id: str
    origin: Origin
    lines: tuple[InboundLine, ...]
    created_at: datetime
    status: InboundStatus = InboundStatus.DRAFT
    placements: list[Placement] = field(default_factory=list)
    choice: FeeOption | None = None
    options: tuple[FeeOption, ...] = ()
    version: int = 1
    events: list[Event] = field(default_factory=list)

    @classmethod
    def draft(
        cls,
        plan_id: str,
        seller_id: str,
        site_id: str,
        origin: Origin,
        *,
        lines: tuple[InboundLine, ...],
        at: datetime,
    ) -> InboundPlan:
        """A new plan; lines need positive units and distinct SKUs."""
        check_lines(lines)
        return cls(plan_id, seller_id, site_id, origin, lines, at)

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)

    def product_of(self, sku: str) -> str:
        return next(line.product_id for line in self.lines if line.sku == sku)

    def place(
        self, units: dict[tuple[str, str], int], choice: FeeOption, options: tuple[FeeOption, ...]
    ) -> None:
        """Fix the destinations: every unit of every line goes to exactly one FC."""
        if self.status is not InboundStatus.DRAFT:
            raise InboundWrongState(f"plan {self.plan_id} is {self.status}, not draft")
        for line in self.lines:
            got = sum(q for (_, sku), q in units.items() if sku == line.sku)
            if got != line.units:
                raise InboundNoCapacity(
                    f"only {got} of {line.units} units of {line.sku} fit in the allowed FCs",
                    errors=[{"field": line.sku, "reason": "no_capacity"}],
                )
        self.placements = [Placement(fc, sku, q) for (fc, sku), q in sorted(units.items()) if q]
        self.choice, self.options = choice, options
        self.status = InboundStatus.PLACED
        self.events.append(
            InboundPlanPlaced(
                self.plan_id,
                self.seller_id,
                self.units,
                choice.destinations,
                round(choice.seller_fee),
            )
        )

    def ship(self) -> None:
        """The seller's carrier has picked the shipment up."""
        if self.status is not InboundStatus.PLACED:
            raise InboundWrongState(f"plan {self.plan_id} is {self.status}, not placed")
        self.status = InboundStatus.IN_TRANSIT

    def receive(
        self, fc_id: str, at: datetime, counts: dict[str, int] | None = None
    ) -> list[Receipt]:
        """Units arrive at ``fc_id``: ``counts`` per SKU (default: what is still expected).

        A placed plan is shipped first (its arrival proves it left).
        """
        receivable = (InboundStatus.IN_TRANSIT, InboundStatus.PARTIALLY_RECEIVED)
        if self.status is not InboundStatus.PLACED and self.status not in receivable:
            raise InboundWrongState(f"plan {self.plan_id} is {self.status}; nothing to receive")
        here = {p.sku: p for p in self.placements if p.fc_id == fc_id}
        if not here:
            raise InvalidInboundPlan(f"plan {self.plan_id} sends nothing to {fc_id}")
        wanted = counts if counts is not None else {s: p.expected_left for s, p in here.items()}
        unknown = sorted(set(wanted) - set(here))
        if unknown or any(q < 0 for q in wanted.values()):
            raise InvalidInboundPlan(f"cannot receive {unknown or 'negative counts'} at {fc_id}")
        _check_over(fc_id, here, wanted)
        if self.status is InboundStatus.PLACED:
            self.ship()
        receipts = []
        for sku, qty in sorted(wanted.items()):
            p = here[sku]
            if qty == 0:
                continue
            r = Receipt(fc_id, sku, self.product_of(sku), qty, p.expected_left, self.arrived(sku))
            p.received += qty
            receipts.append(r)
            self.events.append(
                InboundReceived(
                    self.plan_id,
                    self.seller_id,
                    fc_id,
                    sku,
                    r.product_id,
                    qty,
                    r.over,
                    r.short,
                    r.first_unit,
                    at,
                )
            )
        done = all(p.expected_left == 0 for p in self.placements)
        self.status = InboundStatus.RECEIVED if done else InboundStatus.PARTIALLY_RECEIVED
        return receipts

    def arrived(self, sku: str) -> int:
        """Units of ``sku`` received so far over every FC."""
        return sum(p.received for p in self.placements if p.sku == sku)


def _check_over(fc_id: str, here: dict[str, Placement], wanted: dict[str, int]) -> None:
    """Refuse (before anything changes) counts beyond the placed units plus the allowance."""
    errors = []
    for sku, qty in sorted(wanted.items()):
        p = here[sku]
        most = p.units + over_allowance(p.units) - p.received
        if qty > most:
            errors.append(
                {"field": sku, "units": qty, "max_units": most, "placed": p.units, "fc_id": fc_id}
            )
    if errors:
        detail = ", ".join(f"{e['field']}: {e['units']} > {e['max_units']}" for e in errors)
        raise InvalidInboundPlan(
            f"receipt at {fc_id} exceeds what the plan shipped plus the over-receipt "
            f"allowance (max(10 units, 10 %)): {detail}",
            errors=errors,
        )


def check_lines(lines: tuple[InboundLine, ...]) -> None:
    """Raise ``InvalidInboundPlan`` naming every bad line (1-based)."""
    errors = []
    seen: set[str] = set()
    for n, line in enumerate(lines, start=1):
        if line.units <= 0:
            errors.append({"field": f"lines[{n}].units", "reason": "must be positive"})
        if line.sku in seen:
            errors.append({"field": f"lines[{n}].product_id", "reason": "duplicate product"})
        seen.add(line.sku)
    if not lines:
        errors.append({"field": "lines", "reason": "at least one line"})
    if errors:
        raise InvalidInboundPlan("the inbound plan has invalid lines", errors=errors)


def apply_receipt(position: InventoryPosition, receipt: Receipt) -> None:
    """Every arrived unit becomes sellable; inbound drops only by the units expected."""
    position.on_hand += receipt.units
    position.inbound = max(0, position.inbound - min(receipt.units, receipt.expected))


def add_inbound(position: InventoryPosition, units: int) -> None:
    """Units placed on an FC are counted as inbound there until they arrive."""
    if units <= 0:
        raise InvalidInboundPlan("inbound units must be positive")
    position.inbound += units
