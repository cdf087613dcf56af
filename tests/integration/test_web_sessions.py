"""Who the header says is logged in, where the ops login returns to (and where it refuses to),
HTML 404 pages for unknown page paths, and the four-eyes refusal said on the case page; on
SQLite and PostgreSQL."""

import secrets
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import insert, update

from tests.integration.web_client import CsrfClient, client_as, indexed_shop, web_app
from tradewind.catalog.adapters.search.catalog_index import reindex_products
from tradewind.governance.adapters.operators import add_operator
from tradewind.governance.adapters.scan import scan
from tradewind.platform.db import tables as t
from tradewind.platform.web.pages_common import (
    OPERATOR_COOKIE,
    SELLER_COOKIE,
    SHOPPER_COOKIE,
    safe_next,
)
from tradewind.shared.clock import FixedClock

PROBLEM = "application/problem+json"
HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def app(db_url, engine, tmp_path_factory):
    # no login rate limit here: these tests log in many times from the one test client
    return web_app(db_url, engine, tmp_path_factory.mktemp("search"), login_rate_limit=0)


@pytest.fixture(scope="module")
def operators(engine):
    tag = secrets.token_hex(3)
    ids = (f"op-a-{tag}", f"op-b-{tag}")
    return {oid: add_operator(engine, oid, f"Operator {oid}") for oid in ids}


@pytest.fixture()
def shop(app, engine):
    return indexed_shop(app, engine)


client = client_as


