"""Case queue and seller enforcement over HTTP (API and pages), on SQLite and PostgreSQL."""

import secrets
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from tests.integration.seed import make_shop
from tests.integration.web_client import CsrfClient, web_app
from tradewind.catalog.adapters.search.catalog_index import reindex_products
from tradewind.governance.adapters.operators import add_operator
from tradewind.governance.adapters.scan import scan
from tradewind.platform.db import tables as t
from tradewind.platform.web.pages_common import SELLER_COOKIE
from tradewind.shared.clock import FixedClock

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def app(db_url, engine, tmp_path_factory):
    return web_app(db_url, engine, tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="module")
def operators(engine):
    """Two operators of the case queue (four eyes): id -> bearer token."""
    tag = secrets.token_hex(3)
    ids = (f"op-a-{tag}", f"op-b-{tag}")
    return {oid: add_operator(engine, oid, f"Operator {oid}") for oid in ids}


@pytest.fixture()
def client(app, operators):
    """A client whose requests carry the first operator's token unless told otherwise."""
    c = CsrfClient(app, follow_redirects=False)
    c.headers["Authorization"] = f"Bearer {next(iter(operators.values()))}"
    return c


def as_operator(operators, n):
    oid = list(operators)[n]
    return oid, {"Authorization": f"Bearer {operators[oid]}"}


@pytest.fixture()
def case(app, engine, operators):
    """A shop where seller B undercuts brand owner A below plausible cost, scanned: one
    follow-sell case against B with its automatic suppression."""
    shop = make_shop(engine)
    with engine.begin() as c:
        c.execute(
            update(t.offers).where(t.offers.c.offer_id == shop.offers["b1"]).values(price_minor=900)
        )
    reindex_products(engine, app.state.container.search(), shop.products)
    scan(engine, FixedClock(datetime.now(UTC)))
    found = [
        r
        for r in CsrfClient(app)
        .get("/api/v1/ops/cases", params={"limit": 500}, headers=as_operator(operators, 0)[1])
        .json()["data"]
        if r["subject"] == f"offer:{shop.offers['b1']}"
    ]
    assert len(found) == 1
    return shop, found[0]["case_id"]


def bearer(shop, who):
    return {"Authorization": f"Bearer {shop.tokens[who]}"}


def test_queue_filters_and_a_case_shows_evidence_and_a_verified_trail(client, case):
    """GET /ops/cases filters by status and detector; a case lists evidence and its audit."""
    shop, cid = case
    by_detector = client.get("/api/v1/ops/cases", params={"detector": "follow_sell", "limit": 500})
    assert cid in {r["case_id"] for r in by_detector.json()["data"]}
    none = client.get("/api/v1/ops/cases", params={"detector": "tax_id", "status": "actioned"})
    assert cid not in {r["case_id"] for r in none.json()["data"]}
    body = client.get(f"/api/v1/ops/cases/{cid}").json()
    assert body["respondent"] == shop.sellers[1] and body["status"] == "actioned"
    codes = {e["code"] for e in body["scores"][0]["evidence"]}
    assert {"unauthorised_seller", "below_plausible_cost"} <= codes
    assert body["audit_verified"] is True and len(body["audit"]) == 2
    missing = client.get("/api/v1/ops/cases/case-nope")
    assert missing.status_code == 404 and missing.json()["code"] == "case_not_found"
    assert missing.headers["content-type"] == PROBLEM


