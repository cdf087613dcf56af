"""Place the physical network on real cities: FCs spread over a country, regions that group
them, a sort center per region, delivery stations near customers, import gateways."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.shared.geo import haversine_km


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class NetworkNode:
    node_id: str
    kind: str  # fc | sort_center | delivery_station | sea_port | airport
    site_id: str
    region: str
    name: str
    city: str
    lat: float
    lon: float


def spread_out(places: list[Place], n: int, min_km: float) -> list[Place]:
    """The n most populous places at least ``min_km`` apart; the spacing halves until n fit
    (so a small country still gets its n FCs)."""
    ranked = sorted(places, key=lambda p: (-p.population, p.name))
    spacing = min_km
    while True:
        chosen: list[Place] = []
        for p in ranked:
            if all(haversine_km(p.lat, p.lon, c.lat, c.lon) >= spacing for c in chosen):
                chosen.append(p)
                if len(chosen) == n:
                    return chosen
        if spacing < 1:
            return (chosen + [p for p in ranked if p not in chosen])[:n]
        spacing /= 2


def regions(points: list[Place], k: int, iterations: int = 12) -> list[int]:
    """Deterministic k-means on lat/lon: farthest-point seeding from the largest place."""
    if not points:
        return []
    k = max(1, min(k, len(points)))
    centers = [(points[0].lat, points[0].lon)]
    while len(centers) < k:
        far = max(
            points, key=lambda p: min(haversine_km(p.lat, p.lon, c[0], c[1]) for c in centers)
        )
        centers.append((far.lat, far.lon))
    labels = [0] * len(points)
    for _ in range(iterations):
        labels = [
            min(range(k), key=lambda j: haversine_km(p.lat, p.lon, *centers[j])) for p in points
        ]
        for j in range(k):
            members = [p for p, lab in zip(points, labels, strict=True) if lab == j]
            if members:
                centers[j] = (
                    sum(m.lat for m in members) / len(members),
                    sum(m.lon for m in members) / len(members),
                )
    # Relabel so region 1 is the one holding the most populous place (stable names).
    order: list[int] = []
    for lab in labels:
        if lab not in order:
            order.append(lab)
    remap = {old: new for new, old in enumerate(order)}
    return [remap[lab] for lab in labels]


def nearest(nodes: list[NetworkNode], lat: float, lon: float) -> NetworkNode:
    return min(nodes, key=lambda n: (haversine_km(n.lat, n.lon, lat, lon), n.node_id))
