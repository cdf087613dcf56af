"""Stable error codes of the catalog context."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class CatalogError(StrEnum):
    PRODUCT_NOT_FOUND = "product_not_found"
    DUPLICATE_LISTING = "duplicate_listing"
    INVALID_PRODUCT = "invalid_product"
    BRAND_NOT_FOUND = "brand_not_found"


class ProductNotFound(TradewindError):
    code = CatalogError.PRODUCT_NOT_FOUND
    status = 404


class DuplicateListing(TradewindError):
    """A product page for this GTIN already exists: attach an offer to it instead."""

    code = CatalogError.DUPLICATE_LISTING
    status = 409

    def __init__(self, gtin: str, existing_product_id: str) -> None:
        super().__init__(
            f"a product with GTIN {gtin} already exists ({existing_product_id}); "
            "attach an offer to the canonical product instead of creating a second listing",
            errors=[{"field": "gtin", "existing_product_id": existing_product_id}],
        )
        self.existing_product_id = existing_product_id


class InvalidProduct(TradewindError):
    code = CatalogError.INVALID_PRODUCT
    status = 422


class BrandNotFound(TradewindError):
    code = CatalogError.BRAND_NOT_FOUND
    status = 404
