"""Browser-facing security on SQLite and PostgreSQL: CSRF on every cookie-authenticated write,
cookie flags, the Content-Security-Policy and friends, rate limits on login and checkout, and
the upload size limit on the CSV form."""

import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.seed import make_shop
from tests.integration.web_client import CsrfClient
from tradewind.bootstrap import bootstrap
from tradewind.platform.db import tables as t
from tradewind.platform.settings import Settings
from tradewind.platform.web import csrf
from tradewind.platform.web.app import create_app
from tradewind.platform.web.pages_common import (
    SELLER_COOKIE,
    SHOPPER_COOKIE,
    WEB_DIR,
)
from tradewind.platform.web.problems import api_routes

PROBLEM = "application/problem+json"
HX = {"HX-Request": "true"}


def make_app(db_url, engine, **settings):
    return create_app(bootstrap(Settings(database_url=db_url, **settings), engine=engine))


@pytest.fixture(scope="module")
def app(db_url, engine):
    return make_app(db_url, engine)


@pytest.fixture()
def shop(engine):
    return make_shop(engine)


def price_of(engine, offer_id):
    with engine.connect() as c:
        return c.execute(
            select(t.offers.c.price_minor).where(t.offers.c.offer_id == offer_id)
        ).one()[0]


def offer_count(engine, seller_id):
    with engine.connect() as c:
        return len(c.execute(select(t.offers).where(t.offers.c.seller_id == seller_id)).all())


def order_count(engine, customer_id):
    with engine.connect() as c:
        return len(c.execute(select(t.orders).where(t.orders.c.customer_id == customer_id)).all())


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def assert_problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    assert r.json()["code"] == code, r.json()


# --- CSRF ---------------------------------------------------------------------------------


def test_every_page_write_without_a_token_is_refused(app, shop):
    """Every unsafe page route (all routers, not a list kept by hand) answers 403 csrf_failed
    to a logged-in browser that sends no token: HTMX gets problem+json, a form the error page."""
    c = TestClient(app, follow_redirects=False)
    c.get("/login")  # the browser holds a nonce, as after any page view
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    c.cookies.set(SHOPPER_COOKIE, shop.tokens[shop.customers[0]])
    checked = []
    for route in api_routes(app.routes):
        if route.path_format.startswith("/api/"):
            continue
        for method in set(route.methods or ()) & csrf.UNSAFE:
            url = re.sub(r"\{[^}]+\}", "x", route.path_format)
            assert_problem(c.request(method, url, data={"a": "1"}, headers=HX), 403, "csrf_failed")
            page = c.request(method, url, data={"a": "1"})
            assert page.status_code == 403 and "csrf_failed" in page.text
            assert page.headers["content-type"].startswith("text/html")
            checked.append(f"{method} {url}")
    assert len(checked) >= 15 and "POST /checkout" in checked and "POST /login" in checked


def test_a_forged_form_changes_nothing_and_the_rendered_form_works(app, engine, shop):
    """A post with no token, a made-up token, or the token of another seller's session leaves
    the price as it was; the token the page rendered into the form saves it."""
    offer = shop.offers["a1"]
    mine = TestClient(app, follow_redirects=False)
    mine.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    form_html = mine.get(f"/seller/offers/{offer}").text
    token = hidden(form_html, "csrf_token")
    version = hidden(form_html, "expected_version")
    assert f'<meta name="csrf-token" content="{token}">' in form_html
    before = price_of(engine, offer)
    form = {"price": "77.00", "expected_version": version}
    assert mine.post(f"/seller/offers/{offer}", data=form).status_code == 403
    assert (
        mine.post(f"/seller/offers/{offer}", data={**form, "csrf_token": "0" * 64}).status_code
        == 403
    )
    other = TestClient(app, follow_redirects=False)
    other.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    other.get("/seller")
    other_token = hidden(other.get("/seller/offers/new").text, "csrf_token")
    forged = {**form, "csrf_token": other_token}
    assert mine.post(f"/seller/offers/{offer}", data=forged).status_code == 403
    assert price_of(engine, offer) == before
    r = mine.post(f"/seller/offers/{offer}", data={**form, "csrf_token": token})
    assert r.status_code == 303 and "saved" in r.headers["location"], r.text
    assert price_of(engine, offer) == 7700


