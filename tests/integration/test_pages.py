"""Server-rendered pages through FastAPI's TestClient, on SQLite and PostgreSQL."""

import re
from dataclasses import replace

import pytest

from tests.integration.search_docs import make_doc as _doc
from tests.integration.web_client import client_as, indexed_shop, web_app
from tradewind.catalog.adapters.search.catalog_index import reindex_products
from tradewind.catalog.adapters.search.fts5 import Fts5CatalogSearch
from tradewind.catalog.search import SearchQuery
from tradewind.governance.adapters.operators import add_operator
from tradewind.platform.web.pages_common import OPERATOR_COOKIE, SELLER_COOKIE, SHOPPER_COOKIE


@pytest.fixture(scope="module")
def app(db_url, engine, tmp_path_factory):
    return web_app(db_url, engine, tmp_path_factory.mktemp("search"))


@pytest.fixture()
def shop(app, engine):
    return indexed_shop(app, engine)


def test_storefront_searches_with_facets_and_renders_without_js(app, shop):
    """GET / finds the shop's widgets, shows facet counts and formatted prices."""
    r = client_as(app).get("/", params={"site": shop.site, "q": f"widget {shop.tag}"})
    assert r.status_code == 200
    assert "2 results" in r.text
    assert "electronics" in r.text and f"Brand {shop.tag}" in r.text
    assert "$5.00" in r.text and "$20.00" in r.text
    assert '<script src="/static/vendor/htmx/htmx.min.js"' in r.text


def test_htmx_search_returns_only_the_results_partial(app, shop):
    """An HTMX request gets the results fragment, not the whole layout."""
    r = client_as(app).get(
        "/",
        params={"site": shop.site, "q": shop.tag, "band": "10-25"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert "1 result" in r.text and f"Widget {shop.tag} 0" in r.text


def test_product_page_explains_the_buy_box(app, shop):
    """The winner, why it won, the other seller and a membership delivery promise."""
    c = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[0]])
    r = c.get(f"/p/{shop.site}/{shop.products[0]}")
    assert r.status_code == 200
    assert "Why this offer wins the buy box" in r.text
    assert f"{shop.offers['a1']} [WINNER]" in r.text
    assert "FREE membership delivery to New York" in r.text
    assert "Other sellers (1)" in r.text
    assert client_as(app).get(f"/p/{shop.site}/nope").status_code == 404


def test_cart_checkout_twice_with_one_key_places_one_order(app, shop):
    """Double-submitting the checkout form replays the first order."""
    c = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    r = c.post("/cart/add", data={"offer_id": shop.offers["a1"], "quantity": "2"})
    assert r.status_code == 303 and r.headers["location"] == "/cart"
    cart = c.get("/cart")
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', cart.text).group(1)
    lines = re.search(r'name="lines" value="([^"]+)"', cart.text).group(1)
    assert lines == f"{shop.offers['a1']}:2"
    first = c.post("/checkout", data={"idempotency_key": key, "lines": lines})
    second = c.post("/checkout", data={"idempotency_key": key, "lines": lines})
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    order_id = first.headers["location"].split("/")[2].split("?")[0]
    history = c.get("/orders")
    assert history.text.count(f'href="/orders/{order_id}"') == 1
    assert "Your cart is empty" in c.get("/cart").text
    page = c.get(f"/orders/{order_id}")
    assert page.status_code == 200 and "No tracking events yet" in page.text


def test_pages_need_a_login_and_hide_other_customers_orders(app, shop):
    """No cookie -> redirect to log in; another customer's order is a 404 page."""
    anon = client_as(app)
    assert anon.get("/cart").headers["location"].startswith("/login")
    assert anon.get("/seller").headers["location"].startswith("/seller/login")
    owner = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[0]])
    owner.post("/cart/add", data={"offer_id": shop.offers["a2"]})
    cart = owner.get("/cart").text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', cart).group(1)
    placed = owner.post(
        "/checkout", data={"idempotency_key": key, "lines": f"{shop.offers['a2']}:1"}
    )
    order_url = placed.headers["location"].split("?")[0]
    other = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    assert other.get(order_url).status_code == 404


def test_login_forms_set_http_only_cookies(app, shop):
    """Pasting a token logs in; a customer token is refused by Seller Central."""
    c = client_as(app)
    r = c.post("/seller/login", data={"token": shop.tokens[shop.sellers[0]]})
    assert r.status_code == 303 and r.headers["location"] == "/seller"
    assert "httponly" in r.headers["set-cookie"].lower()
    wrong = client_as(app).post("/seller/login", data={"token": shop.tokens[shop.customers[0]]})
    assert wrong.headers["location"].startswith("/seller/login?error=")


