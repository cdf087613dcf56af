"""Ports of the catalog context."""

from __future__ import annotations

from typing import Protocol, Self

from tradewind.catalog.model import Brand, Product


class BrandRepository(Protocol):
    def get(self, brand_id: str) -> Brand | None: ...
    def add(self, brand: Brand) -> None: ...


class ProductRepository(Protocol):
    def get(self, product_id: str) -> Product | None: ...
    def find_by_gtin(self, gtin: str) -> str | None: ...
    def add(self, product: Product) -> None: ...


class CatalogUnitOfWork(Protocol):
    brands: BrandRepository
    products: ProductRepository

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
