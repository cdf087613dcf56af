"""The browser fixtures the page tests share: Debian's Chromium through Playwright, and a page
that records its console errors and every URL it requests. Each test module provides ``live``
(its server), which the browser waits for."""

import pytest

from tests.e2e.test_pages_browser import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser(live):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.errors = []
    p.requests = []
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("request", lambda r: p.requests.append(r.url))
    yield p
    context.close()