def test_seller_sees_only_their_own_enforcement_and_appeals_it(client, case):
    """B sees the case and appeals; A sees nothing of it and cannot appeal it (404)."""
    shop, cid = case
    sa, sb = shop.sellers
    mine = client.get("/api/v1/seller/enforcement", headers=bearer(shop, sb)).json()
    assert [c["case_id"] for c in mine["data"]] == [cid]
    assert mine["data"][0]["actions"][0]["kind"] == "suppress_offer"
    assert mine["data"][0]["appeal"]["can_appeal"] is True
    theirs = client.get("/api/v1/seller/enforcement", headers=bearer(shop, sa)).json()
    assert cid not in {c["case_id"] for c in theirs["data"]}
    peek = client.get(f"/api/v1/seller/enforcement/{cid}", headers=bearer(shop, sa))
    assert peek.status_code == 404 and peek.json()["code"] == "case_not_found"
    steal = client.post(
        f"/api/v1/seller/enforcement/{cid}/appeal",
        json={"statement": "not my case but let me try"},
        headers=bearer(shop, sa),
    )
    assert steal.status_code == 404 and steal.json()["code"] == "case_not_found"
    anon = CsrfClient(client.app).get("/api/v1/seller/enforcement")
    assert anon.status_code == 401 and anon.json()["code"] == "unauthorized"
    filed = client.post(
        f"/api/v1/seller/enforcement/{cid}/appeal",
        json={"statement": "I bought this stock from the brand's distributor"},
        headers=bearer(shop, sb),
    )
    assert filed.status_code == 201 and filed.json()["appeal"]["state"] == "filed"
    twice = client.post(
        f"/api/v1/seller/enforcement/{cid}/appeal",
        json={"statement": "again, with feeling please"},
        headers=bearer(shop, sb),
    )
    assert twice.status_code == 409 and twice.json()["code"] == "invalid_appeal_transition"


def test_ops_api_needs_an_operator_token(client, case):
    """No token: 401; a seller's or customer's token: 403; the queue and actions alike."""
    shop, cid = case
    anon = CsrfClient(client.app)
    for r in (
        anon.get("/api/v1/ops/cases"),
        anon.post(f"/api/v1/ops/cases/{cid}/dismiss", json={"reason": "nope nope"}),
    ):
        assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    for who in (shop.sellers[0], shop.customers[0]):
        r = anon.get(f"/api/v1/ops/cases/{cid}", headers=bearer(shop, who))
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    old = client.post(  # the operator is who the token says, not a field of the request
        f"/api/v1/ops/cases/{cid}/dismiss", json={"reason": "fine fine", "operator": "boss"}
    )
    assert old.status_code == 422


def test_operator_action_takes_effect_and_an_overturned_appeal_restores(client, case, operators):
    """Suspend B through the API: B's offers vanish from the product page; B appeals; the
    acting operator may not decide (four eyes); another overturns and B is back."""
    shop, cid = case
    _, sb = shop.sellers
    p1 = f"/api/v1/sites/{shop.site}/products/{shop.products[0]}"
    bad = client.post(f"/api/v1/ops/cases/{cid}/actions", json={"kind": "fly", "reason": "x y"})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"
    op_a, as_a = as_operator(operators, 0)
    _, as_b = as_operator(operators, 1)
    r = client.post(
        f"/api/v1/ops/cases/{cid}/actions",
        json={"kind": "suspend_seller", "reason": "repeat follow-selling"},
        headers=as_a,
    )
    assert r.status_code == 201, r.text
    assert r.json()["actions"][-1]["actor"].endswith(op_a)
    assert [a["kind"] for a in r.json()["actions"]] == ["suppress_offer", "suspend_seller"]
    assert client.get(p1).json()["offers"][0]["offer_id"] == shop.offers["a1"]
    assert len(client.get(p1).json()["offers"]) == 1
    buyer = {**bearer(shop, shop.customers[1]), "Idempotency-Key": f"gov-{cid}"}
    line = {"lines": [{"offer_id": shop.offers["b1"], "quantity": 1}]}
    refused = client.post("/api/v1/checkout", json=line, headers=buyer)
    assert refused.status_code == 409 and refused.json()["code"] == "offer_unavailable"
    client.post(
        f"/api/v1/seller/enforcement/{cid}/appeal",
        json={"statement": "Invoices from the brand attached"},
        headers=bearer(shop, sb),
    )
    same = client.post(
        f"/api/v1/ops/cases/{cid}/appeal/decision",
        json={"overturn": True, "reason": "looks fine"},
        headers=as_a,
    )
    assert same.status_code == 403 and same.json()["code"] == "appeal_not_allowed"
    ok = client.post(
        f"/api/v1/ops/cases/{cid}/appeal/decision",
        json={"overturn": True, "reason": "invoices verified"},
        headers=as_b,
    )
    assert ok.status_code == 200 and ok.json()["status"] == "reversed"
    assert ok.json()["audit_verified"] is True
    page = client.get(p1).json()
    assert {o["offer_id"] for o in page["offers"]} == {shop.offers["a1"], shop.offers["b1"]}
    assert page["buy_box"]["winner_offer_id"] == shop.offers["b1"]  # 9.00 beats 20.00


