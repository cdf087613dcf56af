"""Commands of the catalog context."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.shared.events import Command


@dataclass(frozen=True)
class CreateBrand(Command):
    brand_id: str
    name: str
    owner_seller_id: str | None = None


@dataclass(frozen=True)
class CreateProduct(Command):
    seller_id: str | None
    gtin: str
    title: str
    category: str
    brand_id: str
    weight_g: int
    longest_side_mm: int
    hs_code: str = ""
