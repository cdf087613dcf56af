"""Catalog: one canonical product page per real product; brands with a registered owner."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tradewind.catalog.errors import InvalidProduct


class SizeTier(StrEnum):
    """FBA size tiers; they select the fulfillment fee (see marketplace.fees)."""

    SMALL_STANDARD = "small_standard"
    LARGE_STANDARD = "large_standard"
    LARGE_BULKY = "large_bulky"


def size_tier_for(weight_g: int, longest_side_mm: int) -> SizeTier:
    """Classify a unit by shipping weight and longest side (thresholds documented in docs)."""
    if weight_g <= 450 and longest_side_mm <= 380:
        return SizeTier.SMALL_STANDARD
    if weight_g <= 9_000 and longest_side_mm <= 450:
        return SizeTier.LARGE_STANDARD
    return SizeTier.LARGE_BULKY


@dataclass(frozen=True, slots=True)
class Brand:
    brand_id: str
    name: str
    owner_seller_id: str | None = None  # set once the brand is registered to its owner


@dataclass(frozen=True, slots=True)
class Variant:
    """A purchasable variation of a product (size, colour ...); the GTIN identifies it."""

    variant_id: str
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Product:
    """The canonical product page. Sellers attach offers; they never duplicate it."""

    product_id: str
    gtin: str
    title: str
    category: str
    brand_id: str
    weight_g: int
    longest_side_mm: int
    hs_code: str = ""
    variants: tuple[Variant, ...] = ()
    created_by: str | None = None
    version: int = 1
    rating_x10: int | None = None
    """Average stars x 10 (10..50); None while the product has no reviews."""
    review_count: int = 0
    events: list[object] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = []
        if not self.title.strip():
            problems.append({"field": "title", "reason": "must not be blank"})
        if not is_valid_gtin(self.gtin):
            problems.append({"field": "gtin", "reason": "not a valid GTIN-8/12/13/14 check digit"})
        if self.weight_g <= 0:
            problems.append({"field": "weight_g", "reason": "must be positive"})
        if self.longest_side_mm <= 0:
            problems.append({"field": "longest_side_mm", "reason": "must be positive"})
        if self.review_count < 0:
            problems.append({"field": "review_count", "reason": "must be >= 0"})
        if self.rating_x10 is not None and not 10 <= self.rating_x10 <= 50:
            problems.append({"field": "rating_x10", "reason": "must be within 10..50"})
        if (self.rating_x10 is None) != (self.review_count == 0):
            problems.append({"field": "rating_x10", "reason": "set exactly when there are reviews"})
        if problems:
            raise InvalidProduct(
                "invalid product: " + ", ".join(p["field"] for p in problems), errors=problems
            )

    @property
    def size_tier(self) -> SizeTier:
        return size_tier_for(self.weight_g, self.longest_side_mm)


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of the digits before it."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_gtin(gtin: str) -> bool:
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    return gtin_check_digit(gtin[:-1]) == int(gtin[-1])


def make_gtin(number: int, prefix: str = "0") -> str:
    """A valid GTIN-13 built from a number (for generated worlds and tests)."""
    body = f"{prefix}{number:011d}"[-12:]
    return body + str(gtin_check_digit(body))
