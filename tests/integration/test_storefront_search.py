"""Storefront search and product page: over-long queries, one query parser for the page and
the API, and buy-box reasons in money (defects 6 and 9 of "The web pages as a shopper, a seller
and an operator find them")."""

import re

import pytest

from tests.integration.web_client import CsrfClient, indexed_shop, web_app
from tradewind.catalog.adapters.pages import shopper_reason
from tradewind.catalog.search import MAX_QUERY_CHARS
from tradewind.platform.locale_data import format_money


@pytest.fixture(scope="module")
def app(db_url, engine, tmp_path_factory):
    return web_app(db_url, engine, tmp_path_factory.mktemp("search"))


@pytest.fixture()
def shop(app, engine):
    return indexed_shop(app, engine)


def test_over_long_search_shows_a_message_on_the_page_and_in_the_results(app, shop):
    """A search over 200 characters: the whole page (no HTMX) is HTML with a message, not a
    JSON 422; an HTMX request gets a 200 partial that replaces the old results with it."""
    c = CsrfClient(app, follow_redirects=False)
    long_q = "kettle " * 40
    assert len(long_q) > MAX_QUERY_CHARS
    page = c.get("/", params={"site": shop.site, "q": long_q})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and 'id="query-error"' in page.text
    assert f"use at most {MAX_QUERY_CHARS}" in page.text
    part = c.get("/", params={"site": shop.site, "q": long_q}, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text
    assert 'id="query-error"' in part.text and 'class="title"' not in part.text
    ok = c.get("/", params={"site": shop.site, "q": "k" * MAX_QUERY_CHARS})
    assert ok.status_code == 200 and 'id="query-error"' not in ok.text
    api = c.get(f"/api/v1/sites/{shop.site}/products", params={"q": long_q})
    assert api.status_code == 422  # the API keeps its problem+json answer


def _page_ids(c, site, q):
    r = c.get("/", params={"site": site, "q": q}, headers={"HX-Request": "true"})
    assert r.status_code == 200, r.text
    return set(re.findall(rf'href="/p/{site}/([^"]+)"', r.text))


def _api_ids(c, site, q):
    r = c.get(f"/api/v1/sites/{site}/products", params={"q": q, "limit": 100})
    assert r.status_code == 200, r.text
    return {item["product_id"] for item in r.json()["data"]}


def test_web_and_api_read_odd_search_text_the_same_way(app, shop):
    """`"`, `*` and `kettle)` are parsed by one function: punctuation separates words and is
    never syntax, so the page and the API find the same products."""
    c = CsrfClient(app, follow_redirects=False)
    tag = shop.tag
    expected = set(shop.products)
    for q in (f"{tag})", f'"{tag}', f"{tag}*", f"widget {tag})", f'"widget" ({tag}'):
        assert _page_ids(c, shop.site, q) == _api_ids(c, shop.site, q) == expected, q
    for q in ('"', "*", "(", '"*"'):  # no words at all: both browse, like an empty search
        assert _page_ids(c, shop.site, q) == _page_ids(c, shop.site, "")
        assert _api_ids(c, shop.site, q) == _api_ids(c, shop.site, "")
    assert _page_ids(c, shop.site, f"{tag} nomatch)") == _api_ids(c, shop.site, f"{tag} nomatch)")


def test_buy_box_reasons_show_money_in_the_site_locale(app, shop):
    """The product page formats the landed price in a reason as money ($20.00), like every
    other price; the API keeps minor units and its structured prices."""
    c = CsrfClient(app, follow_redirects=False)
    html = c.get(f"/p/{shop.site}/{shop.products[0]}").text
    api = c.get(f"/api/v1/sites/{shop.site}/products/{shop.products[0]}").json()
    winner = next(o for o in api["offers"] if o["offer_id"] == api["buy_box"]["winner_offer_id"])
    minor = winner["landed_price"]["amount"]
    assert f"landed price {minor} USD" in winner["reasons"][0]  # API unchanged
    assert re.search(r"landed price \d+ [A-Z]{3}", html) is None, "minor units shown as money"
    assert f"landed price {format_money(minor, 'USD', 'en-US')} (lowest " in html


def test_shopper_reason_uses_the_locale():
    text = "a1 [WINNER] score=99.0: landed price 2855 EUR (lowest 2500); 3 unit(s) in stock"
    de = shopper_reason(text, "de-DE")
    assert f"landed price {format_money(2855, 'EUR', 'de-DE')}" in de
    assert f"(lowest {format_money(2500, 'EUR', 'de-DE')})" in de and "28,55" in de
    assert de.endswith("; 3 unit(s) in stock")
    assert shopper_reason("fast delivery (membership-eligible)", "en-US") == (
        "fast delivery (membership-eligible)"
    )
