"""The edge under hostile input, on SQLite and PostgreSQL: every refusal is problem+json, bad
input changes nothing, demo conveniences stay off a plain server, the OpenAPI says it all."""

import time

import pytest
from sqlalchemy import event, func, select

from tests.integration.seed import make_shop
from tests.integration.web_client import CsrfClient
from tradewind.bootstrap import bootstrap
from tradewind.governance.adapters.operators import add_operator
from tradewind.platform.db import tables as t
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app
from tradewind.platform.web.pages_common import OPERATOR_COOKIE, SELLER_COOKIE

PROBLEM = "application/problem+json"
HEADER = "product_id,site_id,price,shipping,condition,channel,handling_days,quantity\n"


@pytest.fixture(scope="module")
def app(db_url, engine):
    return create_app(bootstrap(Settings(database_url=db_url), engine=engine))


@pytest.fixture()
def shop(engine):
    return make_shop(engine)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def offer_count(engine, seller_id):
    with engine.connect() as c:
        return c.execute(
            select(func.count()).select_from(t.offers).where(t.offers.c.seller_id == seller_id)
        ).scalar()


def assert_problem(r, status, code=None):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status and body["instance"] and body["type"].startswith("/problems/")
    if code:
        assert body["code"] == code, body
    return body


def test_nul_bytes_are_refused_everywhere_and_change_nothing(app, engine, shop):
    """NUL in a path, a query, a JSON body or a form is a 422 problem on both databases."""
    c = CsrfClient(app, raise_server_exceptions=False, follow_redirects=False)
    seller = bearer(shop.tokens[shop.sellers[0]])
    customer = bearer(shop.tokens[shop.customers[0]])
    before = offer_count(engine, shop.sellers[0])
    assert_problem(c.get(f"/api/v1/sites/{shop.site}/products", params={"q": "a\x00b"}), 422)
    assert_problem(c.get(f"/api/v1/sites/{shop.site}/products/p%00x"), 422)
    body = {"product_id": f"{shop.products[1]}\x00", "site_id": shop.site, "price_minor": 100}
    assert_problem(c.post("/api/v1/seller/offers", json=body, headers=seller), 422)
    lines = {"lines": [{"offer_id": "a\x00", "quantity": 1}]}
    r = c.post("/api/v1/checkout", json=lines, headers={**customer, "Idempotency-Key": "nul-1"})
    errors = assert_problem(r, 422, "validation_failed")["errors"]
    assert errors[0]["field"] == "body.lines.0.offer_id"
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    form = {"product_id": "x\x00", "site_id": shop.site, "price": "1.00"}
    assert_problem(c.post("/seller/offers", data=form), 422)
    assert offer_count(engine, shop.sellers[0]) == before


def test_numbers_past_the_stored_ranges_are_422_problems(app, engine, shop):
    """Offsets, quantities and prices past int4/int64, and orders whose total could pass
    bigint, are refused before the database sees them."""
    c = CsrfClient(app, raise_server_exceptions=False)
    seller = bearer(shop.tokens[shop.sellers[0]])
    operator = bearer(add_operator(engine, f"ops-n-{shop.tag}", "Numbers"))
    big = str(2**63)
    assert_problem(c.get(f"/api/v1/sites/{shop.site}/products", params={"offset": big}), 422)
    assert_problem(c.get("/api/v1/ops/cases", params={"offset": big}, headers=operator), 422)
    base = {"product_id": shop.products[1], "site_id": shop.site, "channel": "fbm"}
    for extra in ({"price_minor": 2**63}, {"price_minor": 100, "quantity": 2**31}):
        r = c.post("/api/v1/seller/offers", json={**base, **extra}, headers=seller)
        assert_problem(r, 422, "validation_failed")
    offer = shop.offers["a2"]
    r = c.patch(f"/api/v1/seller/offers/{offer}", json={"quantity": 2**31}, headers=seller)
    assert_problem(r, 422)
    lines = [{"offer_id": shop.offers["a1"], "quantity": 1}] * 101
    r = c.post(
        "/api/v1/checkout",
        json={"lines": lines},
        headers={**bearer(shop.tokens[shop.customers[0]]), "Idempotency-Key": "many-lines"},
    )
    assert_problem(r, 422)
    assert offer_count(engine, shop.sellers[0]) == 2