def test_dismissing_an_actioned_case_is_a_conflict(client, case):
    """Only an open case can be dismissed: stable code, problem+json."""
    _, cid = case
    r = client.post(f"/api/v1/ops/cases/{cid}/dismiss", json={"reason": "false positive"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_case_transition"


def test_pages_queue_case_one_click_action_and_seller_appeal_form(app, case, operators):
    """The ops queue links the case; an HTMX one-click action swaps the panel; the seller's
    enforcement page shows the reason and an appeal form that files the appeal."""
    shop, cid = case
    _, sb = shop.sellers
    ops = CsrfClient(app, follow_redirects=False)
    assert ops.get("/ops/cases").headers["location"].startswith("/ops/login")
    op_a, _ = as_operator(operators, 0)
    seller_token = ops.post("/ops/login", data={"token": shop.tokens[sb]})
    assert seller_token.headers["location"].startswith("/ops/login")  # not an operator token
    login = ops.post("/ops/login", data={"token": operators[op_a]})
    assert login.status_code == 303 and login.headers["location"] == "/ops/cases"
    queue = ops.get("/ops/cases", params={"detector": "follow_sell"})
    assert op_a in queue.text
    assert queue.status_code == 200 and f'href="/ops/cases/{cid}"' in queue.text
    page = ops.get(f"/ops/cases/{cid}")
    assert "Hash chain verified" in page.text and "unauthorised_seller" in page.text
    r = ops.post(
        f"/ops/cases/{cid}/actions",
        data={"kind": "hold_funds", "reason": "hold pending review"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 409 and "nothing_to_hold" in r.text  # B has no payable balance
    r = ops.post(
        f"/ops/cases/{cid}/actions",
        data={"kind": "remove_reviews", "reason": "incentivised reviews"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="case-panel">')
    assert "remove_reviews" in r.text and "<html" not in r.text and op_a in r.text
    seller = CsrfClient(app, follow_redirects=False)
    seller.cookies.set(SELLER_COOKIE, shop.tokens[sb])
    mine = seller.get("/seller/enforcement")
    assert mine.status_code == 200 and "incentivised reviews" in mine.text
    assert f'action="/seller/enforcement/{cid}/appeal"' in mine.text
    filed = seller.post(
        f"/seller/enforcement/{cid}/appeal", data={"statement": "These reviews are genuine."}
    )
    assert filed.status_code == 303
    after = seller.get(filed.headers["location"])
    assert "Your appeal was filed" in after.text and "appeal-form" not in after.text
    other = CsrfClient(app, follow_redirects=False)
    other.cookies.set(SELLER_COOKIE, shop.tokens[shop.sellers[0]])
    assert cid not in other.get("/seller/enforcement").text
    assert (
        other.post(
            f"/seller/enforcement/{cid}/appeal", data={"statement": "let me appeal for B"}
        ).status_code
        == 404
    )


def test_ops_login_offers_a_local_demos_operators(app, tmp_path, monkeypatch):
    """Only on a server started as a demo does the login page list ops-1/ops-2 (one click logs
    in); never customers' or sellers' tokens. A plain server lists none, even to loopback."""
    from tradewind.governance.adapters import pages_cases as ops_cases

    creds = tmp_path / "demo_credentials.json"
    creds.write_text('{"ops-1": "op-aaa", "ops-2": "op-bbb", "sel-00001": "tw_secret"}')
    monkeypatch.setattr(ops_cases, "DEMO_CREDENTIALS", creds)
    plain = CsrfClient(app).get("/ops/login")
    assert plain.status_code == 200 and "op-aaa" not in plain.text and "ops-1" not in plain.text
    monkeypatch.setattr(app.state.container.settings, "demo", True)
    page = CsrfClient(app).get("/ops/login")
    assert page.status_code == 200 and "ops-1" in page.text and "op-bbb" in page.text
    assert "tw_secret" not in page.text


def test_test_buy_that_fails_inspection_suppresses_the_offer(app, engine, client, operators):
    """A new unauthorised reseller at a normal price is not a case but a test buy wanted; the
    operator records the inspected item: 'counterfeit' opens a follow-sell case (rule
    follow-sell-test-buy, the offer suppressed, the system acting on the recorded fact);
    'genuine' on another shop's offer opens nothing and takes it off the wanted list. Bad
    input changes nothing; without an operator token the route is closed."""
    shop, other = make_shop(engine), make_shop(engine)
    clock = FixedClock(datetime.now(UTC))
    wanted = {w["offer_id"] for w in scan(engine, clock).test_buys}
    assert {shop.offers["b1"], other.offers["b1"]} <= wanted
    url = "/api/v1/ops/test-buys"
    body = {"offer_id": shop.offers["b1"], "result": "counterfeit", "note": "fake logo"}
    assert CsrfClient(app).post(url, json=body).status_code == 401
    before = _test_buys(engine)
    bad = client.post(url, json={**body, "result": "looks fine"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)
    missing = client.post(url, json={**body, "offer_id": "no-such-offer"})
    assert missing.status_code == 404 and missing.json()["code"] == "offer_not_found"
    assert _test_buys(engine) == before
    cheap = make_shop(engine)  # a case-worthy offer nobody has scanned yet
    with engine.begin() as c:
        c.execute(
            update(t.offers)
            .where(t.offers.c.offer_id == cheap.offers["b1"])
            .values(price_minor=900)
        )
    done = client.post(url, json=body)
    assert done.status_code == 201, done.text
    case_id = done.json()["case_id"]
    assert _cases_on(engine, cheap.offers["b1"]) == 0  # the recorded offer only was scored
    assert case_id and done.json()["result"] == "counterfeit"
    case = client.get(f"/api/v1/ops/cases/{case_id}").json()
    assert case["rule_id"] == "follow-sell-test-buy"
    assert [a["kind"] for a in case["actions"]] == ["suppress_offer"]
    assert "test_buy_failed" in {e["code"] for s in case["scores"] for e in s["evidence"]}
    genuine = client.post(url, json={"offer_id": other.offers["b1"], "result": "genuine"})
    assert genuine.status_code == 201 and genuine.json()["case_id"] is None
    wanted = {w["offer_id"] for w in scan(engine, clock).test_buys}
    assert other.offers["b1"] not in wanted and shop.offers["b1"] not in wanted


def _cases_on(engine, offer_id: str) -> int:
    from sqlalchemy import func, select

    from tradewind.governance.adapters import tables as g

    with engine.connect() as c:
        return c.execute(
            select(func.count()).select_from(g.cases).where(g.cases.c.subject_ref == offer_id)
        ).scalar_one()


def _test_buys(engine) -> int:
    from sqlalchemy import func, select

    from tradewind.governance.adapters import tables as g

    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(g.test_buys)).scalar_one()


def test_ops_test_buy_page_lists_wanted_offers_and_records_a_result(app, engine, operators):
    """The console's test-buy page (operator session only) lists an undercutting new
    reseller's offer with a form; recording 'counterfeit' sends the operator to the case it
    opened, and the recorded list shows the result; a bad result is a problem page."""
    shop = make_shop(engine)
    offer = shop.offers["b1"]
    with engine.begin() as c:
        c.execute(update(t.offers).where(t.offers.c.offer_id == offer).values(price_minor=1600))
    ops = CsrfClient(app, follow_redirects=False)
    assert ops.get("/ops/test-buys").headers["location"].startswith("/ops/login")
    op_a, _ = as_operator(operators, 0)
    ops.post("/ops/login", data={"token": operators[op_a]})
    page = ops.get("/ops/test-buys")
    assert page.status_code == 200 and f"<code>{offer}</code>" in page.text
    assert 'action="/ops/test-buys"' in page.text and "undercuts_reference" in page.text
    bad = ops.post("/ops/test-buys", data={"offer_id": offer, "result": "so-so"})
    assert bad.status_code == 422 and "result must be one of" in bad.text
    done = ops.post(
        "/ops/test-buys", data={"offer_id": offer, "result": "counterfeit", "note": "no seal"}
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/ops/cases/case-")
    case = ops.get(done.headers["location"])
    assert "follow-sell-test-buy" in case.text and "test_buy_failed" in case.text
    after = ops.get("/ops/test-buys")
    assert f"<code>{offer}</code></td><td>counterfeit" in after.text and "no seal" in after.text
