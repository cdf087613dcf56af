"""Draw one product with its offers and FBA stock (used by world.catalog_batches)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tradewind.catalog.model import Product, make_gtin
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.model import Channel, Condition, Offer, Seller, sku_for
from tradewind.shared.money import Money
from tradewind.simulation.world_model import scaled

if TYPE_CHECKING:
    from tradewind.simulation.world_model import SiteInput, World

# category -> ((noun, HS 2022 subheading), ...): what the product is and its tariff line.
CATALOG: dict[str, tuple[tuple[str, str], ...]] = {
    "electronics": (
        ("Headphones", "851830"),
        ("Charger", "850440"),
        ("Speaker", "851822"),
        ("Keyboard", "847160"),
        ("Webcam", "852589"),
    ),
    "home": (
        ("Lamp", "940521"),
        ("Blanket", "630140"),
        ("Pillow", "940490"),
        ("Shelf", "940360"),
        ("Wall Clock", "910521"),
    ),
    "kitchen": (
        ("Kettle", "851671"),
        ("Frying Pan", "732393"),
        ("Knife Set", "821191"),
        ("Blender", "850940"),
        ("Mug", "691200"),
    ),
    "toys": (
        ("Puzzle", "950590"),
        ("Building Set", "950300"),
        ("Plush Bear", "950300"),
        ("Drone", "880621"),
        ("Board Game", "950490"),
    ),
    "books": (
        ("Novel", "490199"),
        ("Cookbook", "490199"),
        ("Atlas", "490590"),
        ("Travel Guide", "490199"),
        ("Anthology", "490199"),
    ),
    "fashion": (
        ("Jacket", "620140"),
        ("Sneakers", "640411"),
        ("Scarf", "621420"),
        ("Backpack", "420292"),
        ("Watch", "910211"),
    ),
    "beauty": (
        ("Serum", "330499"),
        ("Shampoo", "330510"),
        ("Brush Set", "960329"),
        ("Perfume", "330300"),
        ("Lotion", "330499"),
    ),
    "sports": (
        ("Yoga Mat", "950691"),
        ("Dumbbell", "950691"),
        ("Water Bottle", "392330"),
        ("Tent", "630622"),
        ("Helmet", "650610"),
    ),
    "tools": (
        ("Drill", "846721"),
        ("Wrench Set", "820411"),
        ("Tape Measure", "901780"),
        ("Hand Saw", "820210"),
        ("Ladder", "761610"),
    ),
    "grocery": (
        ("Coffee", "090121"),
        ("Green Tea", "090210"),
        ("Olive Oil", "150920"),
        ("Chocolate", "180632"),
        ("Honey", "040900"),
    ),
}
CATEGORIES = tuple(CATALOG)
ADJECTIVES = (
    "Classic",
    "Pro",
    "Compact",
    "Deluxe",
    "Eco",
    "Smart",
    "Ultra",
    "Mini",
    "Max",
    "Travel",
    "Premium",
    "Essential",
)


@dataclass
class CatalogBatch:
    products: list[Product]
    offers: list[Offer]
    inventory: list[tuple[InventoryPosition, str, str]]  # position, seller_id, product_id


def draw_product(
    batch: CatalogBatch,
    p: int,
    w: World,
    third: list[Seller],
    centers_by_site: dict[str, list[FulfillmentCenter]],
    rng: random.Random,
) -> None:
    cat = CATEGORIES[p % len(CATEGORIES)]
    noun, hs = rng.choice(CATALOG[cat])
    brand = w.brands[rng.randrange(len(w.brands))]
    weight = min(30_000, int(rng.lognormvariate(6.0, 1.0)) + 50)
    product = Product(
        f"prd-{p + 1:07d}",
        make_gtin(p + 1, prefix="4"),
        f"{brand.name} {rng.choice(ADJECTIVES)} {noun} {p + 1}",
        cat,
        brand.brand_id,
        weight,
        min(1500, 80 + weight // 8),
        hs,
        created_by=brand.owner_seller_id,
    )
    batch.products.append(product)
    base_usd_cents = int(rng.lognormvariate(7.8, 0.8)) + 299
    popular = rng.random() < 0.3
    sites = w.site_inputs
    max_sites = 2 if w.params.scale == "large" else 4
    weights = [s.market_weight for s in sites]
    chosen: dict[str, SiteInput] = {}
    for s in rng.choices(sites, weights=weights, k=rng.randint(1, max_sites)):
        chosen[s.site_id] = s
    by_id = w.sellers_by_id
    for s in chosen.values():
        owner = by_id.get(brand.owner_seller_id or "")
        sellers = [owner] if owner else []
        sellers += rng.sample(third, k=(rng.randint(2, 4) if popular else 1))
        if rng.random() < 0.3:
            sellers.append(by_id[f"retail-{s.site_id.lower()}"])
        seen: set[str] = set()
        for seller in sellers:
            if seller.seller_id not in seen:
                seen.add(seller.seller_id)
                _offer(batch, product, seller, s, base_usd_cents, centers_by_site, rng)
    # Drawn last, so the product's other draws stay as they were before ratings existed.
    product.review_count, product.rating_x10 = draw_reviews(popular, rng)


def draw_reviews(popular: bool, rng: random.Random) -> tuple[int, int | None]:
    """Simulated reviews until real ones exist: (review count, average stars x 10 or None).

    Popular products collect more reviews (log-normal counts; a quarter of the others have
    none). Averages are skewed high, as on real marketplaces (most land between 3.8 and 4.8
    stars), and spread wider the fewer reviews there are; one review is a whole star.
    """
    if not popular and rng.random() < 0.25:
        return 0, None
    mu, sigma = (5.0, 1.0) if popular else (2.0, 1.3)
    reviews = 1 + int(rng.lognormvariate(mu, sigma))
    drop = rng.gammavariate(2.0, 2.0 + 7.0 / reviews**0.5)
    rating = max(10, 50 - round(drop))
    if reviews == 1:
        rating = max(10, round(rating / 10) * 10)
    return reviews, rating


def _offer(
    batch: CatalogBatch,
    product: Product,
    seller: Seller,
    s: SiteInput,
    base: int,
    centers_by_site: dict[str, list[FulfillmentCenter]],
    rng: random.Random,
) -> None:

    fba = seller.kind.value == "retail_1p" or rng.random() < 0.8
    price = scaled(int(base * rng.uniform(0.9, 1.15)), s)
    batch.offers.append(
        Offer(
            f"off-{product.product_id[4:]}-{seller.seller_id}-{s.site_id.lower()}",
            seller.seller_id,
            product.product_id,
            s.site_id,
            Money(price, s.currency),
            Money(0 if fba else scaled(399, s), s.currency),
            Condition.NEW,
            Channel.FBA if fba else Channel.FBM,
            1 if fba else rng.randint(1, 4),
            0 if fba else rng.randint(5, 60),
        )
    )
    if not fba:
        return
    centers = centers_by_site[s.site_id]
    sku = sku_for(seller.seller_id, product.product_id)
    for fc in rng.sample(centers, k=min(len(centers), rng.randint(1, 3))):
        batch.inventory.append(
            (
                InventoryPosition(fc.fc_id, sku, rng.randint(5, 200)),
                seller.seller_id,
                product.product_id,
            )
        )
