"""In a real browser: "Add to cart" while logged out -> log in -> back on the product with the
item in the cart (issue "The web pages as a shopper, a seller and an operator find them")."""

import hashlib
import os
import sqlite3

import pytest

from tests.e2e.server import run_cli, serving
from tests.e2e.test_pages_browser import ARGS, CHROMIUM, _ensure_chromium, winner_product


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    _ensure_chromium()
    work = tmp_path_factory.mktemp("cart-login")
    db = work / "live.db"
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{db}"}
    run_cli(work, env, "world", "build", "--seed", "7", "--products", "30")
    token = "tw_e2e_cart_login_customer"
    with sqlite3.connect(db) as conn:
        customer, site = conn.execute(
            "SELECT customer_id, site_id FROM customers "
            "ORDER BY site_id != 'US', customer_id LIMIT 1"
        ).fetchone()
        conn.execute(
            "UPDATE customers SET token_hash = ? WHERE customer_id = ?",
            (hashlib.sha256(token.encode()).hexdigest(), customer),
        )
    with serving(work, env) as base:
        yield {"base": base, "token": token, "site": site}


@pytest.fixture()
def page(live):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        p = browser.new_page(viewport={"width": 1280, "height": 900})
        p.errors = []
        p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
        p.on("pageerror", lambda e: p.errors.append(str(e)))
        yield p
        browser.close()


def test_add_to_cart_logged_out_then_log_in_returns_to_the_product(live, page):
    base = live["base"]
    product = winner_product(base, live["site"])
    title = product["title"]
    page.goto(f"{base}/p/{live['site']}/{product['product_id']}")
    page.fill("form.add input[name=quantity]", "2")
    page.click("#add-to-cart")
    assert page.url.startswith(f"{base}/login")
    assert "Log in to add this item to your cart" in page.content()
    page.fill("input[name=token]", live["token"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_selector("#added")
    assert page.url == f"{base}/p/{live['site']}/{product['product_id']}?added=1"
    page.click("#added a[href='/cart']")
    page.wait_for_selector("#cart")
    row = page.locator("#cart tbody tr").filter(has_text=title)
    assert row.count() == 1 and row.locator("td").nth(1).inner_text() == "2"
    assert page.errors == []
