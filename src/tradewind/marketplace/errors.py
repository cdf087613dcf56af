"""Stable error codes of the marketplace context."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class MarketplaceError(StrEnum):
    SITE_NOT_FOUND = "site_not_found"
    SELLER_NOT_FOUND = "seller_not_found"
    OFFER_NOT_FOUND = "offer_not_found"
    OFFER_EXISTS = "offer_exists"
    INVALID_OFFER = "invalid_offer"
    INVALID_TAX_ID = "invalid_tax_id"
    SELLER_NOT_ACTIVE = "seller_not_active"
    STALE_OFFER = "stale_offer"
    LEDGER_UNBALANCED = "ledger_unbalanced"


class SiteNotFound(TradewindError):
    code = MarketplaceError.SITE_NOT_FOUND
    status = 404


class SellerNotFound(TradewindError):
    code = MarketplaceError.SELLER_NOT_FOUND
    status = 404


class OfferNotFound(TradewindError):
    code = MarketplaceError.OFFER_NOT_FOUND
    status = 404


class OfferExists(TradewindError):
    code = MarketplaceError.OFFER_EXISTS
    status = 409


class InvalidOffer(TradewindError):
    code = MarketplaceError.INVALID_OFFER
    status = 422


class InvalidTaxId(TradewindError):
    code = MarketplaceError.INVALID_TAX_ID
    status = 422


class SellerNotActive(TradewindError):
    code = MarketplaceError.SELLER_NOT_ACTIVE
    status = 403


class StaleOffer(TradewindError):
    """The offer changed since it was read (optimistic concurrency on ``version``)."""

    code = MarketplaceError.STALE_OFFER
    status = 409


class LedgerUnbalanced(TradewindError):
    code = MarketplaceError.LEDGER_UNBALANCED
    status = 500