def header(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>", 1)[0]


# -- the header ------------------------------------------------------------------------------


def test_header_without_a_session_offers_log_in_and_no_ops_links(app, shop):
    top = header(client(app).get("/", params={"site": shop.site}).text)
    assert 'id="login-link"' in top
    assert "/ops" not in top and "session-" not in top


def test_header_names_the_shopper_and_hides_ops_links(app, shop):
    cm = shop.customers[0]
    top = header(client(app, SHOPPER_COOKIE, shop.tokens[cm]).get("/cart").text)
    assert 'id="session-shopper"' in top and cm in top and 'id="logout-shopper"' in top
    assert 'id="login-link"' not in top
    assert 'href="/ops' not in top  # a shopper sees no operations links


def test_header_names_the_seller_with_a_log_out_on_every_page(app, shop):
    """Regression: logged in to Seller Central, the storefront header still said 'Log in'."""
    sa = shop.sellers[0]
    c = client(app, SELLER_COOKIE, shop.tokens[sa])
    for path in ("/", "/seller"):
        top = header(c.get(path, params={"site": shop.site}).text)
        assert 'id="session-seller"' in top and sa in top, path
        assert 'action="/seller/logout"' in top and 'id="login-link"' not in top, path
        assert 'href="/ops' not in top, path


def test_header_names_the_operator_and_shows_ops_links_only_then(app, shop, operators):
    op, token = next(iter(operators.items()))
    c = client(app, OPERATOR_COOKIE, token)
    for path in ("/", "/ops/cases"):
        top = header(c.get(path).text)
        assert 'id="session-operator"' in top and op in top, path
        assert 'action="/ops/logout"' in top and 'id="login-link"' not in top, path
        assert 'href="/ops/cases"' in top and 'href="/ops"' in top, path
    # a seller's token in the operator cookie is no operator session
    seller = client(app, OPERATOR_COOKIE, shop.tokens[shop.sellers[0]])
    top = header(seller.get("/").text)
    assert 'href="/ops' not in top and 'id="login-link"' in top


# -- the ops login returns to the page asked for -----------------------------------------------


def test_ops_login_returns_to_the_page_that_sent_you_there(app, operators):
    """Regression: the ops login always went to /ops/cases."""
    token = next(iter(operators.values()))
    c = client(app)
    asked = "/ops/test-buys"
    sent = c.get(asked)
    assert sent.status_code == 303
    where = urlsplit(sent.headers["location"])
    assert where.path == "/ops/login" and parse_qs(where.query)["next"] == [asked]
    form = c.get(sent.headers["location"])
    assert f'name="next" value="{asked}"' in form.text
    login = c.post("/ops/login", data={"token": token, "next": asked})
    assert login.status_code == 303 and login.headers["location"] == asked
    assert c.get(asked).status_code == 200
    # a query string survives the round trip
    c2 = client(app)
    deep = "/ops/cases?status=open&detector=follow_sell"
    sent = c2.get(deep)
    back = parse_qs(urlsplit(sent.headers["location"]).query)["next"][0]
    assert back == deep
    assert c2.post("/ops/login", data={"token": token, "next": back}).headers["location"] == deep
    # no next: the case queue, as before
    assert client(app).post("/ops/login", data={"token": token}).headers["location"] == (
        "/ops/cases"
    )


def test_a_wrong_token_keeps_the_next_for_the_second_try(app):
    r = client(app).post("/ops/login", data={"token": "nope", "next": "/ops/test-buys"})
    where = urlsplit(r.headers["location"])
    assert where.path == "/ops/login" and parse_qs(where.query)["next"] == ["/ops/test-buys"]


EVIL = [
    "https://evil.example/ops/cases",
    "//evil.example/ops/cases",
    "/\\evil.example/ops",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "ops/cases",
    "http:/ops",
    "",
]


@pytest.mark.parametrize("bad", EVIL)
def test_safe_next_refuses_anything_but_a_same_site_relative_path(bad):
    assert safe_next(bad) is None


def test_safe_next_keeps_a_relative_path_and_its_query():
    assert safe_next("/ops/cases?status=open") == "/ops/cases?status=open"


def test_ops_login_is_no_open_redirect(app, operators):
    """A next pointing off-site (or anything not a plain relative path) is ignored, on the
    login form and on the login itself."""
    token = next(iter(operators.values()))
    for bad in EVIL:
        if bad:
            form = client(app).get("/ops/login", params={"next": bad})
            assert form.status_code == 200 and 'name="next"' not in form.text, bad
        r = client(app).post("/ops/login", data={"token": token, "next": bad})
        assert r.status_code == 303 and r.headers["location"] == "/ops/cases", bad
        failed = client(app).post("/ops/login", data={"token": "nope", "next": bad})
        assert "evil" not in failed.headers["location"], bad


# -- 404 -------------------------------------------------------------------------------------


def test_an_unknown_page_path_is_an_html_404_page_and_the_api_keeps_problem_json(app, shop):
    """Regression: /no-such-page answered problem+json."""
    page = client(app).get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<header" in page.text and "not_found" in page.text
    assert "content-security-policy" in page.headers
    partial = client(app).get("/ops/nowhere/at/all", headers=HX)
    assert partial.status_code == 404 and partial.text.lstrip().startswith('<div class="error"')
    for path in ("/api/v1/nope", "/api", "/static/nope.css"):
        r = client(app).get(path)
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM, path
        assert r.json()["code"] == "not_found", path
    # a page's own 404 (an unknown product) is still a page with its own code
    own = client(app).get(f"/p/{shop.site}/nope")
    assert own.status_code == 404 and own.headers["content-type"].startswith("text/html")


# -- four eyes, said on the page ---------------------------------------------------------------


def test_an_appeal_decided_by_the_acting_operator_says_why_on_the_page(
    app, engine, operators, shop
):
    """Regression: the decision by the operator who acted answered a silent 403 (HTMX swaps
    nothing on an error). The page warns beforehand, and the refusal names the four-eyes rule
    (the HTMX partial app.js shows, and the plain form's error page)."""
    _, sb = shop.sellers
    with engine.begin() as c:
        c.execute(
            update(t.offers).where(t.offers.c.offer_id == shop.offers["b1"]).values(price_minor=900)
        )
    reindex_products(engine, app.state.container.search(), shop.products)
    scan(engine, FixedClock(datetime.now(UTC)))
    (_op_a, tok_a), (op_b, tok_b) = list(operators.items())
    api = CsrfClient(app)
    cases = api.get(
        "/api/v1/ops/cases", params={"limit": 500}, headers={"Authorization": f"Bearer {tok_a}"}
    ).json()["data"]
    [cid] = [r["case_id"] for r in cases if r["subject"] == f"offer:{shop.offers['b1']}"]
    a = client(app)
    a.post("/ops/login", data={"token": tok_a})
    acted = a.post(
        f"/ops/cases/{cid}/actions",
        data={"kind": "remove_reviews", "reason": "incentivised reviews"},
        headers=HX,
    )
    assert acted.status_code == 200
    filed = api.post(
        f"/api/v1/seller/enforcement/{cid}/appeal",
        json={"statement": "Invoices from the brand attached"},
        headers={"Authorization": f"Bearer {shop.tokens[sb]}"},
    )
    assert filed.status_code == 201, filed.text
    panel = a.get(f"/ops/cases/{cid}")
    assert 'id="four-eyes"' in panel.text and "another operator must decide" in panel.text
    refused = a.post(
        f"/ops/cases/{cid}/appeal", data={"decision": "overturn", "reason": "fine"}, headers=HX
    )
    assert refused.status_code == 403
    assert "appeal_not_allowed" in refused.text and "four eyes" in refused.text
    plain = a.post(f"/ops/cases/{cid}/appeal", data={"decision": "overturn", "reason": "fine"})
    assert plain.status_code == 403 and "<header" in plain.text and "four eyes" in plain.text
    b = client(app)
    b.post("/ops/login", data={"token": tok_b})
    assert 'id="four-eyes"' not in b.get(f"/ops/cases/{cid}").text
    ok = b.post(
        f"/ops/cases/{cid}/appeal", data={"decision": "uphold", "reason": "upheld"}, headers=HX
    )
    assert ok.status_code == 200 and op_b in ok.text


def test_hold_funds_from_the_case_page_holds_every_currency(app, engine, operators, shop):
    """The one-click hold on the case page holds the seller's balance in each currency."""
    _, sb = shop.sellers
    with engine.begin() as c:
        c.execute(
            update(t.offers).where(t.offers.c.offer_id == shop.offers["b1"]).values(price_minor=900)
        )
        c.execute(
            insert(t.ledger_entries),
            [
                {
                    "txn_id": f"sale-{shop.tag}-{cur}",
                    "reference": f"o-{cur}",
                    "account": acct,
                    "seller_id": who,
                    "amount_minor": sign * amt,
                    "currency": cur,
                    "created_at": datetime.now(UTC),
                }
                for cur, amt in (("USD", 4200), ("EUR", 1300))
                for acct, who, sign in (("psp:clearing", None, 1), (f"seller:{sb}:payable", sb, -1))
            ],
        )
    scan(engine, FixedClock(datetime.now(UTC)))
    tok_a = next(iter(operators.values()))
    cases = (
        CsrfClient(app)
        .get(
            "/api/v1/ops/cases",
            params={"limit": 500},
            headers={"Authorization": f"Bearer {tok_a}"},
        )
        .json()["data"]
    )
    [cid] = [r["case_id"] for r in cases if r["subject"] == f"offer:{shop.offers['b1']}"]
    a = client(app)
    a.post("/ops/login", data={"token": tok_a})
    r = a.post(
        f"/ops/cases/{cid}/actions", data={"kind": "hold_funds", "reason": "hold"}, headers=HX
    )
    assert r.status_code == 200
    case = (
        CsrfClient(app)
        .get(f"/api/v1/ops/cases/{cid}", headers={"Authorization": f"Bearer {tok_a}"})
        .json()
    )
    held = sorted(
        (x["amount"]["currency"], x["amount"]["amount"])
        for x in case["actions"]
        if x["kind"] == "hold_funds"
    )
    assert held == [("EUR", 1300), ("USD", 4200)]
