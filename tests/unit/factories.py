"""Small named worlds for unit tests (in memory)."""

from __future__ import annotations

from datetime import timedelta

from tradewind.catalog.model import Brand, Product, make_gtin
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import (
    Channel,
    KycStatus,
    Offer,
    Seller,
    SellerKind,
    Site,
    sku_for,
)
from tradewind.orders.model import Customer, MembershipPlan
from tradewind.platform.memory import FakeUnitOfWork, MemoryState
from tradewind.shared.clock import FixedClock, utc
from tradewind.shared.money import Money

NOW = utc(2026, 11, 26, 12)


def usd(amount: int) -> Money:
    return Money(amount, "USD")


def small_world(*, stock: dict[str, int] | None = None) -> FakeUnitOfWork:
    """US site; FCs in New York (near) and Los Angeles (far); a verified 3P seller with two
    FBA offers and one FBM offer; a member and a non-member customer in New York."""
    s = MemoryState()
    s.sites["US"] = (Site("US", "US", "USD", "en-US", "standard", usd(499)), FeeSchedule("USD"))
    s.plans["US"] = MembershipPlan("prime-us", "US", usd(1499), 30)
    s.centers["NYC"] = FulfillmentCenter("NYC", "NYC FC", "New York", "US", 40.7, -74.0, 10**6)
    s.centers["LAX"] = FulfillmentCenter("LAX", "LAX FC", "Los Angeles", "US", 34.0, -118.2, 10**6)
    s.sellers["S1"] = Seller(
        "S1", "Seller One", SellerKind.THIRD_PARTY, "US", KycStatus.VERIFIED, lat=41.0, lon=-73.0
    )
    s.sellers["S2"] = Seller(
        "S2", "Seller Two", SellerKind.THIRD_PARTY, "CN", KycStatus.VERIFIED, lat=31.2, lon=121.5
    )
    s.brands["B1"] = Brand("B1", "Acme", "S1")
    for i, pid in enumerate(("P1", "P2", "P3")):
        s.products[pid] = Product(
            pid, make_gtin(i + 1), f"Product {pid}", "electronics", "B1", 300, 200
        )
    s.offers["O1"] = Offer("O1", "S1", "P1", "US", usd(2000), usd(0))
    s.offers["O2"] = Offer("O2", "S1", "P2", "US", usd(1000), usd(0))
    s.offers["O3"] = Offer(
        "O3",
        "S2",
        "P3",
        "US",
        usd(500),
        usd(300),
        channel=Channel.FBM,
        handling_days=2,
        fbm_quantity=5,
    )
    levels = stock if stock is not None else {"NYC:P1": 3, "LAX:P1": 10, "NYC:P2": 5}
    for key, qty in levels.items():
        fc, pid = key.split(":")
        sku = sku_for("S1", pid)
        s.inventory[(fc, sku)] = InventoryPosition(fc, sku, qty)
    s.customers["C1"] = Customer(
        "C1", "US", "Member", "New York", 40.71, -74.0, NOW + timedelta(days=30)
    )
    s.customers["C2"] = Customer("C2", "US", "Guest", "New York", 40.71, -74.0, None)
    return FakeUnitOfWork(s)


def clock() -> FixedClock:
    return FixedClock(NOW)
