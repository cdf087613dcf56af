import pytest
from fastapi.testclient import TestClient

from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(db_url, engine):
    app = create_app(bootstrap(Settings(database_url=db_url), engine=engine))
    with TestClient(app) as c:
        yield c


@pytest.fixture()
def shop(engine):
    return make_shop(engine)


def auth(shop, who):
    return {"Authorization": f"Bearer {shop.tokens[who]}"}


def test_health_and_openapi(client):
    """/healthz answers; the OpenAPI document lists the v1 routes."""
    assert client.get("/healthz").json()["status"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/checkout" in paths and "/api/v1/seller/offers/{offer_id}" in paths


def test_search_and_product_page_with_explained_buy_box(client, shop):
    """Search finds the product; its page names the buy-box winner and why."""
    found = client.get(f"/api/v1/sites/{shop.site}/products", params={"q": f"widget {shop.tag}"})
    assert found.json()["count"] == 2
    page = client.get(f"/api/v1/sites/{shop.site}/products/{shop.products[0]}").json()
    assert page["buy_box"]["winner_offer_id"] == shop.offers["a1"]
    assert page["buy_box"]["explain"][0].startswith(f"{shop.offers['a1']} [WINNER]")
    assert {o["offer_id"] for o in page["offers"]} == {shop.offers["a1"], shop.offers["b1"]}


def test_cart_checkout_is_idempotent_and_shows_the_order(client, shop):
    """Cart -> checkout (201) -> same key again (200, same order) -> order listed."""
    h = auth(shop, shop.customers[1])
    r = client.put(f"/api/v1/cart/lines/{shop.offers['a1']}", json={"quantity": 2}, headers=h)
    assert r.status_code == 200 and r.json()["count"] == 1
    first = client.post("/api/v1/checkout", json={}, headers={**h, "Idempotency-Key": "abc"})
    assert first.status_code == 201, first.text
    order = first.json()
    assert order["total"] == {"amount": 2 * 2000 + 2 * 499, "currency": "USD"}
    assert client.get("/api/v1/cart", headers=h).json()["count"] == 0
    again = client.post(
        "/api/v1/checkout",
        json={"lines": [{"offer_id": shop.offers["a1"], "quantity": 2}]},
        headers={**h, "Idempotency-Key": "abc"},
    )
    assert again.status_code == 200 and again.json()["order_id"] == order["order_id"]
    listed = client.get("/api/v1/orders", headers=h).json()["data"]
    assert [o["order_id"] for o in listed] == [order["order_id"]]
    cancelled = client.post(f"/api/v1/orders/{order['order_id']}/cancel", json={}, headers=h)
    assert cancelled.json()["status"] == "cancelled"


def test_payment_method_is_a_closed_set_and_is_never_echoed(client, shop):
    """card_timeout (which held stock locks for the PSP's time-out) and a 1 MB method are
    refused with a short 422 and change nothing; "card" is accepted."""
    h = auth(shop, shop.customers[0])
    body = {"lines": [{"offer_id": shop.offers["a1"], "quantity": 1}]}
    for i, method in enumerate(["card_timeout", "card_ok", "x" * 1_000_000]):
        r = client.post(
            "/api/v1/checkout",
            json={**body, "payment_method": method},
            headers={**h, "Idempotency-Key": f"pm{i}"},
        )
        assert r.status_code == 422 and r.json()["code"] == "validation_failed"
        assert len(r.content) < 2_000 and method not in r.text
    assert client.get("/api/v1/orders", headers=h).json()["count"] == 0
    r = client.post(
        "/api/v1/checkout",
        json={**body, "payment_method": "card"},
        headers={**h, "Idempotency-Key": "pm-card"},
    )
    assert r.status_code == 201 and r.json()["status"] == "placed"


def test_errors_are_problem_json_with_stable_codes(client, shop):
    """Missing key, declined card, bad body, no token: RFC 9457 with a code."""
    h = auth(shop, shop.customers[0])
    body = {"lines": [{"offer_id": shop.offers["a1"], "quantity": 1}]}
    cases = [
        (client.post("/api/v1/checkout", json=body, headers=h), 400, "idempotency_key_required"),
        (  # a PSP's test behaviour is not a shopper's payment method
            client.post(
                "/api/v1/checkout",
                json={**body, "payment_method": "card_decline"},
                headers={**h, "Idempotency-Key": "d"},
            ),
            422,
            "validation_failed",
        ),
        (
            client.post(
                "/api/v1/checkout",
                json={"lines": [{"offer_id": "x", "quantity": 0}]},
                headers={**h, "Idempotency-Key": "v"},
            ),
            422,
            "validation_failed",
        ),
        (client.post("/api/v1/checkout", json=body), 401, "unauthorized"),
        (client.get("/api/v1/seller/offers", headers=h), 403, "forbidden"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        problem = response.json()
        assert problem["code"] == code and problem["type"] == f"/problems/{code}"
        assert problem["status"] == status and problem["instance"].startswith("/api/v1/")
    assert client.get("/api/v1/orders", headers=h).json()["count"] == 0


def test_a_seller_never_reads_or_changes_another_sellers_offers(client, shop):
    """Seller B gets 404 for A's offer (read, patch, delete); A's offer is unchanged."""
    a, b = auth(shop, shop.sellers[0]), auth(shop, shop.sellers[1])
    offer = shop.offers["a1"]
    assert client.get(f"/api/v1/seller/offers/{offer}", headers=a).status_code == 200
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"price_minor": 1}} if method == "patch" else {}
        r = getattr(client, method)(f"/api/v1/seller/offers/{offer}", headers=b, **kwargs)
        assert r.status_code == 404 and r.json()["code"] == "offer_not_found"
    mine = client.get("/api/v1/seller/offers", headers=b).json()["data"]
    assert {o["offer_id"] for o in mine} == {shop.offers["b1"]}
    assert client.get(f"/api/v1/seller/offers/{offer}", headers=a).json()["price"]["amount"] == 2000


def test_seller_updates_price_and_the_storefront_shows_it(client, shop):
    """PATCH price -> product page shows the new price; bad input changes nothing."""
    a = auth(shop, shop.sellers[0])
    url = f"/api/v1/seller/offers/{shop.offers['a1']}"
    bad = client.patch(url, json={"price_minor": -5}, headers=a)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"
    ok = client.patch(url, json={"price_minor": 1799, "expected_version": 1}, headers=a)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, json={"price_minor": 1, "expected_version": 1}, headers=a)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_offer"
    page = client.get(f"/api/v1/sites/{shop.site}/products/{shop.products[0]}").json()
    prices = {o["offer_id"]: o["price"]["amount"] for o in page["offers"]}
    assert prices[shop.offers["a1"]] == 1799