@pytest.mark.parametrize("currency", ["000", "XXX", "CO2", "xau"])
def test_an_ops_action_with_a_currency_that_is_not_iso_4217_is_422(app, engine, shop, currency):
    """A fine in currency '000' (or a metal, or letters that are no currency) is refused."""
    c = CsrfClient(app, raise_server_exceptions=False)
    operator = bearer(add_operator(engine, f"ops-c-{shop.tag}-{currency.lower()}", "Currency"))
    body = {"kind": "suppress_offer", "reason": "testing currency", "amount_minor": 100}
    r = c.post("/api/v1/ops/cases/case-x/actions", json={**body, "currency": currency},
               headers=operator)  # fmt: skip
    errors = assert_problem(r, 422, "validation_failed")["errors"]
    assert any(e["field"] == "body.currency" for e in errors)


def test_unexpected_errors_are_problem_500s_without_a_trace(app):
    """An exception no handler knows is a 500 problem that says nothing about the code."""
    fresh = create_app(app.state.container)

    @fresh.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals at /srv/tradewind")

    r = CsrfClient(fresh, raise_server_exceptions=False).get("/boom")
    body = assert_problem(r, 500, "internal_error")
    assert "secret" not in r.text and "Traceback" not in r.text and body["errors"] == []


def test_405_names_the_allowed_methods_and_large_bodies_are_413(app):
    """A wrong method gets ``Allow`` with every method of the path; a body over the limit is
    refused before it is read."""
    c = CsrfClient(app, raise_server_exceptions=False)
    r = c.put("/api/v1/seller/offers/x")
    assert_problem(r, 405, "method_not_allowed")
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "PATCH", "DELETE"}
    huge = b'{"quantity": 1, "x": "' + b"y" * (5 * 1024 * 1024) + b'"}'
    r = c.put("/api/v1/cart/lines/x", content=huge, headers={"content-type": "application/json"})
    assert_problem(r, 413, "payload_too_large")


