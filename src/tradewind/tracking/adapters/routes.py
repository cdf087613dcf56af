"""Tracking API: an order's chain of custody as EPCIS 2.0 events (its customer only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from tradewind.orders.errors import OrderNotFound
from tradewind.platform.web import policies
from tradewind.platform.web.deps import ContainerDep, CurrentCustomer
from tradewind.tracking.services import TrackingService

router = APIRouter(tags=["tracking"])


def get_tracking(c: ContainerDep) -> TrackingService:
    """The container's ``TrackingService``."""
    return c.tracking


TrackingDep = Annotated[TrackingService, Depends(get_tracking)]


@router.get("/orders/{order_id}/tracking", openapi_extra=policies.customer_owns("order_id"))
def order_tracking(
    c: ContainerDep, tracking: TrackingDep, customer_id: CurrentCustomer, order_id: str
) -> dict[str, Any]:
    """The order's EPCIS events in time order (``tracking_no_events`` 404 before the first
    physical step); another customer's order is ``order_not_found``."""
    order = c.views.order(order_id)
    if order is None or order["customer_id"] != customer_id:
        raise OrderNotFound(f"no order {order_id}")
    return {"order_id": order_id, "events": tracking.order_events_jsonld(order_id)}
