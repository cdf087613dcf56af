"""Commands of the marketplace context."""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.marketplace.model import Channel, Condition, SellerKind, TaxId
from tradewind.shared.events import Command


@dataclass(frozen=True)
class RegisterSeller(Command):
    seller_id: str
    name: str
    kind: SellerKind
    country: str
    tax_ids: tuple[TaxId, ...] = ()
    lat: float = 0.0
    lon: float = 0.0


@dataclass(frozen=True)
class CreateOffer(Command):
    seller_id: str
    product_id: str
    site_id: str
    price_minor: int
    shipping_minor: int = 0
    condition: Condition = Condition.NEW
    channel: Channel = Channel.FBA
    handling_days: int = 1
    quantity: int = 0  # FBM only


@dataclass(frozen=True)
class UpdateOffer(Command):
    """Change price and/or FBM stock; ``expected_version`` guards against lost updates."""

    seller_id: str
    offer_id: str
    price_minor: int | None = None
    shipping_minor: int | None = None
    quantity: int | None = None
    active: bool | None = None
    expected_version: int | None = None