def test_page_forms_and_csv_refuse_infinity_and_nan(app, engine, shop):
    """'Infinity', 'NaN' and exponents are not prices: a form error or a rejected row."""
    c = CsrfClient(app, raise_server_exceptions=False, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    for price in ("Infinity", "NaN", "1e400", "-5"):
        form = {"product_id": shop.products[1], "site_id": shop.site, "price": price}
        r = c.post("/seller/offers", data=form)
        assert r.status_code == 303 and "not+a+price" in r.headers["location"], r.text
        csv = HEADER + f"{shop.products[1]},{shop.site},{price},,new,fbm,1,1\n"
        r = c.post("/seller/upload", files={"file": ("o.csv", csv, "text/csv")})
        assert r.status_code == 422 and "not a price" in r.text and "nothing was applied" in r.text
    assert offer_count(engine, shop.sellers[1]) == 1


def test_csv_with_a_duplicated_header_is_refused(app, engine, shop):
    """A header naming ``price`` twice is refused whole (it used to take the last column)."""
    c = CsrfClient(app, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    csv = f"product_id,site_id,price,price,channel\n{shop.products[1]},{shop.site},3.00,999,fbm\n"
    r = c.post("/seller/upload", files={"file": ("o.csv", csv, "text/csv")})
    assert r.status_code == 422 and "price more than once" in r.text
    assert offer_count(engine, shop.sellers[1]) == 1


def test_an_oversized_csv_is_refused_before_any_row_is_checked(app, engine, shop):
    """5,001 rows are refused for the cost of reading the file: no per-row queries."""
    c = CsrfClient(app, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    csv = HEADER + f"{shop.products[1]},{shop.site},3.00,,new,fbm,1,1\n" * 5_001
    statements = []
    listen = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        started = time.perf_counter()
        r = c.post("/seller/upload", files={"file": ("o.csv", csv, "text/csv")})
        took = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert r.status_code == 422 and "at most 5000 rows" in r.text
    assert len(statements) < 20 and took < 5, (len(statements), took)
    assert offer_count(engine, shop.sellers[1]) == 1


def test_csv_applies_nothing_when_a_later_row_is_bad_and_lists_every_bad_row(app, engine, shop):
    """A good row, then negative stock, then an unknown product: 422, nothing applied, both
    bad rows reported with their line; the good file alone then applies in one go."""
    c = CsrfClient(app, follow_redirects=False)
    c.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[1]])
    good = f"{shop.products[1]},{shop.site},3.00,1.00,new,fbm,2,5\n"
    bad = good + f"{shop.products[0]},{shop.site},4.00,,used,fbm,1,-3\n"
    bad += f"nope-{shop.tag},{shop.site},4.00,,new,fbm,1,1\n"
    r = c.post("/seller/upload", files={"file": ("o.csv", HEADER + bad, "text/csv")})
    assert r.status_code == 422, r.text
    assert "2 row(s) rejected: nothing was applied" in r.text
    assert "row(s) applied" not in r.text and "were applied" not in r.text
    assert "<td>3</td>" in r.text and "<td>4</td>" in r.text and "quantity" in r.text
    assert offer_count(engine, shop.sellers[1]) == 1
    r = c.post("/seller/upload", files={"file": ("o.csv", HEADER + good, "text/csv")})
    assert r.status_code == 200 and "1 row(s) applied." in r.text
    assert offer_count(engine, shop.sellers[1]) == 2


def test_login_pages_list_no_tokens_unless_the_server_is_a_demo(app, tmp_path, monkeypatch):
    """``tradewind serve`` (demo off) lists no customer or operator token, even to loopback."""
    from tradewind.catalog.adapters import pages as shop
    from tradewind.governance.adapters import pages_cases as ops_cases

    creds = tmp_path / "demo_credentials.json"
    creds.write_text('{"cus-US-1": "tok-customer", "ops-1": "tok-operator"}')
    monkeypatch.setattr(shop, "DEMO_CREDENTIALS", creds)
    monkeypatch.setattr(ops_cases, "DEMO_CREDENTIALS", creds)
    c = CsrfClient(app)
    assert not app.state.container.settings.demo
    for path in ("/login", "/ops/login"):
        r = c.get(path)
        assert r.status_code == 200 and "tok-" not in r.text
    monkeypatch.setattr(app.state.container.settings, "demo", True)
    assert "tok-customer" in c.get("/login").text and "tok-operator" in c.get("/ops/login").text


def test_ops_console_answers_only_this_machine(app, engine, shop):
    """/ops, /ops/kpis and /ops/network.json refuse a remote client even with a session."""
    token = add_operator(engine, f"ops-r-{shop.tag}", "Remote")
    remote = CsrfClient(app, client=("203.0.113.9", 4000), follow_redirects=False)
    remote.cookies.set(OPERATOR_COOKIE, token)
    for path in ("/ops", "/ops/kpis", "/ops/network.json", "/ops/cases"):
        assert_problem(remote.get(path), 403, "forbidden")
    local = CsrfClient(app, follow_redirects=False)
    local.cookies.set(OPERATOR_COOKIE, token)
    assert local.get("/ops/network.json").status_code == 200


def test_serve_never_turns_demo_on(monkeypatch, tmp_path):
    """``tradewind serve`` builds its app with demo off, whatever the environment says."""
    from typer.testing import CliRunner
    from uvicorn.importer import import_from_string

    from tradewind.platform.cli import main
    from tradewind.platform.cli.main import app as cli
    from tradewind.platform.settings import get_settings

    seen = {}
    monkeypatch.setattr(main, "_supervise", lambda config: seen.update(vars(config)))
    monkeypatch.setenv("TRADEWIND_DEMO", "1")
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", "1", "--workers", "2"])
        # Each worker process builds the app from the factory serve names.
        assert seen["factory"] is True and seen["workers"] == 2
        built = import_from_string(seen["app"])()
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert built.state.container.settings.demo is False


def test_demo_serves_with_demo_on(fresh_db, monkeypatch):
    """``tradewind demo`` (and only it) builds its app with the demo conveniences on."""
    import uvicorn
    from typer.testing import CliRunner

    from tradewind.platform.cli.main import app as cli

    fresh_db("sqlite")
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.setdefault("app", app))
    result = CliRunner().invoke(cli, ["demo", "--no-simulate", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert seen["app"].state.container.settings.demo is True
