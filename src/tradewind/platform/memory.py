"""In-memory fakes of every repository port, and a unit of work over them.

Used by unit tests (no I/O) and handy for experiments. The fake UoW copies the committed
state on enter and swaps it back only on commit, so a failed use case changes nothing,
exactly like a rolled-back database transaction.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Self

from tradewind.catalog.model import Brand, Product
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.ledger import Posting
from tradewind.marketplace.model import KycStatus, Offer, Seller, Site
from tradewind.orders.model import CartLine, Customer, MembershipPlan, Order, OrderStatus
from tradewind.orders.ports import (
    CheckoutContext,
    CheckoutOffer,
    DuplicateIdempotencyKey,
    ExistingOrder,
)
from tradewind.shared.events import Event


@dataclass
class MemoryState:
    sites: dict[str, tuple[Site, FeeSchedule]] = field(default_factory=dict)
    plans: dict[str, MembershipPlan] = field(default_factory=dict)
    sellers: dict[str, Seller] = field(default_factory=dict)
    brands: dict[str, Brand] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    offers: dict[str, Offer] = field(default_factory=dict)
    centers: dict[str, FulfillmentCenter] = field(default_factory=dict)
    inventory: dict[tuple[str, str], InventoryPosition] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    carts: dict[str, dict[str, CartLine]] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    ledger: list[tuple[str, str, Posting]] = field(default_factory=list)
    outbox: list[Event] = field(default_factory=list)


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def s(self) -> MemoryState:
        assert self.uow.working is not None, "repository used outside 'with uow:'"
        return self.uow.working


class FakeOrders(_Repo):
    def find_by_key(self, customer_id: str, key: str) -> ExistingOrder | None:
        for o in self.s.orders.values():
            if o.customer_id == customer_id and o.idempotency_key == key:
                return ExistingOrder(o.order_id, o.request_hash, o.status.value, o.payment_ref)
        return None

    def add(self, order: Order) -> None:
        if self.find_by_key(order.customer_id, order.idempotency_key):
            raise DuplicateIdempotencyKey(order.idempotency_key)
        self.s.orders[order.order_id] = order

    def get(self, order_id: str, *, for_update: bool = False) -> Order | None:
        order = self.s.orders.get(order_id)
        return replace(order, events=[]) if order else None

    def save_status(self, order: Order) -> None:
        self.s.orders[order.order_id] = replace(order, events=[])

    def settle(self, order_id: str, status: OrderStatus, payment_ref: str) -> bool:
        o = self.s.orders.get(order_id)
        if o is None or o.status != OrderStatus.PENDING_PAYMENT:
            return False
        self.s.orders[order_id] = replace(
            o, status=status, payment_ref=payment_ref, version=o.version + 1, events=[]
        )
        return True

    def pending_before(self, cutoff: datetime, limit: int) -> list[str]:
        pending = sorted(
            (o.placed_at, o.order_id)
            for o in self.s.orders.values()
            if o.status == OrderStatus.PENDING_PAYMENT and o.placed_at < cutoff
        )
        return [order_id for _, order_id in pending[:limit]]


class FakeCheckoutContext(_Repo):
    def load(self, customer_id: str, key: str) -> CheckoutContext:
        customer = copy.copy(self.s.customers.get(customer_id))
        if customer is None:
            return CheckoutContext(None, None, None, None)
        site, fees = self.s.sites.get(customer.site_id, (None, None))
        existing = FakeOrders(self.uow).find_by_key(customer_id, key)
        return CheckoutContext(existing, customer, site, fees)


class FakeCustomers(_Repo):
    def get(self, customer_id: str) -> Customer | None:
        return copy.copy(self.s.customers.get(customer_id))

    def add(self, customer: Customer, token_hash: str | None = None) -> None:
        self.s.customers[customer.customer_id] = customer

    def save_membership(self, customer: Customer) -> None:
        self.s.customers[customer.customer_id] = customer


class FakeSites(_Repo):
    def get(self, site_id: str) -> Site | None:
        found = self.s.sites.get(site_id)
        return found[0] if found else None

    def plan(self, site_id: str) -> MembershipPlan | None:
        return self.s.plans.get(site_id)

    def fees(self, site_id: str) -> FeeSchedule | None:
        found = self.s.sites.get(site_id)
        return found[1] if found else None


class FakeOffers(_Repo):
    def get(self, offer_id: str) -> Offer | None:
        o = self.s.offers.get(offer_id)
        return replace(o, events=[]) if o else None

    def exists(self, seller_id: str, product_id: str, site_id: str, condition: str) -> str | None:
        for o in self.s.offers.values():
            if (o.seller_id, o.product_id, o.site_id, o.condition.value) == (
                seller_id,
                product_id,
                site_id,
                condition,
            ):
                return o.offer_id
        return None

    def add(self, offer: Offer) -> None:
        self.s.offers[offer.offer_id] = replace(offer, events=[])

    def save(self, offer: Offer, expected_version: int) -> bool:
        if self.s.offers[offer.offer_id].version != expected_version:
            return False
        self.s.offers[offer.offer_id] = replace(offer, events=[])
        return True

    def for_checkout(self, site_id: str, offer_ids: Sequence[str]) -> dict[str, CheckoutOffer]:
        out = {}
        for oid in offer_ids:
            o = self.s.offers.get(oid)
            if o is None or o.site_id != site_id:
                continue
            seller, product = self.s.sellers[o.seller_id], self.s.products[o.product_id]
            out[oid] = CheckoutOffer(
                replace(o, events=[]),
                seller.kind,
                seller.kyc_status == KycStatus.VERIFIED,
                seller.lat,
                seller.lon,
                product.category,
                product.size_tier.value,
                seller.country,
                product.hs_code,
            )
        return out

    def lock_fbm_quantities(self, offer_ids: Sequence[str]) -> dict[str, int]:
        return {i: self.s.offers[i].fbm_quantity for i in offer_ids if i in self.s.offers}

    def save_fbm_quantities(self, quantities: Mapping[str, int]) -> None:
        for oid, qty in quantities.items():
            if qty < 0:
                raise ValueError("fbm_quantity would go negative")  # the DB's CHECK, faked
            self.s.offers[oid] = replace(self.s.offers[oid], fbm_quantity=qty, events=[])


class FakeInventory(_Repo):
    def lock(
        self, skus: Sequence[str]
    ) -> tuple[list[InventoryPosition], dict[str, FulfillmentCenter]]:
        wanted = set(skus)
        positions = [
            copy.copy(p)
            for (fc, sku), p in sorted(
                self.s.inventory.items(), key=lambda kv: (kv[0][1], kv[0][0])
            )
            if sku in wanted
        ]
        return positions, {p.fc_id: self.s.centers[p.fc_id] for p in positions}

    def save_reserved(self, positions: Sequence[InventoryPosition]) -> None:
        for p in positions:
            # Re-validates the bounds, like the database's CHECK constraint.
            self.s.inventory[(p.fc_id, p.sku)] = InventoryPosition(
                p.fc_id, p.sku, p.on_hand, p.reserved, p.inbound
            )

    def get(self, fc_id: str, sku: str, *, for_update: bool = False) -> InventoryPosition | None:
        p = self.s.inventory.get((fc_id, sku))
        return copy.copy(p) if p else None

    def add(self, position: InventoryPosition, seller_id: str, product_id: str) -> None:
        self.s.inventory[(position.fc_id, position.sku)] = position

    def center(self, fc_id: str) -> FulfillmentCenter | None:
        return self.s.centers.get(fc_id)


class FakeLedger(_Repo):
    def add(self, txn_id: str, reference: str, postings: Sequence[Posting]) -> None:
        self.s.ledger.extend((txn_id, reference, p) for p in postings)

    def entries(self, reference: str) -> list[Posting]:
        return [p for _, ref, p in self.s.ledger if ref == reference]


class FakeCarts(_Repo):
    def lines(self, customer_id: str) -> list[CartLine]:
        return list(self.s.carts.get(customer_id, {}).values())

    def put(self, customer_id: str, line: CartLine) -> None:
        self.s.carts.setdefault(customer_id, {})[line.offer_id] = line

    def remove(self, customer_id: str, offer_id: str) -> bool:
        return self.s.carts.get(customer_id, {}).pop(offer_id, None) is not None

    def clear(self, customer_id: str) -> None:
        self.s.carts.pop(customer_id, None)


class FakeSellers(_Repo):
    def get(self, seller_id: str) -> Seller | None:
        return copy.copy(self.s.sellers.get(seller_id))

    def add(self, seller: Seller, token_hash: str | None = None) -> None:
        self.s.sellers[seller.seller_id] = seller

    def set_kyc(self, seller_id: str, status: KycStatus) -> None:
        self.s.sellers[seller_id].kyc_status = status


class FakeBrands(_Repo):
    def get(self, brand_id: str) -> Brand | None:
        return self.s.brands.get(brand_id)

    def add(self, brand: Brand) -> None:
        self.s.brands[brand.brand_id] = brand


class FakeProducts(_Repo):
    def get(self, product_id: str) -> Product | None:
        return self.s.products.get(product_id)

    def find_by_gtin(self, gtin: str) -> str | None:
        return next((p.product_id for p in self.s.products.values() if p.gtin == gtin), None)

    def add(self, product: Product) -> None:
        self.s.products[product.product_id] = product


class FakeUnitOfWork:
    def __init__(self, state: MemoryState | None = None) -> None:
        self.committed = state or MemoryState()
        self.working: MemoryState | None = None
        self._pending: list[Event] = []
        self._published: list[Event] = []
        self.commits = 0
        self.orders, self.customers, self.sites = (
            FakeOrders(self),
            FakeCustomers(self),
            FakeSites(self),
        )
        self.offers, self.inventory, self.ledger = (
            FakeOffers(self),
            FakeInventory(self),
            FakeLedger(self),
        )
        self.carts = FakeCarts(self)
        self.checkout_context = FakeCheckoutContext(self)
        self.sellers, self.brands, self.products = (
            FakeSellers(self),
            FakeBrands(self),
            FakeProducts(self),
        )

    def __enter__(self) -> Self:
        self.working = copy.deepcopy(self.committed)
        self._pending = []
        return self

    def __exit__(self, *exc: object) -> None:
        self.working = None
        self._pending = []

    def record(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        assert self.working is not None
        self.working.outbox.extend(self._pending)
        self.committed = self.working
        self.working = copy.deepcopy(self.committed)
        self._published.extend(self._pending)
        self._pending = []
        self.commits += 1

    def rollback(self) -> None:
        self.working = copy.deepcopy(self.committed)
        self._pending = []

    def collect_new_events(self) -> list[Event]:
        out, self._published = self._published, []
        return out
