"""Catalog use cases: one product page per GTIN; sellers attach offers to it."""

from __future__ import annotations

from tradewind.catalog.commands import CreateBrand, CreateProduct
from tradewind.catalog.errors import BrandNotFound, DuplicateListing, InvalidProduct
from tradewind.catalog.model import Brand, Product
from tradewind.catalog.ports import CatalogUnitOfWork
from tradewind.shared.ids import new_id


def create_brand(cmd: CreateBrand, uow: CatalogUnitOfWork) -> str:
    if not cmd.name.strip():
        raise InvalidProduct("brand name must not be blank", errors=[{"field": "name"}])
    with uow:
        uow.brands.add(Brand(cmd.brand_id, cmd.name.strip(), cmd.owner_seller_id))
        uow.commit()
    return cmd.brand_id


def create_product(cmd: CreateProduct, uow: CatalogUnitOfWork) -> str:
    """Create the canonical page, or refuse with the id of the page that already exists."""
    product = Product(
        new_id("prd"),
        cmd.gtin,
        cmd.title.strip(),
        cmd.category,
        cmd.brand_id,
        cmd.weight_g,
        cmd.longest_side_mm,
        cmd.hs_code,
        (),
        cmd.seller_id,
    )
    with uow:
        existing = uow.products.find_by_gtin(cmd.gtin)
        if existing:
            raise DuplicateListing(cmd.gtin, existing)
        if uow.brands.get(cmd.brand_id) is None:
            raise BrandNotFound(f"no brand {cmd.brand_id}")
        uow.products.add(product)
        uow.commit()
    return product.product_id
