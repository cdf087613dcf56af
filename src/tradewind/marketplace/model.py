"""Marketplace: country sites, sellers (1P retail and 3P) and their offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tradewind.marketplace.errors import InvalidOffer, SellerNotActive
from tradewind.marketplace.events import (
    OfferActivationChanged,
    OfferCreated,
    OfferPriceChanged,
    OfferStockChanged,
)
from tradewind.shared.events import Event
from tradewind.shared.money import Money


@dataclass(frozen=True, slots=True)
class Site:
    """A country storefront (``US``, ``DE`` ...) with its currency and language."""

    site_id: str
    country: str  # ISO 3166-1 alpha-2
    currency: str  # ISO 4217
    language: str  # BCP 47, e.g. "en-US"
    tax_regime: str = "standard"  # placeholder until the customs/tax context fills it
    standard_shipping: Money | None = None  # per-unit shipping a non-member pays on FBA offers

    def shipping_fee(self) -> Money:
        return self.standard_shipping or Money.zero(self.currency)


class SellerKind(StrEnum):
    RETAIL_1P = "retail_1p"  # the platform's own retail account on a site
    THIRD_PARTY = "third_party"


class KycStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


@dataclass(frozen=True, slots=True)
class TaxId:
    country: str
    number: str  # normalised ("compact") form


@dataclass(slots=True)
class Seller:
    seller_id: str
    name: str
    kind: SellerKind
    country: str
    kyc_status: KycStatus = KycStatus.PENDING
    tax_ids: tuple[TaxId, ...] = ()
    # 0..1000 per-mille health (order defect, late shipment, cancellation rates rolled up).
    health_permille: int = 1000
    lat: float = 0.0
    lon: float = 0.0
    created_at: datetime | None = None

    @property
    def can_sell(self) -> bool:
        return self.kyc_status == KycStatus.VERIFIED

    def require_active(self) -> None:
        if not self.can_sell:
            raise SellerNotActive(
                f"seller {self.seller_id} cannot sell while KYC status is {self.kyc_status}"
            )


class Channel(StrEnum):
    FBA = "fba"  # stored and shipped by the network: membership-eligible
    FBM = "fbm"  # shipped by the seller from their own location


class Condition(StrEnum):
    NEW = "new"
    USED = "used"
    REFURBISHED = "refurbished"


@dataclass(slots=True)
class Offer:
    """A seller's terms for a product on a site. Stock for FBA lives in the network."""

    offer_id: str
    seller_id: str
    product_id: str
    site_id: str
    price: Money
    shipping_fee: Money  # what a non-member pays per unit; FBA offers use the site's rate
    condition: Condition = Condition.NEW
    channel: Channel = Channel.FBA
    handling_days: int = 1
    fbm_quantity: int = 0  # sellable units for FBM (FBA stock is in InventoryPosition)
    active: bool = True
    version: int = 1
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        validate_offer_terms(self.price, self.shipping_fee, self.handling_days, self.fbm_quantity)

    @classmethod
    def create(cls, **kwargs: object) -> Offer:
        offer = cls(**kwargs)  # type: ignore[arg-type]
        offer.events.append(
            OfferCreated(offer.offer_id, offer.seller_id, offer.product_id, offer.site_id)
        )
        return offer

    @property
    def sku(self) -> str:
        """The seller's fulfillment SKU: one per (seller, product)."""
        return sku_for(self.seller_id, self.product_id)

    @property
    def membership_eligible(self) -> bool:
        return self.channel == Channel.FBA

    def change_price(self, price: Money, shipping_fee: Money | None = None) -> None:
        if price.currency != self.price.currency:
            raise InvalidOffer(f"price must be in the site currency {self.price.currency}")
        new_shipping = shipping_fee if shipping_fee is not None else self.shipping_fee
        validate_offer_terms(price, new_shipping, self.handling_days, self.fbm_quantity)
        old = self.price
        self.price, self.shipping_fee = price, new_shipping
        self.version += 1
        self.events.append(
            OfferPriceChanged(self.offer_id, old.amount, price.amount, price.currency)
        )

    def set_fbm_quantity(self, quantity: int) -> None:
        if self.channel != Channel.FBM:
            raise InvalidOffer("FBA stock is managed by inbound shipments, not on the offer")
        validate_offer_terms(self.price, self.shipping_fee, self.handling_days, quantity)
        self.fbm_quantity = quantity
        self.version += 1
        self.events.append(OfferStockChanged(self.offer_id, quantity))

    def deactivate(self) -> None:
        self.active = False
        self.version += 1
        self.events.append(OfferActivationChanged(self.offer_id, False))

    def activate(self) -> None:
        self.active = True
        self.version += 1
        self.events.append(OfferActivationChanged(self.offer_id, True))


def sku_for(seller_id: str, product_id: str) -> str:
    return f"{product_id}.{seller_id}"


def validate_offer_terms(price: Money, shipping: Money, handling_days: int, qty: int) -> None:
    problems = []
    if price.amount <= 0:
        problems.append({"field": "price", "reason": "must be positive"})
    if shipping.amount < 0:
        problems.append({"field": "shipping_fee", "reason": "must not be negative"})
    if shipping.currency != price.currency:
        problems.append({"field": "shipping_fee", "reason": "must be in the price's currency"})
    if not 0 <= handling_days <= 30:
        problems.append({"field": "handling_days", "reason": "must be between 0 and 30"})
    if qty < 0:
        problems.append({"field": "quantity", "reason": "must not be negative"})
    if problems:
        raise InvalidOffer(
            "invalid offer: " + ", ".join(p["field"] for p in problems), errors=problems
        )
