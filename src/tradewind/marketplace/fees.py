"""Seller fees: referral fee by category (basis points) and FBA fulfillment fee by size tier."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradewind.shared.money import Money

# Referral fee in basis points of the item price, by category; DEFAULT applies otherwise.
# Shaped after public marketplace fee cards (8-17 % by category); a data change, not code.
DEFAULT_REFERRAL_BPS: dict[str, int] = {
    "electronics": 800,
    "computers": 800,
    "home": 1500,
    "kitchen": 1500,
    "toys": 1500,
    "books": 1500,
    "fashion": 1700,
    "beauty": 1500,
    "sports": 1500,
    "grocery": 800,
    "tools": 1500,
    "automotive": 1200,
    "DEFAULT": 1500,
}

# FBA fulfillment fee per unit in US cents by size tier (converted per site currency).
FBA_FEE_USD_CENTS: dict[str, int] = {
    "small_standard": 322,
    "large_standard": 570,
    "large_bulky": 995,
}


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    currency: str
    referral_bps: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REFERRAL_BPS))
    fba_fee_minor: dict[str, int] = field(default_factory=lambda: dict(FBA_FEE_USD_CENTS))

    def referral_fee(self, category: str, item_total: Money) -> Money:
        bps = self.referral_bps.get(category, self.referral_bps["DEFAULT"])
        return item_total.basis_points(bps)

    def fba_fee(self, size_tier: str, quantity: int) -> Money:
        return Money(self.fba_fee_minor[size_tier] * quantity, self.currency)
