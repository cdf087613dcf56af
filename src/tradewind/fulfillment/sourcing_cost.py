"""What shipping an order costs: per package, by distance and weight, with penalties.

All figures are US cents (floats: they feed an LP objective). A package is what one FC
sends for one order, so an order served by k FCs pays k package charges plus
``(k - 1) * split_penalty``. The defaults are documented assumptions of the same order
of magnitude as ``tradewind.economics.costs`` (pack + sort ~ 155 cents, a parcel that
crosses the country ~ $10-14); change them here, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CostParams:
    """Unit costs of the sourcing objective (US cents)."""

    package_fixed: float = 450.0  # pack, label, sort and the last-mile stop of one parcel
    per_km: float = 0.15  # zone-based parcel rates grow roughly with distance
    per_kg_km: float = 0.04  # heavier parcels pay more per km (dimensional weight aside)
    split_penalty: float = 250.0  # each extra package: a second box, handling, a worse CX
    out_of_region: float = 120.0  # per package leaving the customer's region (line-haul hop)
    backorder: float = 4_000.0  # per unit not shipped now (expedite later / lost margin)
    default_weight_g: int = 500

    def package(self, km: float, weight_g: float, *, in_region: bool) -> float:
        """One parcel of ``weight_g`` grams carried ``km`` kilometres."""
        return (
            self.package_fixed
            + self.per_km * km
            + self.per_kg_km * (weight_g / 1000.0) * km
            + (0.0 if in_region else self.out_of_region)
        )

    def unit_distance_cost(self, km: float, weight_g: float) -> float:
        """The part of a parcel's cost one more unit adds (the weight-distance term)."""
        return self.per_kg_km * (weight_g / 1000.0) * km


@dataclass(frozen=True, slots=True)
class PackageCharge:
    """One package's cost inputs: FC distance, total weight, whether it stays in region."""

    km: float
    weight_g: float
    in_region: bool


def order_cost(
    packages: Iterable[PackageCharge], backordered_units: int, params: CostParams
) -> float:
    """True cost of one order's sourcing decision (no future-value terms)."""
    charges = list(packages)
    ship = sum(params.package(p.km, p.weight_g, in_region=p.in_region) for p in charges)
    splits = max(0, len(charges) - 1) * params.split_penalty
    return ship + splits + backordered_units * params.backorder
