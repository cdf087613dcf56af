"""Customer API: checkout (idempotent), orders, cancel, membership."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response

from tradewind.orders.checkout import CheckoutResult
from tradewind.orders.commands import CancelOrder, PlaceOrder, StartMembership
from tradewind.orders.errors import EmptyCart, IdempotencyKeyRequired, OrderNotFound
from tradewind.orders.model import CartLine
from tradewind.platform.web import policies
from tradewind.platform.web.deps import ContainerDep, CurrentCustomer
from tradewind.platform.web.schemas import CancelIn, CheckoutIn

router = APIRouter(tags=["orders"])


@router.post("/checkout", status_code=201, openapi_extra=policies.CUSTOMER)
def checkout(
    c: ContainerDep,
    customer_id: CurrentCustomer,
    body: CheckoutIn,
    response: Response,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Place an order. A retry with the same ``Idempotency-Key`` returns the same order
    (200 instead of 201); the same key with a different cart is refused."""
    if not idempotency_key:
        raise IdempotencyKeyRequired("send an Idempotency-Key header (e.g. a UUID)")
    from_cart = body.lines is None
    if from_cart:
        with c.uow() as uow:
            lines = tuple(uow.carts.lines(customer_id))
    else:
        lines = tuple(CartLine(x.offer_id, x.quantity) for x in body.lines or [])
    if not lines:
        raise EmptyCart("the cart is empty")
    result: CheckoutResult = c.bus.handle(
        PlaceOrder(customer_id, lines, idempotency_key, body.payment_method)
    )
    if from_cart and not result.replayed:
        with c.uow() as uow:
            uow.carts.clear(customer_id)
            uow.commit()
    if result.replayed:
        response.status_code = 200
    response.headers["Location"] = f"/api/v1/orders/{result.order_id}"
    order = c.views.order(result.order_id)
    assert order is not None
    return {**order, "replayed": result.replayed}


@router.get("/orders", openapi_extra=policies.CUSTOMER)
def my_orders(c: ContainerDep, customer_id: CurrentCustomer, limit: int = 20) -> dict[str, Any]:
    data = c.views.orders(customer_id=customer_id, limit=min(max(limit, 1), 100))
    return {"data": data, "count": len(data)}


@router.get("/orders/{order_id}", openapi_extra=policies.customer_owns("order_id"))
def get_order(c: ContainerDep, customer_id: CurrentCustomer, order_id: str) -> dict[str, Any]:
    order = c.views.order(order_id)
    if order is None or order["customer_id"] != customer_id:
        raise OrderNotFound(f"no order {order_id}")
    return order


@router.post("/orders/{order_id}/cancel", openapi_extra=policies.customer_owns("order_id"))
def cancel(
    c: ContainerDep, customer_id: CurrentCustomer, order_id: str, body: CancelIn
) -> dict[str, Any]:
    c.bus.handle(CancelOrder(order_id, body.reason, customer_id))
    order = c.views.order(order_id)
    assert order is not None
    return order


@router.post("/membership", openapi_extra=policies.CUSTOMER)
def join_membership(c: ContainerDep, customer_id: CurrentCustomer) -> dict[str, Any]:
    until = c.bus.handle(StartMembership(customer_id))
    return {"customer_id": customer_id, "member_until": until}
