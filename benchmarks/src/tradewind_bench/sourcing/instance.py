"""An in-memory order-sourcing instance drawn from the world generator and demand model.

No database. The network (FCs at real cities, with regions), the SKUs stocked in each FC and
their weights come from ``build_world``/``catalog_batches``; orders come from the demand
model (hourly/weekday shape, Poisson counts, basket sizes, Zipf popularity) with a fixed seed.

Stock is set scarce on purpose so that where a unit ships from matters: each SKU keeps the
FCs the generator put it in (1-3 FCs), but its total units are ``cover`` times its expected
demand over the horizon (at least 1), split over those FCs in proportion to the generator's
draws. With ``cover`` near 1, shipping a unit far away now costs a near customer later.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.sourcing import LineDemand
from tradewind.fulfillment.sourcing_problem import OrderRequest, StockKey
from tradewind.orders.model import Customer
from tradewind.shared.geo import haversine_km
from tradewind.simulation.adapters.world_inputs import origin_cities, site_inputs
from tradewind.simulation.demand import (
    MEMBER_ORDER_WEIGHT,
    DemandParams,
    basket,
    orders_in_tick,
    popularity_weights,
)
from tradewind.simulation.markets import apportion
from tradewind.simulation.world import World, WorldParams, build_world, catalog_batches

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday with no peak event
LINES_PER_ORDER = 1 * 0.70 + 2 * 0.22 + 3 * 0.08  # from demand.basket
UNITS_PER_LINE = 1 * 0.85 + 2 * 0.12 + 3 * 0.03


@dataclass(frozen=True)
class InstanceParams:
    days: int = 3
    seed: int = 0
    orders_per_day: int = 1_500  # for the chosen sites together
    sites: tuple[str, ...] = ("US",)
    batch_minutes: int = 15
    cover: float = 1.5  # stock = cover x expected horizon demand per SKU
    placement: str = "regional"  # split over regions by demand; "generator": world FCs as drawn
    products: int = 2_000


@dataclass
class Instance:
    params: InstanceParams
    centers: dict[str, FulfillmentCenter]
    stock: dict[StockKey, int]
    weights_g: dict[str, int]
    batches: list[tuple[int, list[OrderRequest]]] = field(default_factory=list)  # (day, orders)
    daily_demand: dict[tuple[str, str], float] = field(default_factory=dict)  # (region, sku)
    region_km: dict[tuple[str, str], float] = field(default_factory=dict)  # (fc, region)

    @property
    def orders(self) -> list[OrderRequest]:
        return [o for _, batch in self.batches for o in batch]


def build_instance(params: InstanceParams) -> Instance:
    """The network, scarce stock and a seeded order stream for ``params.sites``."""
    if params.placement not in ("regional", "generator"):
        raise ValueError(f"unknown placement {params.placement!r}: regional or generator")
    known = {s.site_id for s in site_inputs()}
    if not params.sites or not set(params.sites) <= known:
        raise ValueError(f"unknown site in {params.sites}: choose from {sorted(known)}")
    world = build_world(
        WorldParams(params.seed, products=params.products), site_inputs(), origin_cities()
    )
    centers = {c.fc_id: c for c in world.centers if c.site_id in params.sites}
    raw, weights = _catalog(world, centers)
    customers = [c for c in world.customers if c.site_id in params.sites]
    region_of = {c.customer_id: _nearest(centers, c.lat, c.lon).region for c in customers}
    cust_w = [MEMBER_ORDER_WEIGHT if c.is_member(START) else 1.0 for c in customers]
    skus = sorted({sku for _, sku in raw})
    random.Random(f"{params.seed}:sourcing:popularity").shuffle(skus)
    pop = popularity_weights(len(skus))
    inst = Instance(params, centers, {}, weights)
    share = _region_share(customers, cust_w, region_of)
    units_per_order = LINES_PER_ORDER * UNITS_PER_LINE
    total_pop = sum(pop)
    for sku, p in zip(skus, pop, strict=True):
        for region, s in share.items():
            inst.daily_demand[(region, sku)] = (
                params.orders_per_day * s * units_per_order * (p / total_pop)
            )
    inst.stock = _scarce_stock(raw, inst.daily_demand, params)
    if params.placement == "regional":
        inst.stock = _regional(inst.stock, share, centers, params.seed)
    inst.region_km = _region_km(centers, customers, cust_w, region_of)
    _stream(inst, customers, cust_w, region_of, skus, pop, world)
    return inst


def _catalog(
    world: World, centers: dict[str, FulfillmentCenter]
) -> tuple[dict[StockKey, int], dict[str, int]]:
    raw: dict[StockKey, int] = {}
    weights: dict[str, int] = {}
    for batch in catalog_batches(world):
        grams = {p.product_id: p.weight_g for p in batch.products}
        for pos, _, product_id in batch.inventory:
            if pos.fc_id in centers:
                raw[(pos.fc_id, pos.sku)] = pos.on_hand
                weights[pos.sku] = grams[product_id]
    return raw, weights


def _nearest(centers: dict[str, FulfillmentCenter], lat: float, lon: float) -> FulfillmentCenter:
    return min(centers.values(), key=lambda c: (haversine_km(c.lat, c.lon, lat, lon), c.fc_id))


def _region_share(
    customers: list[Customer], cust_w: list[float], region_of: dict[str, str]
) -> dict[str, float]:
    total: dict[str, float] = {}
    for c, w in zip(customers, cust_w, strict=True):
        total[region_of[c.customer_id]] = total.get(region_of[c.customer_id], 0.0) + w
    norm = sum(total.values())
    return {r: v / norm for r, v in sorted(total.items())}


def _scarce_stock(
    raw: dict[StockKey, int], daily: dict[tuple[str, str], float], params: InstanceParams
) -> dict[StockKey, int]:
    per_sku: dict[str, float] = {}
    for (_, sku), d in daily.items():
        per_sku[sku] = per_sku.get(sku, 0.0) + d
    fcs: dict[str, dict[str, int]] = {}
    for (fc, sku), units in raw.items():
        fcs.setdefault(sku, {})[fc] = units
    stock: dict[StockKey, int] = {}
    for sku, draws in sorted(fcs.items()):
        total = max(1, round(params.cover * params.days * per_sku.get(sku, 0.0)))
        for fc, units in apportion(total, draws, minimum=0).items():
            if units > 0:
                stock[(fc, sku)] = units
    return stock


def _regional(
    stock: dict[StockKey, int],
    share: dict[str, float],
    centers: dict[str, FulfillmentCenter],
    seed: int,
) -> dict[StockKey, int]:
    """Re-place each SKU's units over regions in proportion to their demand (what a
    demand-aware inbound placement would do): one FC per region, the generator's FC there
    if it had one, else a seeded pick among the region's FCs."""
    in_region: dict[str, list[str]] = {}
    for fc in sorted(centers):
        in_region.setdefault(centers[fc].region, []).append(fc)
    totals: dict[str, int] = {}
    old: dict[str, list[str]] = {}
    for (fc, sku), units in sorted(stock.items()):
        totals[sku] = totals.get(sku, 0) + units
        old.setdefault(sku, []).append(fc)
    weights = {r: max(1, round(1000 * v)) for r, v in share.items()}
    out: dict[StockKey, int] = {}
    for sku, total in sorted(totals.items()):
        for region, units in apportion(total, weights, minimum=0).items():
            if units <= 0:
                continue
            mine = [fc for fc in old[sku] if centers[fc].region == region]
            pick = random.Random(f"{seed}:place:{sku}:{region}").choice(in_region[region])
            fc = mine[0] if mine else pick
            out[(fc, sku)] = out.get((fc, sku), 0) + units
    return out


