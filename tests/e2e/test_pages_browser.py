"""The pages in a real browser: Debian's Chromium driven by Playwright against a live server.

The fixture builds a small world with the CLI, runs a short simulation (so that orders have
EPCIS events), gives one simulated customer a token, and serves it with uvicorn. Set
``TRADEWIND_SCREENSHOTS=1`` to refresh ``docs/screenshots/``.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import run_cli, serving
from tradewind.platform.locale_data import format_money

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "chromium"], capture_output=True, timeout=600)
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "!!! CHROMIUM IS NOT INSTALLED AND `apt-get install -y chromium` FAILED: "
            "THE BROWSER TESTS DID NOT RUN !!!"
        )


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    _ensure_chromium()
    work = tmp_path_factory.mktemp("pages")
    db = work / "live.db"
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{db}"}
    run_cli(work, env, "world", "build", "--seed", "5", "--products", "30")
    run_cli(work, env, "simulate", "--days", "0.1", "--orders-per-day", "500", "--json")
    token = "tw_e2e_tracked_customer"
    with sqlite3.connect(db) as conn:
        customer, order_id, site = conn.execute(
            "SELECT o.customer_id, o.order_id, o.site_id FROM orders o JOIN shipments s "
            "ON s.order_id = o.order_id WHERE s.delivered_at IS NOT NULL "
            "AND s.origin NOT LIKE 'seller:%' ORDER BY o.order_id LIMIT 1"
        ).fetchone()
        conn.execute(
            "UPDATE customers SET token_hash = ? WHERE customer_id = ?",
            (hashlib.sha256(token.encode()).hexdigest(), customer),
        )
    creds = json.loads((work / "var" / "demo_credentials.json").read_text())
    with serving(work, env) as base:
        yield {
            "base": base,
            "creds": creds,
            "token": token,
            "customer": customer,
            "tracked_order": order_id,
            "site": site,
        }


def shot(page, name):
    if os.environ.get("TRADEWIND_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def winner_product(base, site):
    for item in httpx.get(f"{base}/api/v1/sites/{site}/products", params={"limit": 50}).json()[
        "data"
    ]:
        page = httpx.get(f"{base}/api/v1/sites/{site}/products/{item['product_id']}").json()
        if page["buy_box"]["winner_offer_id"]:
            return page
    pytest.fail(f"no product with a buy-box winner on {site}")


def test_search_product_cart_checkout_and_tracking(live, page):
    """Log in, search, open the product, add to cart, place the order (double click), and read
    a simulated order's EPCIS timeline and map."""
    base = live["base"]
    page.goto(f"{base}/login")
    page.fill("input[name=token]", live["token"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_selector(".card")
    shot(page, "storefront")
    page.locator(".facets a").first.click()
    page.wait_for_selector(".facets a.on")
    assert page.input_value("#facet-state input[name=category]") != ""
    page.goto(f"{base}/")
    product = winner_product(base, live["site"])
    page.fill("#q", product["title"])
    page.press("#q", "Enter")
    page.wait_for_selector(f"text={product['title']}")
    shot(page, "search")
    page.get_by_role("link", name=product["title"]).first.click()
    page.wait_for_selector("text=Why this offer wins the buy box")
    shot(page, "product")
    page.click("#add-to-cart")
    page.wait_for_url(f"{base}/cart")
    shot(page, "cart")
    before = page.goto(f"{base}/orders").text().count('href="/orders/')
    page.goto(f"{base}/cart")
    page.dblclick("#place-order")
    page.wait_for_selector("#placed")
    after = page.goto(f"{base}/orders").text().count('href="/orders/')
    assert after == before + 1
    page.goto(f"{base}/orders/{live['tracked_order']}")
    assert page.locator("#timeline li").count() >= 3
    page.wait_for_selector("#map[data-points] path.leaflet-interactive")
    assert int(page.get_attribute("#map", "data-points")) >= 2
    shot(page, "tracking")
    assert page.errors == []


def test_seller_edits_a_price_and_the_storefront_shows_it(live, page):
    """The buy-box winner's seller lowers the price; the product page shows the new price."""
    base = live["base"]
    product = winner_product(base, "US")
    winner = next(
        o for o in product["offers"] if o["offer_id"] == product["buy_box"]["winner_offer_id"]
    )
    page.goto(f"{base}/seller/login")
    page.fill("input[name=token]", live["creds"][winner["seller_id"]])
    page.click("#seller-login")
    page.wait_for_selector("#offers")
    shot(page, "seller-offers")
    new_minor = max(100, winner["price"]["amount"] - 137)
    page.goto(f"{base}/seller/offers/{winner['offer_id']}")
    page.fill("#price", f"{new_minor / 100:.2f}")
    page.click("#save-offer")
    page.wait_for_selector("#saved")
    page.goto(f"{base}/p/US/{product['product_id']}")
    assert page.text_content("#buybox-price").strip() == format_money(new_minor, "USD", "en-US")
    assert page.errors == []


def test_seller_b_cannot_open_seller_a_offer(live, page):
    """Another seller's offer page is a 404."""
    base = live["base"]
    product = winner_product(base, "US")
    winner = next(
        o for o in product["offers"] if o["offer_id"] == product["buy_box"]["winner_offer_id"]
    )
    other = next(
        s for s in live["creds"] if s.startswith(("sel-", "retail-")) and s != winner["seller_id"]
    )
    page.goto(f"{base}/seller/login")
    page.fill("input[name=token]", live["creds"][other])
    page.click("#seller-login")
    page.wait_for_selector("#offers")
    response = page.goto(f"{base}/seller/offers/{winner['offer_id']}")
    assert response.status == 404
    assert "offer_not_found" in page.content()


def test_main_pages_have_no_console_errors(live, page):
    """Storefront, ops console (map + charts + polling, after the operator logs in) and login
    pages log no errors, under the Content-Security-Policy (a violation is a console error)."""
    base = live["base"]
    page.goto(f"{base}/ops/login")
    page.fill("input[name=token]", live["creds"]["ops-1"])
    page.click("#operator-login")
    page.wait_for_selector("#cases")
    for path in ("/?site=DE", "/", "/?q=a&sort=price_asc", "/login", "/seller/login", "/ops"):
        answer = page.goto(f"{base}{path}")
        assert "script-src 'self';" in answer.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if path == "/?site=DE":
            shot(page, "storefront-de")
    page.wait_for_selector("#network-map[data-nodes]")
    assert int(page.get_attribute("#network-map", "data-nodes")) > 100
    # Long-haul lanes (sea, air, rail) from origin ports abroad to the sites' gateways.
    assert int(page.get_attribute("#network-map", "data-lanes")) > 100
    page.wait_for_selector("#chart-orders canvas")
    shot(page, "ops")
    assert page.errors == []


def test_pages_read_without_javascript(live, browser):
    """With JavaScript off the storefront and a product page still show their content."""
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(f"{live['base']}/?site=US")
    assert p.locator(".card").count() > 0
    p.locator(".card a.title").first.click()
    assert p.locator("text=Other sellers").count() == 1
    context.close()