def test_htmx_sends_the_token_as_a_header(app, engine, shop):
    """The header the base template's meta tag feeds (app.js) is accepted for an HTMX write."""
    offer = shop.offers["a1"]
    c = TestClient(app, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    page = c.get("/seller").text
    token = re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', page).group(1)
    form = {"price": "8.00", "expected_version": "1"}
    r = c.post(f"/seller/offers/{offer}", data=form, headers={**HX, "X-CSRF-Token": token})
    assert r.status_code == 200 and f'id="row-{offer}"' in r.text
    assert price_of(engine, offer) == 800
    static = (WEB_DIR / "static" / "js" / "app.js").read_text()
    assert "htmx:configRequest" in static and "X-CSRF-Token" in static


def test_login_needs_the_nonce_of_this_browser(app, shop):
    """A cross-site login post carries no (SameSite) nonce cookie: refused, no session set;
    the login page's form logs in, with an HttpOnly, SameSite=Lax nonce cookie."""
    token = shop.tokens[shop.customers[0]]
    cold = TestClient(app, follow_redirects=False)
    r = cold.post("/login", data={"token": token, "csrf_token": "x" * 64})
    assert r.status_code == 403 and SHOPPER_COOKIE not in r.headers.get("set-cookie", "")
    page = cold.get("/login")
    nonce_cookie = page.headers["set-cookie"]
    assert nonce_cookie.startswith(f"{csrf.CSRF_COOKIE}=")
    assert "HttpOnly" in nonce_cookie and "SameSite=lax" in nonce_cookie
    r = cold.post("/login", data={"token": token, "csrf_token": hidden(page.text, "csrf_token")})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_csv_upload_form_carries_its_token_in_the_multipart_body(app, engine, shop):
    """The upload form posts multipart: the hidden field is read from it; without it, 403 and
    no offer is created."""
    c = TestClient(app, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    token = hidden(c.get("/seller/upload").text, "csrf_token")
    csv_text = "product_id,site_id,price,channel,quantity\n"
    csv_text += f"{shop.products[1]},{shop.site},3.00,fbm,2\n"
    files = {"file": ("o.csv", csv_text, "text/csv")}
    assert c.post("/seller/upload", files=files).status_code == 403
    assert offer_count(engine, shop.sellers[1]) == 1
    r = c.post("/seller/upload", files=files, data={"csrf_token": token})
    assert r.status_code == 200 and "1 row(s) applied." in r.text
    assert offer_count(engine, shop.sellers[1]) == 2


def test_the_bearer_api_needs_no_csrf_token(app, shop):
    """``/api/v1`` reads only ``Authorization``: a write there works without any CSRF token,
    and a session cookie alone does not authenticate it."""
    c = TestClient(app)
    c.cookies.set(SHOPPER_COOKIE, shop.tokens[shop.customers[0]])
    line = {"offer_id": shop.offers["a2"], "quantity": 1}
    assert c.put(f"/api/v1/cart/lines/{shop.offers['a2']}", json=line).status_code == 401
    bearer = {"Authorization": f"Bearer {shop.tokens[shop.customers[0]]}"}
    r = c.put(f"/api/v1/cart/lines/{shop.offers['a2']}", json={"quantity": 1}, headers=bearer)
    assert r.status_code in (200, 201, 204), r.text


# --- cookies and headers ------------------------------------------------------------------


def test_session_cookies_are_http_only_lax_and_secure_over_https(db_url, engine, app, shop):
    """Plain http: HttpOnly + SameSite=Lax, not Secure; https (or the setting): Secure too."""
    token = shop.tokens[shop.sellers[0]]
    plain = CsrfClient(app, follow_redirects=False).post("/seller/login", data={"token": token})
    cookie = plain.headers["set-cookie"]
    assert cookie.startswith(f"{SELLER_COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie and "Secure" not in cookie
    tls = CsrfClient(app, base_url="https://testserver", follow_redirects=False)
    assert "Secure" in tls.post("/seller/login", data={"token": token}).headers["set-cookie"]
    assert "Secure" in TestClient(app, base_url="https://testserver").get("/").headers["set-cookie"]
    forced = CsrfClient(make_app(db_url, engine, secure_cookies=True), follow_redirects=False)
    assert "Secure" in forced.post("/seller/login", data={"token": token}).headers["set-cookie"]


def test_every_answer_carries_the_security_headers(app, shop):
    """Pages, API answers, problems and middleware refusals all get CSP 'self', nosniff, a
    referrer policy and no framing; /docs too (Swagger UI is vendored), and /redoc adds only
    inline styles (ReDoc's styled-components), never a CDN or inline script."""
    c = TestClient(app, follow_redirects=False)
    answers = [
        c.get("/"),
        c.get(f"/api/v1/sites/{shop.site}/products"),
        c.get("/api/v1/nope"),
        c.post("/cart/add", data={}),  # CSRF refusal
        c.get("/static/js/app.js"),
        c.get("/docs"),
    ]
    for r in answers:
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, r.url
        assert "script-src 'self';" in csp and "unsafe" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
    assert answers[-1].status_code == 200
    redoc = c.get("/redoc")
    csp = redoc.headers["content-security-policy"]
    assert redoc.status_code == 200 and "http" not in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp and "style-src 'self' 'unsafe-inline';" in csp


def test_templates_hold_no_inline_script_or_style():
    """What the CSP would block: inline <script> (JSON data blocks aside), on* handlers, style
    attributes and <style> elements appear in no template."""
    for path in (WEB_DIR / "templates").rglob("*.html"):
        html = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path
        assert not re.search(r"\sstyle=|<style", html), path


def test_every_post_form_carries_the_token_field():
    """Each ``method="post"`` form in the templates has the hidden csrf_token field first."""
    field = '<input type="hidden" name="csrf_token" value="{{ csrf_token }}">'
    forms = 0
    for path in (WEB_DIR / "templates").rglob("*.html"):
        html = path.read_text()
        for m in re.finditer(r'<form\b[^>]*method="post"[^>]*>', html, flags=re.S):
            forms += 1
            assert html[m.end() : m.end() + len(field)] == field, (path, m.group(0))
    assert forms >= 20


# --- rate limits --------------------------------------------------------------------------


def test_login_is_rate_limited_per_client_ip(db_url, engine, shop):
    """Two logins a minute per IP (set here): the third is 429 with Retry-After, on every login
    form together; another IP still logs in."""
    limited = make_app(db_url, engine, login_rate_limit=2, login_rate_window_s=60)
    c = CsrfClient(limited, follow_redirects=False)
    token = shop.tokens[shop.sellers[0]]
    assert c.post("/seller/login", data={"token": token}).status_code == 303
    assert c.post("/login", data={"token": "wrong"}).status_code == 303
    r = c.post("/ops/login", data={"token": token}, headers=HX)
    assert_problem(r, 429, "rate_limited")
    assert 55 <= int(r.headers["retry-after"]) <= 60
    page = c.post("/seller/login", data={"token": token})
    assert page.status_code == 429 and "rate_limited" in page.text and page.headers["retry-after"]
    assert SELLER_COOKIE not in page.headers.get("set-cookie", "")
    other = CsrfClient(limited, client=("198.51.100.7", 5000), follow_redirects=False)
    assert other.post("/seller/login", data={"token": token}).status_code == 303


def test_checkout_is_rate_limited_per_customer_on_the_api_and_the_page(db_url, engine, shop):
    """Two checkouts a minute per customer (set here), the API and the page sharing one budget:
    the third is 429 with Retry-After and places no order; another customer still checks out."""
    limited = make_app(db_url, engine, checkout_rate_limit=2, checkout_rate_window_s=60)
    c = CsrfClient(limited, follow_redirects=False)

    def api(customer):
        headers = {
            "Authorization": f"Bearer {shop.tokens[customer]}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        body = {"lines": [{"offer_id": shop.offers["a2"], "quantity": 1}]}
        return c.post("/api/v1/checkout", json=body, headers=headers)

    member = shop.customers[0]
    assert api(member).status_code == 201
    c.cookies.set(SHOPPER_COOKIE, shop.tokens[member])
    form = {"idempotency_key": uuid.uuid4().hex, "lines": f"{shop.offers['a2']}:1"}
    assert c.post("/checkout", data=form).status_code == 303
    r = api(member)
    assert_problem(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    again = {**form, "idempotency_key": uuid.uuid4().hex}
    assert c.post("/checkout", data=again).status_code == 429
    assert order_count(engine, member) == 2
    assert api(shop.customers[1]).status_code == 201


def test_limits_default_on_and_zero_turns_them_off(db_url, engine, shop):
    """The defaults are on (documented numbers); 0 turns a limit off."""
    s = Settings(database_url=db_url)
    assert (s.login_rate_limit, s.login_rate_window_s) == (10, 60)
    assert (s.checkout_rate_limit, s.checkout_rate_window_s) == (20, 60)
    off = CsrfClient(make_app(db_url, engine, login_rate_limit=0), follow_redirects=False)
    for _ in range(12):
        assert off.post("/login", data={"token": "wrong"}).status_code == 303


# --- upload size --------------------------------------------------------------------------


def test_a_csv_upload_past_the_body_limit_is_413_and_applies_nothing(db_url, engine, shop):
    """The input guard covers the multipart CSV form: over ``max_request_bytes`` it is 413
    whether the size is announced (Content-Length) or only streamed (chunked), token in the
    body or in the header; between the file limit (2 MB) and that, the page's own 413."""
    small = make_app(db_url, engine, max_request_bytes=1024 * 1024)
    c = CsrfClient(small, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    row = f"{shop.products[1]},{shop.site},3.00,,new,fbm,1,1\n"
    big = "product_id,site_id,price,shipping,condition,channel,handling_days,quantity\n"
    big += row * (2 * 1024 * 1024 // len(row))
    r = c.post("/seller/upload", files={"file": ("o.csv", big, "text/csv")})
    assert_problem(r, 413, "payload_too_large")
    boundary = "tw-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{c.csrf_token()}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="o.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n{big}\r\n--{boundary}--\r\n"
    ).encode()

    def chunks():
        for i in range(0, len(body), 64 * 1024):
            yield body[i : i + 64 * 1024]

    plain = TestClient(small, follow_redirects=False)
    plain.cookies = c.cookies
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    r = plain.post("/seller/upload", content=chunks(), headers=headers)
    assert "content-length" not in r.request.headers
    assert_problem(r, 413, "payload_too_large")
    assert offer_count(engine, shop.sellers[1]) == 1
    roomy = CsrfClient(make_app(db_url, engine), follow_redirects=False)
    roomy.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    page = roomy.post("/seller/upload", files={"file": ("o.csv", big, "text/csv")})
    assert page.status_code == 413 and "file_too_large" in page.text
