"""Ports of the marketplace context."""

from __future__ import annotations

from typing import Protocol, Self

from tradewind.marketplace.model import KycStatus, Offer, Seller, Site, TaxId
from tradewind.shared.events import Event


class TaxIdValidator(Protocol):
    def normalise(self, tax_id: TaxId) -> TaxId:
        """Return the compact form, or raise InvalidTaxId with the reason."""
        ...


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
    sellers: SellerRepository
    offers: OfferRepository
    products: ProductLookup
    sites: SiteLookup

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def record(self, event: Event) -> None: ...