def test_seller_edits_a_price_and_the_storefront_shows_it(app, shop):
    """A price saved in Seller Central is the storefront's price right after."""
    c = client_as(app, SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    page = c.get(f"/seller/offers/{shop.offers['a2']}")
    assert page.status_code == 200
    r = c.post(
        f"/seller/offers/{shop.offers['a2']}",
        data={"price": "4.25", "expected_version": "1", "quantity": "7"},
    )
    assert r.status_code == 303 and "saved=saved" in r.headers["location"]
    found = client_as(app).get("/", params={"site": shop.site, "q": f"widget {shop.tag} 1"})
    assert "$4.25" in found.text
    index = app.state.container.search()
    hit = index.search(SearchQuery(shop.site, f"widget {shop.tag}", sort="price_asc")).hits[0]
    assert hit.price_minor == 425
    stale = c.post(
        f"/seller/offers/{shop.offers['a2']}", data={"price": "9", "expected_version": "1"}
    )
    assert "error=" in stale.headers["location"]


def test_seller_cannot_open_another_sellers_offer(app, shop):
    """Seller B gets a 404 page for seller A's offer, for reading and for writing."""
    b = client_as(app, SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    assert b.get(f"/seller/offers/{shop.offers['a1']}").status_code == 404
    r = b.post(f"/seller/offers/{shop.offers['a1']}", data={"price": "1", "expected_version": "1"})
    assert r.status_code == 404


def test_htmx_inline_price_edit_returns_the_row(app, shop):
    """The offers table saves a row in place over HTMX."""
    c = client_as(app, SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    r = c.post(
        f"/seller/offers/{shop.offers['b1']}",
        data={"price": "19.50", "expected_version": "1"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<tr id="row-{shop.offers["b1"]}"')
    assert 'value="19.50"' in r.text and "v2" in r.text


def test_csv_upload_is_all_or_nothing(app, shop):
    """One bad row rejects the whole file; a clean file applies every row."""
    c = client_as(app, SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    header = "product_id,site_id,price,shipping,condition,channel,handling_days,quantity\n"
    bad = (
        header + f"{shop.products[1]},{shop.site},3.00,1.00,new,fbm,2,5\nnope,{shop.site},x,,,,,\n"
    )
    r = c.post("/seller/upload", files={"file": ("offers.csv", bad, "text/csv")})
    assert r.status_code == 422 and "nothing was applied" in r.text
    assert "not a price" in r.text or "no product" in r.text
    assert shop.products[1] not in c.get("/seller").text
    good = header + f"{shop.products[1]},{shop.site},3.00,1.00,new,fbm,2,5\n"
    r = c.post("/seller/upload", files={"file": ("offers.csv", good, "text/csv")})
    assert r.status_code == 200 and "1 row(s) applied" in r.text
    update = f"offer_id,price\n{shop.offers['b1']},18.00\n"
    r = c.post("/seller/upload", files={"file": ("prices.csv", update, "text/csv")})
    assert r.status_code == 200 and "1 row(s) applied" in r.text


def test_seller_inventory_ledger_and_ops_pages_render(app, shop):
    """Inventory by FC, ledger, the ops console and its KPI partial all answer 200."""
    c = client_as(app, SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    inv = c.get("/seller/inventory")
    assert inv.status_code == 200 and f"near-{shop.tag}" in inv.text
    assert c.get("/seller/ledger").status_code == 200
    assert client_as(app).get("/ops").headers["location"].startswith("/ops/login")
    operator = add_operator(app.state.container.engine, f"ops-{shop.tag}", "Pages test")
    staff = client_as(app, OPERATOR_COOKIE, operator)
    ops = staff.get("/ops")
    assert ops.status_code == 200 and 'hx-get="/ops/kpis"' in ops.text
    assert staff.get("/ops/kpis").status_code == 200
    net = staff.get("/ops/network.json").json()
    assert "nodes" in net and isinstance(net["lanes"], list)
    static = client_as(app).get("/static/vendor/leaflet/leaflet.js")
    assert static.status_code == 200


def test_fts5_blank_text_is_no_match_expression():
    """Whitespace-only text builds no FTS5 MATCH expression (the contract test covers the rest:
    tests/integration/test_search_contract.py)."""
    from tradewind.catalog.adapters.search.fts5 import match_expression

    assert match_expression("  ") is None


def test_fts5_caps_work_on_huge_match_sets(tmp_path, monkeypatch):
    """Beyond SCAN_CAP matches the result says it is a lower bound, ranked by popularity."""
    from tradewind.catalog.adapters.search import fts5

    monkeypatch.setattr(fts5, "SCAN_CAP", 3)
    index = fts5.Fts5CatalogSearch(tmp_path / "i.sqlite")
    index.rebuild([_doc(f"p{i}") for i in range(10)])
    result = index.search(SearchQuery("XX", "mug"))
    assert not result.exact and result.total == 4 and len(result.hits) == 3
    assert index.search(SearchQuery("XX")).total == 10  # browsing counts stay exact


def test_bus_subscriber_reindexes_on_offer_events(app, shop):
    """With the indexer subscribed, an API-style UpdateOffer refreshes the index."""
    from tradewind.catalog.adapters.search.wiring import subscribe_search_indexer
    from tradewind.marketplace.commands import UpdateOffer

    c = app.state.container
    subscribe_search_indexer(c)  # twice is harmless: re-indexing is idempotent
    c.bus.handle(
        UpdateOffer(seller_id=shop.sellers[0], offer_id=shop.offers["a2"], price_minor=333)
    )
    hits = c.search().search(SearchQuery(shop.site, f"widget {shop.tag} 1")).hits
    assert [h.price_minor for h in hits if h.product_id == shop.products[1]] == [333]


def test_rating_facet_filters_and_stars_render_without_js(app, shop, engine):
    """The sidebar offers "N stars & up" links (plain GETs), the filter narrows the results,
    and results and the product page show stars or "No reviews yet"."""
    from sqlalchemy import update

    from tradewind.platform.db import tables as t

    with engine.begin() as c:
        c.execute(
            update(t.products)
            .where(t.products.c.product_id == shop.products[0])
            .values(rating_x10=45, review_count=1234)
        )
    reindex_products(engine, app.state.container.search(), shop.products)
    q = f"widget {shop.tag}"
    r = client_as(app).get("/", params={"site": shop.site, "q": q})
    assert r.status_code == 200 and "Customer rating" in r.text
    assert 'aria-label="4 stars and up"' in r.text and "&amp;stars=4" in r.text
    assert "4.5 out of 5" in r.text and "(1,234 reviews)" in r.text
    assert "No reviews yet" in r.text  # the other widget
    four = client_as(app).get("/", params={"site": shop.site, "q": q, "stars": "4"})
    assert "1 result" in four.text and f"Widget {shop.tag} 0" in four.text
    assert f"Widget {shop.tag} 1" not in four.text
    assert 'name="stars" value="4"' in four.text  # kept when the form is submitted again
    htmx = client_as(app).get(
        "/", params={"site": shop.site, "q": q, "stars": "4"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in htmx.text and "1 result" in htmx.text
    assert (
        "2 results"
        in client_as(app).get("/", params={"site": shop.site, "q": q, "stars": "9"}).text
    )
    rated = client_as(app).get(f"/p/{shop.site}/{shop.products[0]}")
    assert "4.5 out of 5" in rated.text and "(1,234 reviews)" in rated.text
    assert "No reviews yet" in client_as(app).get(f"/p/{shop.site}/{shop.products[1]}").text


def test_fts5_rating_filter_and_an_older_index_layout(tmp_path):
    """FTS5 alone (no tantivy needed): "N stars & up" and its facet; an index file from before
    ratings is derived data, so it is replaced by an empty one (the wiring then rebuilds it)."""
    import sqlite3

    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as c:
        c.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, site_id TEXT, product_id TEXT)")
        c.execute("INSERT INTO docs VALUES (1, 'XX', 'p1')")
    index = Fts5CatalogSearch(old)
    assert index.count() == 0
    docs = [_doc("p1"), _doc("p2"), _doc("p3", title="Blue Kettle")]
    docs = [
        replace(d, rating_x10=r, review_count=n)
        for d, (r, n) in zip(docs, [(None, 0), (42, 9), (31, 2)], strict=True)
    ]
    index.upsert(docs)
    browse = index.search(SearchQuery("XX"))
    assert {f.value: f.count for f in browse.facets["rating"]} == {"4": 1, "3": 2, "2": 2, "1": 2}
    assert [h.product_id for h in index.search(SearchQuery("XX", "mug", min_stars=4)).hits] == [
        "p2"
    ]
    assert index.search(SearchQuery("XX", min_stars=3)).total == 2


def test_cart_page_shows_the_import_charges_checkout_then_charges(app, shop, engine):
    """DDP in the cart: a US seller's own parcel to a German-site shopper lists duty and
    import VAT before paying, and the order's total is the cart's total."""
    from sqlalchemy import update

    from tradewind.platform.db import tables as t

    with engine.begin() as c:  # make the shop a German, euro site
        c.execute(update(t.sites).where(t.sites.c.site_id == shop.site).values(country="DE"))
        c.execute(update(t.sites).where(t.sites.c.site_id == shop.site).values(currency="EUR"))
        c.execute(update(t.offers).where(t.offers.c.site_id == shop.site).values(currency="EUR"))
    c = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    c.post("/cart/add", data={"offer_id": shop.offers["a2"], "quantity": "1"})
    cart = c.get("/cart").text
    assert "Import duty" in cart and "Import VAT" in cart and 'id="ddp-note"' in cart
    total = re.search(r'id="cart-total">([^<]+)<', cart).group(1)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', cart).group(1)
    lines = re.search(r'name="lines" value="([^"]+)"', cart).group(1)
    placed = c.post("/checkout", data={"idempotency_key": key, "lines": lines})
    order_page = c.get(placed.headers["location"]).text
    assert total in order_page  # the same formatted amount is the order's total
