"""Events of the marketplace context."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.shared.events import Event


@dataclass(frozen=True)
class OfferCreated(Event):
    offer_id: str
    seller_id: str
    product_id: str
    site_id: str


@dataclass(frozen=True)
class OfferPriceChanged(Event):
    offer_id: str
    old_amount: int
    new_amount: int
    currency: str


@dataclass(frozen=True)
class OfferStockChanged(Event):
    offer_id: str
    quantity: int


@dataclass(frozen=True)
class OfferActivationChanged(Event):
    offer_id: str
    active: bool
