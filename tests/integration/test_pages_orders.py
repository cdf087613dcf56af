# ruff: noqa: F811  (pytest fixtures imported from test_pages)
"""Cart, order and tracking pages as a shopper finds them (issue "The web pages as a shopper, a
seller and an operator find them"): an add to cart survives logging in; a cross-border order's
page adds up; the order's status and timeline speak of its parcels."""

import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from tests.integration.test_pages import app, client_as, shop  # noqa: F401 (fixtures)
from tradewind.orders.adapters.pages import PENDING_ADD_COOKIE
from tradewind.platform.db import tables as t
from tradewind.platform.web.pages_common import SHOPPER_COOKIE
from tradewind.tracking.identifiers import Gtin, LocationKind, sgln, sgtin, sscc
from tradewind.tracking.steps import PhysicalStep, Step


def _cart_offers(app, customer_id):
    return {ln["offer_id"]: ln["quantity"] for ln in app.state.container.views.cart(customer_id)}


def test_anonymous_add_to_cart_is_completed_by_logging_in(app, shop):
    """Add to cart -> log in -> back on the product page with the item in the cart."""
    anon = client_as(app)
    r = anon.post("/cart/add", data={"offer_id": shop.offers["a1"], "quantity": "2"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login?error=")
    assert PENDING_ADD_COOKIE in r.headers["set-cookie"]
    assert "httponly" in r.headers["set-cookie"].lower()
    assert shop.offers["a1"] not in _cart_offers(app, shop.customers[1])
    login = anon.post("/login", data={"token": shop.tokens[shop.customers[1]]})
    assert login.status_code == 303
    assert login.headers["location"] == f"/p/{shop.site}/{shop.products[0]}?added=1"
    assert _cart_offers(app, shop.customers[1])[shop.offers["a1"]] == 2
    assert PENDING_ADD_COOKIE not in anon.cookies  # completed once, then forgotten
    page = anon.get(login.headers["location"])
    assert page.status_code == 200 and 'id="added"' in page.text
    again = anon.post("/logout")
    assert again.status_code == 303
    relog = anon.post("/login", data={"token": shop.tokens[shop.customers[1]]})
    assert relog.headers["location"] == "/"
    assert _cart_offers(app, shop.customers[1])[shop.offers["a1"]] == 2  # not added twice


def test_pending_add_cannot_redirect_elsewhere_or_add_garbage(app, shop):
    """The pending add names an offer and a quantity only; the way back is built from the
    offer, so a forged cookie neither redirects off-site nor adds anything."""
    for forged in ("https://evil.example/x:1", "//evil.example:1", "nope-offer:1", "x:0"):
        c = client_as(app)
        c.cookies.set(PENDING_ADD_COOKIE, forged)
        r = c.post("/login", data={"token": shop.tokens[shop.customers[0]]})
        assert r.status_code == 303 and r.headers["location"] == "/", forged
    assert "nope-offer" not in _cart_offers(app, shop.customers[0])
    # an anonymous add with an offer id that is not an id keeps nothing pending
    r = client_as(app).post("/cart/add", data={"offer_id": "../../x y", "quantity": "1"})
    assert r.status_code == 303 and PENDING_ADD_COOKIE not in r.headers.get("set-cookie", "")


def _amount(text: str) -> int:
    """'€1,234.56' / '1.234,56 €' -> minor units (two decimals)."""
    digits = re.sub(r"[^\d]", "", text)
    return int(digits)


def _place(c, offers):
    for offer_id in offers:
        c.post("/cart/add", data={"offer_id": offer_id, "quantity": "1"})
    cart = c.get("/cart").text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', cart).group(1)
    lines = re.search(r'name="lines" value="([^"]+)"', cart).group(1)
    placed = c.post("/checkout", data={"idempotency_key": key, "lines": lines})
    assert placed.status_code == 303, placed.text
    return placed.headers["location"].split("?")[0].rsplit("/", 1)[1]


def test_cross_border_order_page_shows_import_charges_that_add_up(app, shop, engine):
    """A US seller's own parcel to a German-site shopper: the order page lists the lines,
    shipping, import duty and VAT, and they add up to the total shown."""
    with engine.begin() as c:
        site = t.sites.c.site_id == shop.site
        c.execute(update(t.sites).where(site).values(country="DE", currency="EUR"))
        c.execute(update(t.offers).where(t.offers.c.site_id == shop.site).values(currency="EUR"))
    c = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    order_id = _place(c, [shop.offers["a2"]])
    page = c.get(f"/orders/{order_id}").text
    assert 'id="order-duty"' in page and 'id="order-vat"' in page and 'id="ddp-note"' in page
    shown = dict(re.findall(r'id="order-(items|shipping|duty|vat|fees|total)">([^<]+)<', page))
    parts = sum(_amount(v) for k, v in shown.items() if k != "total")
    assert _amount(shown["duty"]) + _amount(shown["vat"]) > 0
    assert parts == _amount(shown["total"]), shown


def test_domestic_order_page_adds_up_without_import_rows(app, shop):
    c = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    order_id = _place(c, [shop.offers["a1"]])
    page = c.get(f"/orders/{order_id}").text
    assert "import-charges" not in page and 'id="ddp-note"' not in page
    shown = dict(re.findall(r'id="order-(items|shipping|total)">([^<]+)<', page))
    assert _amount(shown["items"]) + _amount(shown["shipping"]) == _amount(shown["total"])


def test_order_status_and_timeline_follow_the_parcels(app, shop, engine):
    """Two parcels: one delivered, one packed then carried off in a trailer (its departure
    recorded before its packing). The order reads 'in transit: 1 of 2 parcels delivered', each
    event names its parcel, and the trailer's parcel is 'in transit', not 'packed'."""
    c = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    order_id = _place(c, [shop.offers["a1"], shop.offers["a2"]])
    with engine.begin() as conn:
        ships = conn.execute(
            select(t.shipments.c.shipment_id)
            .where(t.shipments.c.order_id == order_id)
            .order_by(t.shipments.c.shipment_id)
        ).all()
        assert len(ships) == 2
        gtin = conn.execute(select(t.products.c.gtin).limit(1)).scalar()
        serial = secrets.randbelow(10**8)
        pkgs = [sscc(serial), sscc(serial + 1)]
        for (sid,), pkg in zip(ships, pkgs, strict=True):
            conn.execute(
                update(t.shipments)
                .where(t.shipments.c.shipment_id == sid)
                .values(package_epc=pkg, status="packed")
            )
    units = [sgtin(Gtin.from_gtin14(gtin.zfill(14), 7), f"U{serial}{i}") for i in (1, 2)]
    fc = sgln(LocationKind.FULFILLMENT_CENTER, shop.fcs[0])
    home = sgln(LocationKind.FULFILLMENT_CENTER, f"home-{shop.tag}")
    trailer = sscc(serial + 2, 9)
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)

    def step(kind, minutes, **kw):
        return PhysicalStep(step=kind, at=t0 + timedelta(minutes=minutes), location=fc, **kw)

    tracking = app.state.container.tracking
    tracking.record(  # parcel 2 leaves first in the record, though it was packed earlier
        [
            step(Step.PICK, 0, epcs=(units[1],), order_id=order_id),
            step(Step.PACK, 5, parent=pkgs[1], epcs=(units[1],), order_id=order_id),
            step(Step.LOAD, 10, parent=trailer, epcs=(pkgs[1],)),
        ]
    )
    tracking.record([step(Step.DEPART, 30, epcs=(trailer,), destination=home)])
    tracking.record(
        [
            step(Step.PICK, 1, epcs=(units[0],), order_id=order_id),
            step(Step.PACK, 6, parent=pkgs[0], epcs=(units[0],), order_id=order_id),
            step(Step.OUT_FOR_DELIVERY, 20, epcs=(pkgs[0],), destination=home),
            PhysicalStep(
                step=Step.DELIVERED, at=t0 + timedelta(minutes=60), location=home, epcs=(pkgs[0],)
            ),
            step(Step.SORT, 4, epcs=(pkgs[1],)),  # late record of an early event
        ]
    )
    page = c.get(f"/orders/{order_id}").text
    status = re.search(r'id="order-status">([^<]+)<', page).group(1)
    assert status == "in transit: 1 of 2 parcels delivered"
    states = re.findall(r'class="parcel-state">([^<]+)<', page)
    assert states == ["delivered", "in transit"]
    timeline = page[page.index('id="timeline"') :]
    items = re.findall(
        r'<time>([^<]+)</time> (?:<span class="badge parcel">([^<]+)</span> )?<strong>([^<]+)<',
        timeline,
    )
    times = [x[0] for x in items]
    assert times == sorted(times)  # by event time, not recording order
    assert all(x[1] for x in items), items  # every event names its parcel
    assert ("Parcel 2", "departing") in [(x[1], x[2]) for x in items]
    assert ("Parcel 1", "accepting") in [(x[1], x[2]) for x in items]
