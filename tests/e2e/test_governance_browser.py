"""Cases and enforcement in a real browser: a follow-seller undercuts a brand owner, the scan
opens a case, an operator logs in and suspends the seller with one click, and the seller sees
the action in Seller Central and files an appeal."""

import json
import os
import sqlite3
import subprocess

import httpx
import pytest

from tests.e2e.server import CLI, serving
from tests.e2e.test_pages_browser import ARGS, CHROMIUM, _ensure_chromium


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    _ensure_chromium()
    work = tmp_path_factory.mktemp("governance")
    db = work / "live.db"
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run(
        [*CLI, "world", "build", "--seed", "5", "--products", "30"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    creds = json.loads((work / "var" / "demo_credentials.json").read_text())
    with sqlite3.connect(db) as conn:
        # A brand-registered product the brand owner sells on a site, and a third-party seller
        # who is neither the owner nor already selling it there.
        product, site, owner_price = conn.execute(
            "SELECT o.product_id, o.site_id, o.price_minor FROM offers o "
            "JOIN products p ON p.product_id = o.product_id "
            "JOIN brands b ON b.brand_id = p.brand_id AND b.owner_seller_id = o.seller_id "
            "ORDER BY o.offer_id LIMIT 1"
        ).fetchone()
        follower = conn.execute(
            "SELECT s.seller_id FROM sellers s WHERE s.kind = 'third_party' "
            "AND s.kyc_status = 'verified' AND s.seller_id NOT IN "
            "(SELECT seller_id FROM offers WHERE product_id = ? AND site_id = ?) "
            "AND s.seller_id NOT IN (SELECT owner_seller_id FROM brands "
            "JOIN products USING (brand_id) WHERE product_id = ?) ORDER BY s.seller_id LIMIT 1",
            (product, site, product),
        ).fetchone()[0]
    with serving(work, env) as base:
        made = httpx.post(
            f"{base}/api/v1/seller/offers",
            json={
                "product_id": product,
                "site_id": site,
                "price_minor": max(1, owner_price // 4),
                "channel": "fbm",
                "shipping_minor": 0,
                "quantity": 5,
            },
            headers={"Authorization": f"Bearer {creds[follower]}"},
        )
        assert made.status_code == 201, made.text
        offer_id = made.json()["offer_id"]
        scan = subprocess.run(
            [*CLI, "governance", "scan", "--json"],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        # An established reseller at a quarter of the owner's price (0.775) is what genuine
        # clearance looks like too: the policy wants a test buy, not a case.
        assert offer_id in {w["offer_id"] for w in json.loads(scan.stdout)["test_buys"]}
        yield {
            "base": base,
            "token": creds[follower],
            "seller": follower,
            "offer": offer_id,
            "product": product,
            "site": site,
            "operator_token": creds["ops-1"],
        }


@pytest.fixture()
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        p = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        p.errors = []
        p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
        p.on("pageerror", lambda e: p.errors.append(str(e)))
        yield p
        browser.close()


def test_operator_suspends_and_the_seller_appeals(live, page):
    """Test buys -> the inspected item failed -> its case; one-click suspend (HTMX); the
    product page drops the offer; the seller sees the reason and appeal path and files an
    appeal; the trail still verifies."""
    base = live["base"]
    page.goto(f"{base}/ops/test-buys")
    page.wait_for_selector("#operator-login")  # the console needs an operator's login
    page.fill("input[name=token]", live["operator_token"])
    page.click("#operator-login")
    page.wait_for_selector("#logged-operator")
    assert page.text_content("#logged-operator").strip() == "ops-1"
    page.goto(f"{base}/ops/test-buys")
    row = page.locator("#test-buys-wanted tr", has_text=live["offer"])
    row.locator("select[name=result]").select_option("counterfeit")
    row.locator("input[name=note]").fill("logo misprinted, no hologram")
    row.get_by_role("button", name="Record").click()
    page.wait_for_selector("#case-panel")  # the case the failed test buy opened
    assert "test_buy_failed" in page.text_content("#evidence")
    assert "unauthorised_seller" in page.text_content("#evidence")
    assert "in force" in page.text_content("#actions")  # the automatic suppression
    page.fill("#action-reason", "Unauthorised reseller of a registered brand")
    assert page.text_content("#acting-operator").strip() == "ops-1"
    page.click("#act-suspend_seller")
    page.wait_for_selector("#actions >> text=suspend_seller")
    assert "ops-1" in page.text_content("#actions")  # the audit names the logged-in operator
    assert "Hash chain verified" in page.text_content("#audit-status")
    product = httpx.get(f"{base}/api/v1/sites/{live['site']}/products/{live['product']}").json()
    assert live["offer"] not in {o["offer_id"] for o in product["offers"]}

    page.goto(f"{base}/seller/login")
    page.fill("input[name=token]", live["token"])
    page.click("#seller-login")
    page.wait_for_selector("#offers")
    page.click("#tab-enforcement")
    page.wait_for_selector(".enforcement-case")
    case = page.locator(".enforcement-case").first
    assert "Unauthorised reseller of a registered brand" in case.text_content()
    assert "deadline" in case.text_content()
    case.locator("textarea[name=statement]").fill("I buy this stock from the brand's distributor.")
    case.locator("button[type=submit]").click()
    page.wait_for_selector(".enforcement-case .filed")
    assert page.text_content(".enforcement-case .appeal-state").strip() == "filed"
    assert page.locator(".appeal-form").count() == 0
    assert page.errors == []
