"""Ports of the marketplace context."""

from __future__ import annotations

from typing import Protocol, Self

from tradewind.marketplace.model import KycStatus, Offer, Seller, Site
from tradewind.shared.events import Event

# Registration checks tax IDs through the port the governance scan uses too.
from tradewind.shared.taxids import TaxIdValidator

__all__ = [
    "MarketplaceUnitOfWork",
    "OfferRepository",
    "ProductLookup",
    "SellerRepository",
    "SiteLookup",
    "TaxIdValidator",
]


class SellerRepository(Protocol):
    def get(self, seller_id: str) -> Seller | None: ...
    def add(self, seller: Seller, token_hash: str | None = None) -> None: ...
    def set_kyc(self, seller_id: str, status: KycStatus) -> None: ...


class OfferRepository(Protocol):
    def get(self, offer_id: str) -> Offer | None: ...
    def exists(
        self, seller_id: str, product_id: str, site_id: str, condition: str
    ) -> str | None: ...
    def add(self, offer: Offer) -> None: ...
    def save(self, offer: Offer, expected_version: int) -> bool: ...


class ProductLookup(Protocol):
    def get(self, product_id: str) -> object | None: ...


class SiteLookup(Protocol):
    def get(self, site_id: str) -> Site | None: ...


class MarketplaceUnitOfWork(Protocol):
    @property
    def sellers(self) -> SellerRepository: ...
    @property
    def offers(self) -> OfferRepository: ...
    @property
    def products(self) -> ProductLookup: ...
    @property
    def sites(self) -> SiteLookup: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def record(self, event: Event) -> None: ...