def test_sellers_attach_offers_and_cannot_duplicate_a_product(client, shop):
    """New offer on an existing product: 201; a second listing of its GTIN: 409."""
    b = auth(shop, shop.sellers[1])
    r = client.post(
        "/api/v1/seller/offers",
        headers=b,
        json={
            "product_id": shop.products[1],
            "site_id": shop.site,
            "price_minor": 450,
            "channel": "fbm",
            "quantity": 7,
            "shipping_minor": 250,
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["quantity"] == 7
    page = client.get(f"/api/v1/sites/{shop.site}/products/{shop.products[1]}").json()
    gtin = page["gtin"]
    dup = client.post(
        "/api/v1/seller/products",
        headers=b,
        json={
            "gtin": gtin,
            "title": "Same thing",
            "category": "electronics",
            "brand_id": f"br-{shop.tag}",
            "weight_g": 10,
            "longest_side_mm": 10,
        },
    )
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_listing"
    assert dup.json()["errors"][0]["existing_product_id"] == shop.products[1]


def test_membership_makes_fba_shipping_free(client, shop):
    """A guest joins; the product page is then priced for a member."""
    h = auth(shop, shop.customers[1])
    url = f"/api/v1/sites/{shop.site}/products/{shop.products[0]}"
    before = client.get(url, headers=h).json()
    assert not before["priced_for_member"]
    assert client.post("/api/v1/membership", headers=h).status_code == 200
    after = client.get(url, headers=h).json()
    landed = {o["offer_id"]: o["landed_price"]["amount"] for o in after["offers"]}
    assert after["priced_for_member"] and landed[shop.offers["a1"]] == 2000


def test_a_cross_border_parcel_shows_its_import_charges_on_the_order(client, engine):
    """DDP: a US seller shipping its own parcel to a German site's shopper: the order total
    includes the quoted duty and import VAT, listed on the order, and the books balance."""
    from sqlalchemy import func, select, update

    from tradewind.platform.db import tables as t

    shop = make_shop(engine)
    with engine.begin() as c:  # make the shop a German, euro site
        c.execute(
            update(t.sites)
            .where(t.sites.c.site_id == shop.site)
            .values(country="DE", currency="EUR")
        )
        c.execute(update(t.offers).where(t.offers.c.site_id == shop.site).values(currency="EUR"))
        c.execute(
            update(t.products)
            .where(t.products.c.product_id == shop.products[1])
            .values(hs_code="640411")
        )
    h = auth(shop, shop.customers[1])
    page = client.get(f"/api/v1/sites/{shop.site}/products/{shop.products[1]}").json()
    quoted = next(o for o in page["offers"] if o["offer_id"] == shop.offers["a2"])
    assert quoted["ships_from"] == "US" and quoted["import_charges"]["amount"] > 0
    html = client.get(f"/p/{shop.site}/{shop.products[1]}").text
    assert "import duty &amp; taxes" in html
    put = client.put(f"/api/v1/cart/lines/{shop.offers['a2']}", json={"quantity": 1}, headers=h)
    assert put.status_code == 200, put.text
    quote = client.get("/api/v1/cart", headers=h).json()["quote"]  # shown before paying
    assert [p["ships_from"] for p in quote["parcels"]] == ["US"]
    assert quote["import_charges"]["total"] == quoted["import_charges"]
    r = client.post("/api/v1/checkout", json={}, headers={**h, "Idempotency-Key": "ddp"})
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["total"] == quote["total"]  # checkout charges what the cart quoted
    charges = order["import_charges"]
    assert charges["vat"]["amount"] > 0 and charges["vat"]["currency"] == "EUR"
    items_and_shipping = 500 + 300
    assert order["total"]["amount"] == items_and_shipping + sum(
        v["amount"] for v in charges.values()
    )
    assert sum(v["amount"] for v in charges.values()) == quoted["import_charges"]["amount"]
    with engine.connect() as c:
        assert (
            c.execute(
                select(func.sum(t.ledger_entries.c.amount_minor)).where(
                    t.ledger_entries.c.reference == order["order_id"]
                )
            ).scalar()
            == 0
        )
