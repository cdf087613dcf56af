"""Seller API: a seller sees and changes only their own offers, stock and ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from tradewind.catalog.commands import CreateProduct
from tradewind.marketplace.adapters import seller_views
from tradewind.marketplace.commands import CreateOffer, UpdateOffer
from tradewind.marketplace.errors import OfferNotFound
from tradewind.platform.web import policies
from tradewind.platform.web.deps import ContainerDep, CurrentSeller
from tradewind.platform.web.schemas import OfferCreate, OfferUpdate, ProductCreate

router = APIRouter(prefix="/seller", tags=["seller"])


def _own_offer(c: ContainerDep, seller_id: str, offer_id: str) -> dict[str, Any]:
    with c.read_uow() as uow:
        offer = uow.offers.get(offer_id)
    # Another seller's offer is indistinguishable from a missing one.
    if offer is None or offer.seller_id != seller_id:
        raise OfferNotFound(f"no offer {offer_id} for this seller")
    return seller_views.offer_public(offer)


@router.get("/offers", openapi_extra=policies.SELLER)
def list_offers(c: ContainerDep, seller_id: CurrentSeller) -> dict[str, Any]:
    data = seller_views.seller_offers(c.engine, seller_id)
    return {"data": data, "count": len(data)}


@router.post("/offers", status_code=201, openapi_extra=policies.SELLER)
def create_offer(
    c: ContainerDep, seller_id: CurrentSeller, body: OfferCreate, response: Response
) -> dict[str, Any]:
    offer_id = c.bus.handle(CreateOffer(seller_id=seller_id, **body.model_dump()))
    response.headers["Location"] = f"/api/v1/seller/offers/{offer_id}"
    return _own_offer(c, seller_id, offer_id)


@router.get("/offers/{offer_id}", openapi_extra=policies.seller_owns("offer_id"))
def get_offer(c: ContainerDep, seller_id: CurrentSeller, offer_id: str) -> dict[str, Any]:
    return _own_offer(c, seller_id, offer_id)


@router.patch("/offers/{offer_id}", openapi_extra=policies.seller_owns("offer_id"))
def update_offer(
    c: ContainerDep, seller_id: CurrentSeller, offer_id: str, body: OfferUpdate
) -> dict[str, Any]:
    c.bus.handle(UpdateOffer(seller_id=seller_id, offer_id=offer_id, **body.model_dump()))
    return _own_offer(c, seller_id, offer_id)


@router.delete("/offers/{offer_id}", openapi_extra=policies.seller_owns("offer_id"))
def deactivate_offer(c: ContainerDep, seller_id: CurrentSeller, offer_id: str) -> dict[str, Any]:
    c.bus.handle(UpdateOffer(seller_id=seller_id, offer_id=offer_id, active=False))
    return _own_offer(c, seller_id, offer_id)


@router.get("/inventory", openapi_extra=policies.SELLER)
def inventory(c: ContainerDep, seller_id: CurrentSeller) -> dict[str, Any]:
    data = seller_views.seller_inventory(c.engine, seller_id)
    return {"data": data, "count": len(data)}


@router.get("/ledger", openapi_extra=policies.SELLER)
def ledger(c: ContainerDep, seller_id: CurrentSeller) -> dict[str, Any]:
    return seller_views.seller_ledger(c.engine, seller_id)


@router.post("/products", status_code=201, openapi_extra=policies.SELLER)
def create_product(
    c: ContainerDep, seller_id: CurrentSeller, body: ProductCreate
) -> dict[str, Any]:
    """Create a canonical product page; if the GTIN exists, 409 duplicate_listing names it."""
    product_id = c.bus.handle(CreateProduct(seller_id=seller_id, **body.model_dump()))
    return {"product_id": product_id}
