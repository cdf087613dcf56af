"""Customer API: sites, product search, product page with buy box, cart."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from tradewind.catalog.search import MAX_QUERY_CHARS
from tradewind.orders import services as orders
from tradewind.orders.adapters.cart_quote_json import cart_quote_dict
from tradewind.orders.model import CartLine
from tradewind.platform.web import policies
from tradewind.platform.web.deps import ContainerDep, CurrentCustomer, MaybePrincipal
from tradewind.platform.web.schemas import MAX_OFFSET, CartLineIn
from tradewind.shared.errors import NotFound

router = APIRouter(tags=["shop"])


@router.get("/sites", openapi_extra=policies.PUBLIC)
def list_sites(c: ContainerDep) -> list[dict[str, Any]]:
    return c.views.sites()


@router.get("/sites/{site_id}/products", openapi_extra=policies.PUBLIC)
def search_products(
    c: ContainerDep,
    site_id: str,
    q: str = Query("", max_length=MAX_QUERY_CHARS),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    return c.views.search_products(site_id.upper(), q, limit=limit, offset=offset)


@router.get("/sites/{site_id}/products/{product_id}", openapi_extra=policies.PUBLIC)
def product_page(
    c: ContainerDep, site_id: str, product_id: str, who: MaybePrincipal
) -> dict[str, Any]:
    member = False
    if who and who.kind == "customer":
        with c.read_uow() as uow:
            customer = uow.customers.get(who.subject_id)
        member = bool(customer and customer.is_member(c.clock.now()))
    page = c.views.product_page(product_id, site_id.upper(), member=member)
    if page is None:
        raise NotFound(f"no product {product_id} on site {site_id}")
    page["priced_for_member"] = member
    return page


@router.get("/cart", openapi_extra=policies.CUSTOMER)
def get_cart(c: ContainerDep, customer_id: CurrentCustomer) -> dict[str, Any]:
    """The cart's lines and its quote: items, shipping, import charges of cross-border
    parcels (DDP) and the total, priced as checkout will price them."""
    lines = c.views.cart(customer_id)
    return {"data": lines, "count": len(lines), "quote": cart_quote_dict(c.quote_cart(customer_id))}


@router.put("/cart/lines/{offer_id}", openapi_extra=policies.CUSTOMER)
def put_cart_line(
    c: ContainerDep, customer_id: CurrentCustomer, offer_id: str, body: CartLineIn
) -> dict[str, Any]:
    orders.put_in_cart(customer_id, CartLine(offer_id, body.quantity), c.uow())
    lines = c.views.cart(customer_id)
    return {"data": lines, "count": len(lines)}


@router.delete("/cart/lines/{offer_id}", status_code=204, openapi_extra=policies.CUSTOMER)
def delete_cart_line(c: ContainerDep, customer_id: CurrentCustomer, offer_id: str) -> Response:
    with c.uow() as uow:
        removed = uow.carts.remove(customer_id, offer_id)
        uow.commit()
    if not removed:
        raise NotFound(f"offer {offer_id} is not in the cart")
    return Response(status_code=204)
