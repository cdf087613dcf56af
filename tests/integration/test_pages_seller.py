# ruff: noqa: F811  (pytest fixtures imported from test_pages)
"""Seller Central as a seller finds it: paging and a text filter on offers, inventory and the
ledger; product titles in the inventory; ledger amounts from the seller's side; a CSV template
for the bulk upload; timestamps formatted for the locale."""

import csv
import io
import re

from tests.integration.test_pages import app, client_as, shop  # noqa: F401 (fixtures)
from tests.integration.test_pages_orders import _place
from tradewind.marketplace.adapters import pages as seller_pages
from tradewind.marketplace.adapters.pages_csv import COLUMNS
from tradewind.platform.web.pages_common import SELLER_COOKIE, SHOPPER_COOKIE


def _seller(app, shop):
    return client_as(app, SELLER_COOKIE, shop.tokens[shop.sellers[0]])


def test_offers_page_filters_and_pages(app, shop, monkeypatch):
    monkeypatch.setattr(seller_pages, "PAGE_SIZE", 1)
    c = _seller(app, shop)
    first = c.get("/seller").text
    assert "page 1 of 2" in first and 'rel="next"' in first and "Your offers (2)" in first
    second = c.get("/seller", params={"page": "2"}).text
    assert "page 2 of 2" in second and 'rel="prev"' in second
    shown = {o for o in shop.offers.values() if f">{o}<" in first or f">{o}<" in second}
    assert shown == {shop.offers["a1"], shop.offers["a2"]}
    only = c.get("/seller", params={"q": shop.offers["a2"].upper()}).text
    assert "1 offers matching" in only and shop.offers["a2"] in only
    assert shop.offers["a1"] not in only
    beyond = c.get("/seller", params={"page": "99"})
    assert beyond.status_code == 200 and "page 2 of 2" in beyond.text


def test_inventory_shows_titles_and_filters(app, shop):
    c = _seller(app, shop)
    inv = c.get("/seller/inventory").text
    assert f"Widget {shop.tag} 0" in inv  # the title, not only the id
    none = c.get("/seller/inventory", params={"q": "no-such-sku-zzz"}).text
    assert "0 rows" in none and f"near-{shop.tag}</td>" not in none


def test_ledger_reads_from_the_sellers_side_pages_and_formats_time(app, shop, monkeypatch):
    """A sale is owed to the seller (positive); the referral fee is taken (negative)."""
    buyer = client_as(app, SHOPPER_COOKIE, shop.tokens[shop.customers[1]])
    order_id = _place(buyer, [shop.offers["a2"]])
    c = _seller(app, shop)
    page = c.get("/seller/ledger", params={"q": order_id}).text
    amounts = re.findall(r'<td class="amount">([^<]+)</td>', page)
    assert amounts, page
    assert any(not a.startswith(("-", "−")) for a in amounts)  # the sale: owed to the seller
    assert any(a.startswith(("-", "−")) for a in amounts)  # a fee: taken from the seller
    assert re.search(
        r"<td>[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}\s?[AP]M UTC</td>", page
    )
    assert not re.search(r"<td>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", page)  # no raw ISO
    monkeypatch.setattr(seller_pages, "LEDGER_PAGE_SIZE", 1)
    paged = c.get("/seller/ledger", params={"q": order_id}).text
    assert f"page 1 of {len(amounts)}" in paged and 'rel="next"' in paged
    assert len(re.findall(r'<td class="amount">', paged)) == 1


def test_upload_page_offers_a_csv_template(app, shop):
    """The template (written by csv_export.write_csv, formula-safe) is the upload's header and
    the seller's offers, and uploads back as it is."""
    c = _seller(app, shop)
    assert 'href="/seller/upload/template.csv"' in c.get("/seller/upload").text
    r = c.get("/seller/upload/template.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert tuple(rows[0]) == COLUMNS
    assert {row[0] for row in rows[1:]} == {shop.offers["a1"], shop.offers["a2"]}
    assert client_as(app).get("/seller/upload/template.csv").status_code == 303
    # what the template gives back is accepted by the upload as it is
    upload = c.post("/seller/upload", files={"file": ("offers.csv", r.content, "text/csv")})
    assert upload.status_code == 200 and "row(s) applied" in upload.text, upload.text
