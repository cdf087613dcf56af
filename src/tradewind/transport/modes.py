"""Per-mode assumptions of the line-haul network: one documented table to change them.

Every number here is a planning assumption, not market data; ``docs/transport.md`` gives the
sources and the reasoning. Money is in US cents (the network's currency is USD, like the
simulation's cost model in ``economics.costs``).

* **Distance** is great-circle distance times a circuity factor per mode (sea lanes follow
  coasts and canals, roads and rails bend, flights route around airspace).
* **Transit time** is ``fixed_hours + km / speed_kmh`` on average (fixed hours are dwell and
  handling at both ends), with a standard deviation of ``spread_cv`` times the mean. Plans use
  a planning percentile of that distribution (:data:`PLANNING_PERCENTILE`).
* **Cost** per shipment is ``per_shipment_cents + per_kg_cents(km) * kg``.
* **CO2** is a well-to-wheel intensity in g CO2e per tonne-km, as in the GLEC Framework
  (EN 16258 / ISO 14083 methodology: intensity x tonnes x km).
* **Trucks** reuse the simulation's trailer cost and speed (``economics.costs``): a trailer
  trip's fixed and per-km cost spread over a planning load of :data:`TRUCK_PLANNING_LOAD_KG`.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

from tradewind.economics import costs
from tradewind.transport.errors import InvalidNetwork
from tradewind.transport.linehaul import Mode

PLANNING_PERCENTILE = 0.9
"""Plans use the 90th percentile of a lane's transit time: nine shipments in ten are on time."""

TRUCK_PLANNING_LOAD_KG = 10_000
"""Average payload a line-haul trailer carries (cube, not weight, fills e-commerce trailers)."""


@dataclass(frozen=True, slots=True)
class ModeParams:
    """The assumptions of one mode; see the module docstring for how each is used."""

    circuity: float
    speed_kmh: float
    fixed_hours: float
    spread_cv: float
    per_kg_base_cents: float
    per_kg_per_1000km_cents: float
    per_shipment_cents: int
    co2_g_per_tonne_km: float
    departure_capacity_kg: float
    unit_capacity_kg: float
    unit_name: str

    def per_kg_cents(self, km: float) -> int:
        """Integer cents per kg for a lane of ``km`` (rounded half to even)."""
        return round(self.per_kg_base_cents + self.per_kg_per_1000km_cents * km / 1000.0)

    def mean_hours(self, km: float) -> float:
        return self.fixed_hours + km / self.speed_kmh


MODE_PARAMS: dict[Mode, ModeParams] = {
    # Container ship at ~14 kn slow steaming; ~4 days of port dwell over both ends. FCL rates
    # around USD 2,000-3,000 per 40' on Asia-Europe in calm 2024-25 months, spread per kg at a
    # 10 t cube-limited load. GLEC default for deep-sea containers, rounded.
    Mode.SEA: ModeParams(
        circuity=1.3,
        speed_kmh=26.0,
        fixed_hours=96.0,
        spread_cv=0.15,
        per_kg_base_cents=5.0,
        per_kg_per_1000km_cents=1.8,
        per_shipment_cents=15_000,
        co2_g_per_tonne_km=16.0,
        departure_capacity_kg=400_000.0,
        unit_capacity_kg=20_000.0,
        unit_name="40ft container",
    ),
    # Belly or freighter at ~750 km/h block speed; 36 h of acceptance, screening, build-up and
    # breakdown. Asia-Europe air freight near USD 3.5/kg (2024-25 indices). GLEC long-haul.
    Mode.AIR: ModeParams(
        circuity=1.1,
        speed_kmh=750.0,
        fixed_hours=36.0,
        spread_cv=0.25,
        per_kg_base_cents=60.0,
        per_kg_per_1000km_cents=30.0,
        per_shipment_cents=7_500,
        co2_g_per_tonne_km=600.0,
        departure_capacity_kg=20_000.0,
        unit_capacity_kg=4_500.0,
        unit_name="PMC pallet (ULD)",
    ),
    # China-Europe block train: ~16-20 days terminal to terminal incl. two gauge changes;
    # rates about three times sea and a fifth of air. Mixed electric/diesel traction.
    Mode.RAIL: ModeParams(
        circuity=1.4,
        speed_kmh=30.0,
        fixed_hours=72.0,
        spread_cv=0.15,
        per_kg_base_cents=10.0,
        per_kg_per_1000km_cents=6.0,
        per_shipment_cents=12_000,
        co2_g_per_tonne_km=22.0,
        departure_capacity_kg=150_000.0,
        unit_capacity_kg=20_000.0,
        unit_name="40ft container",
    ),
    # One articulated 40 t trailer per departure; cost and speed from economics.costs.
    Mode.TRUCK: ModeParams(
        circuity=1.25,
        speed_kmh=float(costs.TRAILER_SPEED_KMH),
        fixed_hours=4.0,
        spread_cv=0.2,
        per_kg_base_cents=costs.TRAILER_FIXED / TRUCK_PLANNING_LOAD_KG,
        per_kg_per_1000km_cents=costs.TRAILER_PER_KM * 1000 / TRUCK_PLANNING_LOAD_KG,
        per_shipment_cents=2_500,
        co2_g_per_tonne_km=75.0,
        departure_capacity_kg=24_000.0,
        unit_capacity_kg=24_000.0,
        unit_name="13.6 m trailer",
    ),
}


def z_score(percentile: float) -> float:
    """Standard-normal quantile of ``percentile`` (0.9 -> 1.2816)."""
    if not 0.5 <= percentile < 1.0:
        raise InvalidNetwork(f"planning percentile must be in [0.5, 1), got {percentile}")
    return NormalDist().inv_cdf(percentile)
