"""Shopper pages: cart, idempotent checkout, order history, order tracking (timeline + map).

Checkout is idempotent by construction: the cart page renders a fresh server-generated
``Idempotency-Key`` and a snapshot of the lines into the form; a double click (or a retried
POST) sends the same key and lines, and the checkout service replays the first order instead of
placing a second one.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from tradewind.orders import services as orders
from tradewind.orders.adapters.cart_quote_json import cart_quote_dict
from tradewind.orders.adapters.parcels import order_progress, track_parcels
from tradewind.orders.checkout import CheckoutResult
from tradewind.orders.commands import PlaceOrder
from tradewind.orders.model import CartLine
from tradewind.platform.web import reads
from tradewind.platform.web.pages_common import (
    AFTER_LOGIN,
    Shopper,
    container,
    cookie_flags,
    current_shopper,
    domain_error,
    error_page,
    redirect,
    render,
    site_languages,
)
from tradewind.platform.web.schemas import MAX_CHECKOUT_LINES
from tradewind.shared.errors import TradewindError
from tradewind.tracking.errors import NoTrackingEvents
from tradewind.tracking.jsonld import event_to_jsonld
from tradewind.tracking.services import TrackingService

router = APIRouter(include_in_schema=False)
CBV = "https://ref.gs1.org/cbv/"


@router.get("/cart", response_class=HTMLResponse)
def cart(request: Request, shopper: Shopper) -> Response:
    c = container(request)
    lines = c.views.cart(shopper.customer_id)
    titles = reads.product_titles(c.engine, [ln["product_id"] for ln in lines])
    quote = cart_quote_dict(c.quote_cart(shopper.customer_id))
    return render(
        request,
        "shop/cart.html",
        shopper=shopper,
        lines=lines,
        titles=titles,
        quote=quote,
        snapshot=",".join(f"{ln['offer_id']}:{ln['quantity']}" for ln in lines),
        idempotency_key=uuid.uuid4().hex,
    )


PENDING_ADD_COOKIE = "tw_pending_add"
PENDING_ADD_MAX_AGE_S = 3600
_PENDING = re.compile(r"([A-Za-z0-9._-]{1,40}):([0-9]{1,2})")


@router.post("/cart/add")
def add_to_cart(
    request: Request,
    offer_id: Annotated[str, Form(max_length=40)],
    quantity: Annotated[int, Form(ge=1, le=99)] = 1,
) -> Response:
    """Add to the cart; a visitor who is not logged in is sent to log in, and the add is kept
    (an HttpOnly cookie naming the offer and quantity) and completed by the login itself, which
    then returns to the product page (``complete_pending_add``)."""
    shopper = current_shopper(request)
    if shopper is None:
        response = redirect("/login", error="Log in to add this item to your cart.")
        if _PENDING.fullmatch(f"{offer_id}:{quantity}"):
            secure, samesite = cookie_flags(request)
            response.set_cookie(
                PENDING_ADD_COOKIE,
                f"{offer_id}:{quantity}",
                max_age=PENDING_ADD_MAX_AGE_S,
                httponly=True,
                secure=secure,
                samesite=samesite,
                path="/",
            )
        return response
    c = container(request)
    have = {ln["offer_id"]: ln["quantity"] for ln in c.views.cart(shopper.customer_id)}
    line = CartLine(offer_id, min(99, have.get(offer_id, 0) + quantity))
    try:
        orders.put_in_cart(shopper.customer_id, line, c.uow())
    except TradewindError as exc:
        return domain_error(request, exc)
    return redirect("/cart")


def complete_pending_add(request: Request, customer_id: str, response: Response) -> None:
    """After a shopper logs in: add what they tried to add before logging in, and send them
    back to that product's page (a path built from the offer, never from the request). An offer
    that cannot be added (gone, another site) is dropped and the login goes home as usual."""
    pending = _PENDING.fullmatch(request.cookies.get(PENDING_ADD_COOKIE, ""))
    if request.cookies.get(PENDING_ADD_COOKIE) is not None:
        response.delete_cookie(PENDING_ADD_COOKIE, path="/")
    if pending is None:
        return
    offer_id, quantity = pending.group(1), int(pending.group(2))
    if not 1 <= quantity <= 99:
        return
    c = container(request)
    have = {ln["offer_id"]: ln for ln in c.views.cart(customer_id)}
    had = have[offer_id]["quantity"] if offer_id in have else 0
    try:
        orders.put_in_cart(customer_id, CartLine(offer_id, min(99, had + quantity)), c.uow())
    except TradewindError:
        return
    with c.read_uow() as uow:
        customer = uow.customers.get(customer_id)
    line = next((ln for ln in c.views.cart(customer_id) if ln["offer_id"] == offer_id), None)
    if customer is None or line is None:
        return
    site, product = quote(customer.site_id, safe=""), quote(line["product_id"], safe="")
    response.headers["location"] = f"/p/{site}/{product}?added=1"


AFTER_LOGIN["customer"] = complete_pending_add


@router.post("/cart/remove")
def remove_from_cart(
    request: Request, shopper: Shopper, offer_id: Annotated[str, Form(max_length=40)]
) -> Response:
    with container(request).uow() as uow:
        uow.carts.remove(shopper.customer_id, offer_id)
        uow.commit()
    return redirect("/cart")


def parse_snapshot(text: str) -> tuple[CartLine, ...]:
    """'off-1:2,off-2:1' -> cart lines (what the cart page showed when it was rendered);
    ``ValueError`` unless each quantity is 1..99 and there are at most 100 lines."""
    lines = []
    for part in filter(None, text.split(",")):
        offer_id, _, qty = part.partition(":")
        if not qty.strip().isdigit() or not 1 <= int(qty) <= 99 or not offer_id.strip():
            raise ValueError(f"not a cart line: {part[:60]!r}")
        lines.append(CartLine(offer_id.strip(), int(qty)))
    if len(lines) > MAX_CHECKOUT_LINES:
        raise ValueError(f"at most {MAX_CHECKOUT_LINES} lines per order")
    return tuple(lines)


@router.post("/checkout")
def place_order(
    request: Request,
    shopper: Shopper,
    idempotency_key: Annotated[str, Form(min_length=8, max_length=100)],
    lines: Annotated[str, Form(max_length=4000)],
) -> Response:
    c = container(request)
    try:
        cart_lines = parse_snapshot(lines)
    except ValueError:
        return error_page(request, 422, "validation_failed", "the cart snapshot is not valid")
    if not cart_lines:
        return error_page(request, 422, "empty_cart", "the cart is empty")
    try:
        result: CheckoutResult = c.bus.handle(
            PlaceOrder(shopper.customer_id, cart_lines, f"web-{idempotency_key}")
        )
    except TradewindError as exc:
        return domain_error(request, exc)
    if not result.replayed:
        with c.uow() as uow:
            for line in cart_lines:
                uow.carts.remove(shopper.customer_id, line.offer_id)
            uow.commit()
    return redirect(f"/orders/{result.order_id}", placed="1")


@router.get("/orders", response_class=HTMLResponse)
def order_history(request: Request, shopper: Shopper) -> Response:
    data = container(request).views.orders(customer_id=shopper.customer_id, limit=100)
    return render(request, "orders/list.html", shopper=shopper, orders=data)


def _tracking(request: Request) -> TrackingService:
    return container(request).tracking


def _short(uri: Any, cbv_prefix: str, own_prefix: str) -> str:
    """A CBV or Tradewind vocabulary URI as a readable word (customs_holding -> customs holding)."""
    text = str(uri or "").removeprefix(CBV).removeprefix(cbv_prefix).removeprefix(own_prefix)
    return text.replace("_", " ")


def timeline(
    events: list[dict[str, Any]], places: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """EPCIS JSON-LD events -> rows for the timeline (time, step, disposition, place)."""
    rows = []
    for e in events:
        where = (e.get("readPoint") or e.get("bizLocation") or {}).get("id", "")
        rows.append(
            {
                "time": e.get("eventTime", "").replace("T", " ")[:16] + " UTC",
                "type": e.get("type", ""),
                "action": e.get("action", ""),
                "step": _short(e.get("bizStep"), "BizStep-", "urn:tradewind:bizstep:"),
                "disposition": _short(e.get("disposition"), "Disp-", "urn:tradewind:disp:"),
                "reason": str(e.get("tw:reason") or "").replace("_", " "),
                "where": where,
                "place": places.get(where, {}).get("name", where.rsplit(".", 1)[-1]),
            }
        )
    return rows


def package_path(
    events: list[dict[str, Any]], places: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The places the package passed, in order, without consecutive repeats."""
    path: list[dict[str, Any]] = []
    for e in events:
        where = (e.get("readPoint") or e.get("bizLocation") or {}).get("id", "")
        place = places.get(where)
        if place and (not path or path[-1]["uri"] != where):
            path.append({"uri": where, **place})
    return path


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(request: Request, shopper: Shopper, order_id: str, placed: str = "") -> Response:
    c = container(request)
    order = c.views.order(order_id)
    if order is None or order["customer_id"] != shopper.customer_id:
        return error_page(request, 404, "order_not_found", f"no order {order_id}")
    try:
        raw = _tracking(request).order_events(order_id)
    except NoTrackingEvents:
        raw = []
    ordered, parcel_labels, parcels = track_parcels(raw, order["shipments"])
    events = [event_to_jsonld(e) for e in ordered]
    uris = [(e.get("readPoint") or e.get("bizLocation") or {}).get("id", "") for e in events]
    places = reads.resolve_locations(c.engine, [u for u in uris if u])
    path = package_path(events, places)
    titles = reads.product_titles(c.engine, [ln["product_id"] for ln in order["lines"]])
    rows = timeline(events, places)
    for row, labels in zip(rows, parcel_labels, strict=True):
        row["parcels"] = ", ".join(labels)
    by_shipment = {p.shipment_id: p for p in parcels if p.shipment_id}
    for s in order["shipments"]:
        tracked = by_shipment.get(s["shipment_id"])
        s["label"] = tracked.label if tracked else ""
        s["state"] = tracked.state if tracked and tracked.state else s["status"]
    return render(
        request,
        "orders/detail.html",
        site=order["site_id"],
        lang=site_languages(c).get(order["site_id"], "en-US"),
        shopper=shopper,
        order=order,
        progress=order_progress(order["status"], parcels),
        parcels=parcels,
        titles=titles,
        placed=placed == "1",
        events=rows,
        path_json=json.dumps(path).replace("</", "<\\/"),
    )
