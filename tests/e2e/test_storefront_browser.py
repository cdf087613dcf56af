"""Storefront search and the API docs in a real browser (Debian's Chromium via Playwright).

A small built world (no simulation) served by uvicorn; each test records what the page asks
for where it matters.
"""

import os
import re
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.server import run_cli, serving
from tests.e2e.test_pages_browser import _ensure_chromium


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    _ensure_chromium()
    work = tmp_path_factory.mktemp("storefront")
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{work / 'live.db'}"}
    run_cli(work, env, "world", "build", "--seed", "5", "--products", "30")
    with serving(work, env) as base:
        yield base


def _site_and_product(base):
    for s in httpx.get(f"{base}/api/v1/sites").json():
        url = f"{base}/api/v1/sites/{s['site_id']}/products"
        found = httpx.get(url, params={"limit": 1}).json()["data"]
        if found:
            return s["site_id"], found[0]
    pytest.fail("no site with products")


def test_product_link_from_search_results_opens_the_whole_product_page(live, page):
    """Defect 1: the title link in HTMX-swapped results navigates the page; it does not nest a
    second page (header, search bar, footer) inside #results."""
    site, product = _site_and_product(live)
    page.goto(f"{live}/?site={site}")
    word = product["title"].split()[0]
    page.fill("#q", word)
    page.press("#q", "Enter")  # results arrive by HTMX into #results
    page.wait_for_url(re.compile(r"[?&]q="))  # hx-push-url: the swap is done
    page.locator("#results a.title").first.wait_for()
    href = page.locator("#results a.title").first.get_attribute("href")
    page.locator("#results a.title").first.click()
    page.wait_for_url(f"{live}{href}")
    page.wait_for_selector("text=Why this offer wins the buy box")
    assert page.locator("header").count() == 1
    assert page.locator("form#search").count() == 0
    assert page.locator("footer").count() <= 1
    assert urlsplit(page.url).path == href and href.startswith(f"/p/{site}/")


def test_over_long_search_shows_a_message_not_stale_results(live, page):
    """Defect 6: a 201-character search replaces the results with a message (HTMX), and the
    same URL opened as a page shows the message too, not JSON."""
    site, _ = _site_and_product(live)
    page.goto(f"{live}/?site={site}")
    page.locator("#results a.title").first.wait_for()
    page.fill("#q", "k" * 201)
    page.press("#q", "Enter")
    page.wait_for_selector("#query-error")
    assert "too long" in page.inner_text("#query-error")
    assert page.locator("#results a.title").count() == 0
    page.reload()
    assert "too long" in page.inner_text("#query-error")
    assert page.locator("header").count() == 1
    assert not page.errors or all("400" in e for e in page.errors), page.errors


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/docs", ".swagger-ui .opblock"),
        ("/redoc", "[data-section-id^='operation/'], [id^='operation/']"),
    ],
)
def test_api_docs_render_offline(live, page, path, ready):
    """Defect 3: Swagger UI and ReDoc are vendored: the pages render operations, every request
    stays on 127.0.0.1, and the CSP (no CDN) has nothing to block."""
    page.goto(f"{live}{path}")
    page.wait_for_selector(ready, timeout=30_000)
    assert page.locator(ready).count() > 5
    hosts = {urlsplit(u).hostname for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, page.requests
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
