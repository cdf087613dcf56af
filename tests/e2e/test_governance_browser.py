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
            "db": db,
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


def _appealed_case_acted_on_by_ops1(live) -> str:
    """A case against the follow-seller on which ops-1 took an action and the seller appealed."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine

    from tradewind.governance.audit import Actor, ActorKind
    from tradewind.governance.case import Case
    from tradewind.governance.scores import Detector, Evidence, Subject, SubjectKind
    from tradewind.governance.scores import score_from_evidence as score
    from tradewind.platform.db.uow import SqlUnitOfWork

    subject = Subject(SubjectKind.OFFER, live["offer"])
    evidence = [
        Evidence("unauthorised_seller", "not authorised by the brand", 0.5),
        Evidence("below_plausible_cost", "a quarter of the owner's price", 0.5),
    ]
    case = Case.open(
        f"case-e2e-four-eyes-{datetime.now(UTC).timestamp():.0f}",
        subject,
        live["seller"],
        (score(Detector.FOLLOW_SELL, subject, evidence),),
        rule_id="follow-sell",
        at=datetime.now(UTC),
        actor=Actor(ActorKind.SYSTEM, "rule:follow-sell"),
    )
    engine = create_engine(f"sqlite:///{live['db']}")
    with SqlUnitOfWork(engine) as tx:
        tx.cases.add(case)
        tx.commit()
    engine.dispose()
    base, cid = live["base"], case.case_id
    ops1 = {"Authorization": f"Bearer {live['operator_token']}"}
    acted = httpx.post(
        f"{base}/api/v1/ops/cases/{cid}/actions",
        json={"kind": "remove_reviews", "reason": "incentivised reviews"},
        headers=ops1,
    )
    assert acted.status_code == 201, acted.text
    filed = httpx.post(
        f"{base}/api/v1/seller/enforcement/{cid}/appeal",
        json={"statement": "These reviews are from real buyers."},
        headers={"Authorization": f"Bearer {live['token']}"},
    )
    assert filed.status_code == 201, filed.text
    return cid


def _not_csp(errors: list[str]) -> list[str]:
    """Console errors other than the ones a 4xx answer logs by design (the browser's 'Failed
    to load resource' and htmx's own log of the error event)."""
    expected = ("status of 4", "Response Status Error Code 4")
    return [e for e in errors if not any(x in e for x in expected)]


def test_ops_login_returns_to_the_case_and_a_refused_htmx_post_says_why(live, page):
    """Regression (issue items 7 and 13): logged out, a case link goes to the ops login, which
    returns to that case; the header names the operator and shows the ops links only then; the
    acting operator's appeal decision (four eyes) and a CSRF refusal show their message in the
    flash region instead of nothing; an unknown path is an HTML 404 page."""
    base = live["base"]
    cid = _appealed_case_acted_on_by_ops1(live)
    page.goto(f"{base}/ops/cases/{cid}")
    page.wait_for_selector("#operator-login")
    assert page.locator("#login-link").count() == 1
    assert page.locator("#nav-ops, #nav-cases").count() == 0  # no ops links logged out
    page.fill("input[name=token]", live["operator_token"])
    page.click("#operator-login")
    page.wait_for_selector("#case-panel")
    assert page.url == f"{base}/ops/cases/{cid}"  # back to the page that sent us to log in
    assert page.text_content("#session-operator").strip().endswith("ops-1")
    assert page.locator("#login-link").count() == 0
    assert page.locator("#nav-cases").count() == 1 and page.locator("#logout-operator").count() == 1
    assert "another operator must decide" in page.text_content("#four-eyes")
    assert page.is_hidden("#flash")

    page.fill("#decision-reason", "looks fine to me")
    page.click("#overturn")
    page.wait_for_selector("#flash:not([hidden])")
    message = page.text_content("#flash")
    assert "appeal_not_allowed" in message and "four eyes" in message, message
    assert page.get_attribute("#flash", "data-status") == "403"
    assert page.text_content("#appeal-state").strip() in ("filed", "under_review")

    # a problem+json refusal (CSRF) shows its title and detail too
    page.eval_on_selector('meta[name="csrf-token"]', "m => m.setAttribute('content', 'forged')")
    page.fill("#action-reason", "hold pending review")
    page.click("#act-remove_reviews")
    page.wait_for_function(
        "() => document.getElementById('flash').textContent.indexOf('Csrf failed') !== -1"
    )
    assert page.is_visible("#flash")

    answer = page.goto(f"{base}/no-such-page")
    assert answer.status == 404 and answer.headers["content-type"].startswith("text/html")
    assert "not_found" in page.text_content(".error")
    assert page.text_content("#session-operator").strip().endswith("ops-1")
    assert _not_csp(page.errors) == [], page.errors
