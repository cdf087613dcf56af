"""Pure rules around inbound: regional demand shares, the placement fee choice, and 1P
replenishment / transfers between FCs when a region runs short.

Demand comes in as units per (region, sku) over some history window (the adapter reads it
from the simulation's orders). Where a SKU has no history, the site's mix over regions is used;
where the site has none either, every region with an FC weighs the same (uniform default).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tradewind.fulfillment.inbound import FeeOption
from tradewind.fulfillment.model import FulfillmentCenter
from tradewind.fulfillment.placement import PlacementOption
from tradewind.shared.geo import haversine_km

LOCAL_KM = 50.0  # an FC's distance to customers of its own region when it is the centroid


def regions_of(centers: Mapping[str, FulfillmentCenter]) -> list[str]:
    return sorted({c.region for c in centers.values()})


def demand_shares(
    skus: list[str],
    regions: list[str],
    history: Mapping[tuple[str, str], float],
) -> dict[tuple[str, str], float]:
    """``share[(region, sku)]`` summing to 1 per SKU: its own history, else the site's, else
    uniform over ``regions``. Regions without an FC in ``regions`` are ignored."""
    known = set(regions)
    site: dict[str, float] = {}
    for (r, _), q in history.items():
        if r in known and q > 0:
            site[r] = site.get(r, 0.0) + q
    out: dict[tuple[str, str], float] = {}
    for sku in skus:
        own = {r: q for (r, k), q in history.items() if k == sku and r in known and q > 0}
        basis = own or site or dict.fromkeys(regions, 1.0)
        total = sum(basis.values())
        out.update({(r, sku): q / total for r, q in basis.items()})
    return out


def region_km(centers: Mapping[str, FulfillmentCenter]) -> dict[tuple[str, str], float]:
    """Km from each FC to each region's centroid (mean of its FCs), at least ``LOCAL_KM``."""
    cent: dict[str, tuple[float, float]] = {}
    for r in regions_of(centers):
        pts = [(c.lat, c.lon) for c in centers.values() if c.region == r]
        cent[r] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    return {
        (f, r): max(LOCAL_KM, haversine_km(c.lat, c.lon, *cent[r]))
        for f, c in centers.items()
        for r in cent
    }


def fee_options(options: list[PlacementOption]) -> tuple[FeeOption, ...]:
    return tuple(
        FeeOption(
            o.max_fcs,
            round(o.network_cost, 2),
            round(o.seller_fee, 2),
            tuple(o.plan.destinations),
            o.plan.fallback_reason,
        )
        for o in options
    )


def choose(options: list[PlacementOption], destinations: int | None) -> PlacementOption:
    """The seller's choice: at most ``destinations`` FCs (the fee applies), or by default the
    option with no placement fee (the network-optimised split)."""
    if not options:
        raise ValueError("no placement options")
    by_k = sorted(options, key=lambda o: o.max_fcs)
    if destinations is None:
        return min(by_k, key=lambda o: (o.seller_fee, o.max_fcs))
    fitting = [o for o in by_k if o.max_fcs <= max(1, destinations)]
    return fitting[-1] if fitting else by_k[0]


@dataclass(frozen=True, slots=True)
class TransferProposal:
    """Move ``units`` of ``sku`` into ``to_fc`` (region ``region``): from ``from_fc`` (a
    transfer) or, when no other region has surplus, from a vendor (``kind="replenish"``)."""

    kind: str
    sku: str
    region: str
    to_fc: str
    units: int
    from_fc: str | None = None
    km: float = 0.0


def targets(
    demand_per_day: Mapping[tuple[str, str], float],
    stock: Mapping[tuple[str, str], int],
    centers: Mapping[str, FulfillmentCenter],
    cover_days: float,
) -> dict[tuple[str, str], int]:
    """Units each (region, sku) should hold: ``cover_days`` of forecast demand; with no
    forecast for a SKU, its current total spread evenly over the regions (uniform default)."""
    regions = regions_of(centers)
    skus = sorted({k for _, k in stock} | {k for _, k in demand_per_day})
    by_sku = _by_sku(stock, centers)
    out: dict[tuple[str, str], int] = {}
    for sku in skus:
        rates = {r: demand_per_day.get((r, sku), 0.0) for r in regions}
        if sum(rates.values()) > 0:
            out.update({(r, sku): math.ceil(q * cover_days) for r, q in rates.items()})
            continue
        total = sum(by_sku.get(sku, {}).values())
        out.update({(r, sku): total // len(regions) for r in regions})
    return out


def _by_sku(
    stock: Mapping[tuple[str, str], int], centers: Mapping[str, FulfillmentCenter]
) -> dict[str, dict[str, int]]:
    """``stock`` of the site's FCs as sku -> fc -> units (one pass, not one per SKU)."""
    out: dict[str, dict[str, int]] = {}
    for (f, k), q in stock.items():
        if f in centers:
            out.setdefault(k, {})[f] = q
    return out


def transfer_proposals(
    target: Mapping[tuple[str, str], int],
    stock: Mapping[tuple[str, str], int],
    centers: Mapping[str, FulfillmentCenter],
) -> list[TransferProposal]:
    """Short regions pull surplus from the nearest FC of a region above target; what no
    surplus covers becomes a replenishment order into the short region's biggest FC."""
    out: list[TransferProposal] = []
    by_sku = _by_sku(stock, centers)
    regions: dict[str, list[str]] = {}
    for r, k in target:
        regions.setdefault(k, []).append(r)
    for sku in sorted(regions):
        held = dict.fromkeys(regions[sku], 0)
        here = by_sku.get(sku, {})
        for f, q in here.items():
            if centers[f].region in held:
                held[centers[f].region] += q
        spare = {r: q - target[(r, sku)] for r, q in held.items()}
        left = {f: q for f, q in here.items() if q > 0 and spare.get(centers[f].region, 0) > 0}
        for region in sorted(held):
            need = target[(region, sku)] - held[region]
            if need <= 0:
                continue
            into = _anchor(centers, region, sku, stock)
            c = centers[into]
            for f in sorted(left, key=lambda f: (_km(c, centers[f]), f)):
                take = min(need, left[f], spare[centers[f].region])
                if take <= 0:
                    continue
                left[f] -= take
                spare[centers[f].region] -= take
                need -= take
                out.append(
                    TransferProposal("transfer", sku, region, into, take, f, _km(c, centers[f]))
                )
                if need == 0:
                    break
            if need > 0:
                out.append(TransferProposal("replenish", sku, region, into, need))
    return out


def _anchor(
    centers: Mapping[str, FulfillmentCenter],
    region: str,
    sku: str,
    stock: Mapping[tuple[str, str], int],
) -> str:
    """The region's FC that already holds most of ``sku`` (ties: lowest id)."""
    fcs = sorted(f for f, c in centers.items() if c.region == region)
    return max(fcs, key=lambda f: (stock.get((f, sku), 0), -fcs.index(f)))


def _km(a: FulfillmentCenter, b: FulfillmentCenter) -> float:
    return round(haversine_km(a.lat, a.lon, b.lat, b.lon), 1)
