"""Ports the orders context needs. Each has an in-memory fake (tradewind.orders.fakes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, Self

from tradewind.fulfillment.api import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.api import FeeSchedule, Offer, Posting, SellerKind, Site
from tradewind.orders.model import Customer, MembershipPlan, Order, OrderStatus
from tradewind.shared.events import Event
from tradewind.shared.money import Money


class DuplicateIdempotencyKey(Exception):
    """Raised by a repository when another transaction stored the same key first."""


@dataclass(frozen=True, slots=True)
class CheckoutOffer:
    """An offer with the facts checkout needs from other contexts, loaded in one read."""

    offer: Offer
    seller_kind: SellerKind
    seller_can_sell: bool
    seller_lat: float
    seller_lon: float
    category: str
    size_tier: str
    seller_country: str = ""
    hs_code: str = ""


@dataclass(frozen=True, slots=True)
class ImportItem:
    hs_code: str  # may be empty: the quoter falls back to the category's default heading
    category: str
    value: Money  # sale value of the line, in the site currency
    quantity: int


@dataclass(frozen=True, slots=True)
class ImportCharges:
    """Duty, import VAT/GST and fees of one cross-border parcel, in the site currency."""

    duty: Money
    vat: Money
    fees: Money
    rules: tuple[str, ...] = ()

    @property
    def total(self) -> Money:
        return self.duty + self.vat + self.fees


class ImportQuoter(Protocol):
    def quote(
        self, origin: str, destination: str, items: Sequence[ImportItem], shipping: Money, on: date
    ) -> ImportCharges:
        """Landed-cost charges of a parcel shipped from ``origin`` into ``destination``."""
        ...


@dataclass(frozen=True, slots=True)
class ExistingOrder:
    order_id: str
    request_hash: str
    status: str = OrderStatus.PLACED.value
    payment_ref: str = ""  # the authorisation, or the failure's code when payment failed


@dataclass(frozen=True, slots=True)
class CheckoutContext:
    """Who is buying, on which site, and whether this key was already used: one read."""

    existing: ExistingOrder | None
    customer: Customer | None
    site: Site | None
    fees: FeeSchedule | None


class CheckoutContextReader(Protocol):
    def load(self, customer_id: str, key: str) -> CheckoutContext: ...


class OrderRepository(Protocol):
    def find_by_key(self, customer_id: str, key: str) -> ExistingOrder | None: ...
    def add(self, order: Order) -> None: ...
    def get(self, order_id: str, *, for_update: bool = False) -> Order | None: ...
    def save_status(self, order: Order) -> None: ...
    def settle(self, order_id: str, status: OrderStatus, payment_ref: str) -> bool:
        """Move a pending-payment order to ``status``; False (and nothing changed) when it was
        no longer pending: another attempt with the same key settled it first."""
        ...

    def pending_before(self, cutoff: datetime, limit: int) -> list[str]:
        """Ids of orders still ``pending_payment`` that were written before ``cutoff``, oldest
        first (at most ``limit``)."""
        ...


class CustomerRepository(Protocol):
    def get(self, customer_id: str) -> Customer | None: ...
    def add(self, customer: Customer) -> None: ...
    def save_membership(self, customer: Customer) -> None: ...


class SiteRepository(Protocol):
    def get(self, site_id: str) -> Site | None: ...
    def plan(self, site_id: str) -> MembershipPlan | None: ...


class CheckoutOfferReader(Protocol):
    def for_checkout(self, site_id: str, offer_ids: Sequence[str]) -> dict[str, CheckoutOffer]: ...
    def lock_fbm_quantities(self, offer_ids: Sequence[str]) -> dict[str, int]: ...
    def save_fbm_quantities(self, quantities: Mapping[str, int]) -> None: ...


class InventoryLocker(Protocol):
    def lock(
        self, skus: Sequence[str]
    ) -> tuple[list[InventoryPosition], dict[str, FulfillmentCenter]]:
        """Lock every position of these SKUs (in (sku, fc_id) order) and return them."""
        ...

    def save_reserved(self, positions: Sequence[InventoryPosition]) -> None: ...


class LedgerWriter(Protocol):
    def add(self, txn_id: str, reference: str, postings: Sequence[Posting]) -> None: ...


class CheckoutUnitOfWork(Protocol):
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def sites(self) -> SiteRepository: ...
    @property
    def offers(self) -> CheckoutOfferReader: ...
    @property
    def inventory(self) -> InventoryLocker: ...
    @property
    def ledger(self) -> LedgerWriter: ...

    @property
    def checkout_context(self) -> CheckoutContextReader: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def record(self, event: Event) -> None:
        """Queue an event: written to the outbox in this transaction, published after commit."""
        ...


@dataclass(frozen=True, slots=True)
class Authorization:
    reference: str
    amount: Money


class PaymentGateway(Protocol):
    def accepts(self, method: str) -> bool:
        """Whether this PSP takes ``method`` (asked before anything is reserved)."""
        ...

    def authorize(self, amount: Money, *, idempotency_key: str, method: str) -> Authorization:
        """Authorise a charge; raises PaymentDeclined or PaymentTimeout."""
        ...

    def void(self, authorization: Authorization) -> None: ...

    def refund(self, authorization: Authorization, amount: Money, *, idempotency_key: str) -> None:
        """Pay ``amount`` of a charge back to the shopper (once per idempotency key)."""
        ...