def _region_km(
    centers: dict[str, FulfillmentCenter],
    customers: list[Customer],
    cust_w: list[float],
    region_of: dict[str, str],
) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for fc in centers.values():
        acc: dict[str, tuple[float, float]] = {}
        for c, w in zip(customers, cust_w, strict=True):
            r = region_of[c.customer_id]
            km, tw = acc.get(r, (0.0, 0.0))
            acc[r] = (km + w * haversine_km(fc.lat, fc.lon, c.lat, c.lon), tw + w)
        for r, (km, tw) in acc.items():
            out[(fc.fc_id, r)] = km / tw
    return out


def _stream(
    inst: Instance,
    customers: list[Customer],
    cust_w: list[float],
    region_of: dict[str, str],
    skus: list[str],
    pop: list[float],
    world: World,
) -> None:
    p = inst.params
    rng = random.Random(f"{p.seed}:sourcing:demand")
    lon = {s.site_id: sum(c.lon for c in s.cities[:20]) / 20 for s in world.site_inputs}
    demand = DemandParams(
        p.orders_per_day,
        site_weights={
            s.site_id: s.market_weight for s in world.site_inputs if s.site_id in p.sites
        },
        site_longitudes={s: lon[s] for s in p.sites},
    )
    by_site = {
        s: [(c, w) for c, w in zip(customers, cust_w, strict=True) if c.site_id == s]
        for s in p.sites
    }
    cum_pop = list(accumulate(pop))
    step = timedelta(minutes=p.batch_minutes)
    n = 0
    for tick in range(p.days * 24 * 60 // p.batch_minutes):
        at = START + tick * step
        batch: list[OrderRequest] = []
        for site in p.sites:
            people = by_site[site]
            cum_w = list(accumulate(w for _, w in people))
            for _ in range(orders_in_tick(demand, site, at, p.batch_minutes, rng)):
                cust = rng.choices(people, cum_weights=cum_w)[0][0]
                lines: list[LineDemand] = []
                for qty in basket(rng):
                    sku = rng.choices(skus, cum_weights=cum_pop)[0]
                    while any(ln.sku == sku for ln in lines):
                        sku = rng.choices(skus, cum_weights=cum_pop)[0]
                    lines.append(LineDemand(len(lines) + 1, sku, qty))
                n += 1
                order_id = f"o{n:07d}"
                region = region_of[cust.customer_id]
                batch.append(OrderRequest(order_id, tuple(lines), (cust.lat, cust.lon), region))
        if batch:
            inst.batches.append((tick * p.batch_minutes // (24 * 60), batch))
