"""A seeded, deterministic world: sites, FCs at real cities, sellers, catalog, customers.

Pure: the facts data libraries know (currencies, cities) come in as ``SiteInput``s built by
the adapter (``tradewind.adapters.world_inputs``); this module only decides and draws.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction

from tradewind.catalog.model import Brand, Product, make_gtin
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import (
    Channel,
    Condition,
    KycStatus,
    Offer,
    Seller,
    SellerKind,
    Site,
    sku_for,
)
from tradewind.orders.model import Customer, MembershipPlan
from tradewind.shared.money import Money

CATEGORIES = (
    "electronics",
    "home",
    "kitchen",
    "toys",
    "books",
    "fashion",
    "beauty",
    "sports",
    "tools",
    "grocery",
)
NOUNS = {
    "electronics": ("Headphones", "Charger", "Speaker", "Keyboard", "Webcam"),
    "home": ("Lamp", "Blanket", "Pillow", "Shelf", "Clock"),
    "kitchen": ("Kettle", "Pan", "Knife Set", "Blender", "Mug"),
    "toys": ("Puzzle", "Building Set", "Plush Bear", "Drone", "Board Game"),
    "books": ("Novel", "Cookbook", "Atlas", "Guide", "Anthology"),
    "fashion": ("Jacket", "Sneakers", "Scarf", "Backpack", "Watch"),
    "beauty": ("Serum", "Shampoo", "Brush Set", "Perfume", "Lotion"),
    "sports": ("Yoga Mat", "Dumbbell", "Water Bottle", "Tent", "Helmet"),
    "tools": ("Drill", "Wrench Set", "Tape Measure", "Saw", "Ladder"),
    "grocery": ("Coffee", "Tea", "Olive Oil", "Chocolate", "Honey"),
}
ADJECTIVES = ("Classic", "Pro", "Compact", "Deluxe", "Eco", "Smart", "Ultra", "Mini", "Max")
MEMBERS_UNTIL = datetime(2031, 1, 1, tzinfo=UTC)
SELLER_ORIGINS = ("CN", "CN", "CN", "US", "DE", "IN", "GB", "JP", "TR")


@dataclass(frozen=True, slots=True)
class CityInput:
    name: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class SiteInput:
    site_id: str
    country: str
    currency: str
    language: str
    usd_cents_to_minor: Fraction  # multiply a USD-cent amount to get this currency's minor units
    cities: tuple[CityInput, ...]
    fc_count: int


@dataclass(frozen=True, slots=True)
class WorldParams:
    seed: int
    products: int = 200
    customers_per_site: int = 100
    third_party_sellers: int = 12


@dataclass
class World:
    sites: list[tuple[Site, FeeSchedule]] = field(default_factory=list)
    plans: list[MembershipPlan] = field(default_factory=list)
    sellers: list[Seller] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    centers: list[FulfillmentCenter] = field(default_factory=list)
    inventory: list[tuple[InventoryPosition, str, str]] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)


def demo_token(seed: int, subject_id: str) -> str:
    """Deterministic demo credential (for a local demo world only, never production)."""
    return "tw_" + hashlib.sha256(f"demo:{seed}:{subject_id}".encode()).hexdigest()[:32]


def _scaled(usd_cents: int, s: SiteInput) -> int:
    return max(1, round(usd_cents * s.usd_cents_to_minor))


def build_world(params: WorldParams, inputs: list[SiteInput]) -> World:
    rng = random.Random(params.seed)
    w = World()
    for s in inputs:
        fees = FeeSchedule(
            s.currency,
            fba_fee_minor={
                tier: _scaled(cents, s) for tier, cents in FeeSchedule("USD").fba_fee_minor.items()
            },
        )
        w.sites.append(
            (
                Site(
                    s.site_id,
                    s.country,
                    s.currency,
                    s.language,
                    "standard",
                    Money(_scaled(499, s), s.currency),
                ),
                fees,
            )
        )
        w.plans.append(
            MembershipPlan(
                f"prime-{s.site_id.lower()}", s.site_id, Money(_scaled(1499, s), s.currency), 30
            )
        )
        for k, city in enumerate(s.cities[: s.fc_count]):
            w.centers.append(
                FulfillmentCenter(
                    f"{s.site_id}-FC-{k + 1:02d}",
                    f"{city.name} FC {k + 1}",
                    city.name,
                    s.site_id,
                    city.lat,
                    city.lon,
                    5_000_000,
                    f"{s.site_id}-R{k % 2 + 1}",
                )
            )
        w.sellers.append(
            Seller(
                f"retail-{s.site_id.lower()}",
                f"Tradewind Retail {s.site_id}",
                SellerKind.RETAIL_1P,
                s.country,
                KycStatus.VERIFIED,
                lat=s.cities[0].lat,
                lon=s.cities[0].lon,
            )
        )
        _customers(w, s, params, rng)
    for i in range(params.third_party_sellers):
        origin = SELLER_ORIGINS[i % len(SELLER_ORIGINS)]
        w.sellers.append(
            Seller(
                f"sel-{i + 1:04d}",
                f"Seller {i + 1} ({origin})",
                SellerKind.THIRD_PARTY,
                origin,
                KycStatus.VERIFIED,
                health_permille=rng.randint(820, 1000),
                lat=rng.uniform(-40, 60),
                lon=rng.uniform(-120, 140),
            )
        )
    _catalog(w, params, inputs, rng)
    return w


def _customers(w: World, s: SiteInput, params: WorldParams, rng: random.Random) -> None:
    weights = [c.population for c in s.cities]
    for j in range(params.customers_per_site):
        city = rng.choices(s.cities, weights=weights)[0]
        # About 45 % of customers hold a membership (paid through MEMBERS_UNTIL).
        until = MEMBERS_UNTIL if rng.random() < 0.45 else None
        w.customers.append(
            Customer(
                f"cus-{s.site_id.lower()}-{j + 1:05d}",
                s.site_id,
                f"Customer {s.site_id}-{j + 1}",
                city.name,
                city.lat + rng.uniform(-0.05, 0.05),
                city.lon + rng.uniform(-0.05, 0.05),
                until,
            )
        )


def _catalog(w: World, params: WorldParams, inputs: list[SiteInput], rng: random.Random) -> None:
    third = [s for s in w.sellers if s.kind == SellerKind.THIRD_PARTY]
    for b in range(max(4, params.products // 10)):
        owner = third[b % len(third)].seller_id if third and b % 3 == 0 else None
        w.brands.append(Brand(f"brd-{b + 1:04d}", f"Brand{b + 1:04d}", owner))
    site_by_id = {s.site_id: s for s in inputs}
    for p in range(params.products):
        cat = CATEGORIES[p % len(CATEGORIES)]
        brand = w.brands[rng.randrange(len(w.brands))]
        title = f"{brand.name} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS[cat])} {p + 1}"
        weight = int(rng.lognormvariate(6.0, 1.0)) + 50
        product = Product(
            f"prd-{p + 1:06d}",
            make_gtin(p + 1, prefix="4"),
            title,
            cat,
            brand.brand_id,
            weight,
            min(1500, 80 + weight // 8),
            created_by=brand.owner_seller_id,
        )
        w.products.append(product)
        base_usd_cents = int(rng.lognormvariate(7.8, 0.8)) + 299
        popular = rng.random() < 0.3
        for s in rng.sample(inputs, k=min(len(inputs), rng.randint(1, len(inputs)))):
            sellers = rng.sample(third, k=min(len(third), 3 if popular else 1))
            if rng.random() < 0.35:
                sellers.append(
                    next(x for x in w.sellers if x.seller_id == f"retail-{s.site_id.lower()}")
                )
            for seller in sellers:
                _offer(w, product, seller, site_by_id[s.site_id], base_usd_cents, rng)


def _offer(
    w: World, product: Product, seller: Seller, s: SiteInput, base: int, rng: random.Random
) -> None:
    fba = seller.kind == SellerKind.RETAIL_1P or rng.random() < 0.8
    price = _scaled(int(base * rng.uniform(0.9, 1.15)), s)
    offer = Offer(
        f"off-{product.product_id[4:]}-{seller.seller_id}-{s.site_id.lower()}",
        seller.seller_id,
        product.product_id,
        s.site_id,
        Money(price, s.currency),
        Money(0 if fba else _scaled(399, s), s.currency),
        Condition.NEW,
        Channel.FBA if fba else Channel.FBM,
        1 if fba else rng.randint(1, 4),
        0 if fba else rng.randint(5, 60),
    )
    w.offers.append(offer)
    if not fba:
        return
    centers = [c for c in w.centers if c.site_id == s.site_id]
    for fc in rng.sample(centers, k=min(len(centers), rng.randint(1, 3))):
        w.inventory.append(
            (
                InventoryPosition(
                    fc.fc_id, sku_for(seller.seller_id, product.product_id), rng.randint(5, 200)
                ),
                seller.seller_id,
                product.product_id,
            )
        )
