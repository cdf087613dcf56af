"""A seeded, deterministic world: 14 sites, FCs at real cities, sellers, catalog, customers.

Pure: the facts data libraries know (currencies, cities) come in as ``SiteInput``s built by
the adapter (``simulation.adapters.world_inputs``); this module only decides and draws. The
static network is built at once; the catalog streams in fixed-size batches whose random
draws depend only on (seed, batch number), so a 1M-product world never sits in memory.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime

from tradewind.catalog.model import Brand, Product, make_gtin
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.marketplace.fees import FeeSchedule
from tradewind.marketplace.model import KycStatus, Seller, SellerKind, Site
from tradewind.orders.model import Customer, MembershipPlan
from tradewind.shared.money import Money
from tradewind.simulation.catalog_draw import CatalogBatch, draw_product
from tradewind.simulation.markets import SELLER_ORIGIN_SHARES, apportion
from tradewind.simulation.network import NetworkNode, Place, regions, spread_out
from tradewind.simulation.world_bad_actors import (
    add_bad_actors,
    hijack_offers,
    hijacker_ids,
)
from tradewind.simulation.world_model import (  # re-exported: the world's public types
    CityInput,
    SiteInput,
    World,
    WorldParams,
    scaled,
)

MEMBERS_UNTIL = datetime(2031, 1, 1, tzinfo=UTC)
CATALOG_BATCH = 5_000
FCS_PER_REGION = 8


def demo_token(seed: int, subject_id: str) -> str:
    """Deterministic demo credential (for a local demo world only, never production)."""
    return "tw_" + hashlib.sha256(f"demo:{seed}:{subject_id}".encode()).hexdigest()[:32]


def build_world(
    params: WorldParams, inputs: list[SiteInput], origin_cities: dict[str, CityInput] | None = None
) -> World:
    rng = random.Random(f"{params.seed}:world")
    w = World(params, site_inputs=inputs)
    customers = apportion(
        params.customers,
        {s.site_id: s.market_weight for s in inputs},
        minimum=min(20, params.customers // max(1, len(inputs))),
    )
    for s in inputs:
        _site(w, s)
        _network(w, s)
        _customers(w, s, customers[s.site_id], rng)
    _sellers(w, params, inputs, origin_cities or {}, rng)
    for b in range(max(4, params.products // 10)):
        third = [x for x in w.sellers if x.kind == SellerKind.THIRD_PARTY]
        owner = third[b % len(third)].seller_id if third and b % 3 == 0 else None
        w.brands.append(Brand(f"brd-{b + 1:06d}", f"Brand{b + 1:06d}", owner))
    add_bad_actors(w)  # last, from its own stream: the honest world does not change
    return w


def _site(w: World, s: SiteInput) -> None:
    fees = FeeSchedule(
        s.currency,
        fba_fee_minor={
            tier: scaled(cents, s) for tier, cents in FeeSchedule("USD").fba_fee_minor.items()
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
                Money(scaled(499, s), s.currency),
            ),
            fees,
        )
    )
    w.plans.append(
        MembershipPlan(
            f"prime-{s.site_id.lower()}", s.site_id, Money(scaled(1499, s), s.currency), 30
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


def _network(w: World, s: SiteInput) -> None:
    places = [Place(c.name, c.lat, c.lon, c.population) for c in s.cities]
    fc_places = spread_out(places, s.fc_count, min_km=150.0)
    k = max(1, math.ceil(s.fc_count / FCS_PER_REGION))
    labels = regions(fc_places, k)
    region_of = {}
    for i, (p, lab) in enumerate(zip(fc_places, labels, strict=True)):
        region = f"{s.site_id}-R{lab + 1}"
        fc_id = f"{s.site_id}-FC-{i + 1:03d}"
        region_of[fc_id] = region
        w.centers.append(
            FulfillmentCenter(
                fc_id, f"{p.name} FC", p.name, s.site_id, p.lat, p.lon, 5_000_000, region
            )
        )
        w.nodes.append(
            NetworkNode(fc_id, "fc", s.site_id, region, f"{p.name} FC", p.name, p.lat, p.lon)
        )
    fcs = [n for n in w.nodes if n.site_id == s.site_id and n.kind == "fc"]
    for r in sorted({n.region for n in fcs}):
        hub = next(n for n in fcs if n.region == r)  # most populous FC city of the region
        w.nodes.append(
            NetworkNode(
                f"{r}-SC",
                "sort_center",
                s.site_id,
                r,
                f"{hub.city} Sort",
                hub.city,
                hub.lat + 0.02,
                hub.lon + 0.02,
            )
        )
    for i, p in enumerate(spread_out(places, max(2, s.fc_count * 2), min_km=40.0)):
        near = min(fcs, key=lambda n: (n.lat - p.lat) ** 2 + (n.lon - p.lon) ** 2)
        w.nodes.append(
            NetworkNode(
                f"{s.site_id}-DS-{i + 1:03d}",
                "delivery_station",
                s.site_id,
                near.region,
                f"{p.name} Station",
                p.name,
                p.lat,
                p.lon,
            )
        )
    for code, kind, city in s.gateways:
        near = min(fcs, key=lambda n: (n.lat - city.lat) ** 2 + (n.lon - city.lon) ** 2)
        w.nodes.append(
            NetworkNode(
                code,
                kind,
                s.site_id,
                near.region,
                f"{city.name} {kind}",
                city.name,
                city.lat,
                city.lon,
            )
        )


def _customers(w: World, s: SiteInput, n: int, rng: random.Random) -> None:
    weights = [c.population for c in s.cities]
    for j in range(n):
        city = rng.choices(s.cities, weights=weights)[0]
        # About 45 % of customers hold a membership (paid through MEMBERS_UNTIL).
        until = MEMBERS_UNTIL if rng.random() < 0.45 else None
        w.customers.append(
            Customer(
                f"cus-{s.site_id.lower()}-{j + 1:05d}",
                s.site_id,
                f"Customer {s.site_id}-{j + 1}",
                city.name,
                city.lat + rng.uniform(-0.03, 0.03),
                city.lon + rng.uniform(-0.03, 0.03),
                until,
            )
        )


def _sellers(
    w: World,
    params: WorldParams,
    inputs: list[SiteInput],
    origin_cities: dict[str, CityInput],
    rng: random.Random,
) -> None:
    counts = apportion(params.third_party_sellers, SELLER_ORIGIN_SHARES, minimum=0)
    by_country = {s.country: s.cities[0] for s in inputs}
    n = 0
    for origin in sorted(counts):
        home = origin_cities.get(origin) or by_country.get(origin)
        for _ in range(counts[origin]):
            n += 1
            w.sellers.append(
                Seller(
                    f"sel-{n:05d}",
                    f"Seller {n} ({origin})",
                    SellerKind.THIRD_PARTY,
                    origin,
                    KycStatus.VERIFIED,
                    health_permille=rng.randint(820, 1000),
                    lat=home.lat if home else 0.0,
                    lon=home.lon if home else 0.0,
                )
            )


def catalog_batches(w: World) -> Iterator[CatalogBatch]:
    """The catalog in batches of CATALOG_BATCH products, deterministic per (seed, batch)."""
    hijackers = hijacker_ids(w)
    third = [
        s for s in w.sellers if s.kind == SellerKind.THIRD_PARTY and s.seller_id not in hijackers
    ]
    centers_by_site: dict[str, list[FulfillmentCenter]] = {}
    for c in w.centers:
        centers_by_site.setdefault(c.site_id, []).append(c)
    total = w.params.products
    for b, start in enumerate(range(0, total, CATALOG_BATCH)):
        rng = random.Random(f"{w.params.seed}:catalog:{b}")
        batch = CatalogBatch([], [], [])
        for p in range(start, min(total, start + CATALOG_BATCH)):
            draw_product(batch, p, w, third, centers_by_site, rng)
        if b == 0 and hijackers:
            batch.offers.extend(hijack_offers(w, batch))
        yield batch


def products_of(w: World) -> Iterator[Product]:
    for batch in catalog_batches(w):
        yield from batch.products


def inventory_of(w: World) -> Iterator[InventoryPosition]:
    for batch in catalog_batches(w):
        yield from (pos for pos, _, _ in batch.inventory)


__all__ = [
    "CityInput",
    "SiteInput",
    "World",
    "WorldParams",
    "build_world",
    "catalog_batches",
    "demo_token",
    "make_gtin",
]
