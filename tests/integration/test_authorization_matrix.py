"""The authorization matrix, generated from the route table, on SQLite and PostgreSQL.

Every ``/api/v1`` route declares who may call it (``platform/web/policies.py``); a route that
declares nothing fails ``test_every_api_route_declares_a_policy``. The matrix then calls every
route, in a fresh little world, as each principal: the owner (the customer whose order it is,
the seller whose offer, plan or case it is, an operator for the ops routes), another seller,
another customer, an operator, nobody, and a handful of malformed tokens. What each may get
follows from the declared policy alone:

- owner: 2xx (a route may list the one documented 4xx its fresh resource answers);
- nobody / a malformed token on a protected route: 401 ``unauthorized`` with
  ``WWW-Authenticate: Bearer``;
- a token of another kind: 403 ``forbidden``;
- the same kind, not the owner of the id in the path: 404, like a missing id;
- the same kind on a caller-scoped route (``/cart``, ``/seller/offers``): their own answer.

Never a 5xx, every refusal is problem+json, no body given to someone else holds the owner's
private ids, and what the owner's resource looks like is unchanged by everyone else's calls.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.integration.seed import Shop, make_shop
from tests.integration.web_client import web_app
from tradewind.catalog.adapters.search.catalog_index import reindex_products
from tradewind.catalog.model import make_gtin
from tradewind.governance.adapters.operators import add_operator
from tradewind.governance.adapters.scan import scan
from tradewind.platform.db import tables as t
from tradewind.platform.web.deps import current_customer, current_operator, current_seller
from tradewind.platform.web.openapi_docs import _calls
from tradewind.platform.web.policies import Access, Role, access_of
from tradewind.platform.web.problems import api_routes
from tradewind.shared.clock import FixedClock

PROBLEM = "application/problem+json"
MALFORMED = ("Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b")
KIND_CALLER = {
    Role.CUSTOMER: current_customer,
    Role.SELLER: current_seller,
    Role.OPERATOR: current_operator,
}
Body = Callable[["World"], Any]


@dataclass(frozen=True)
class Example:
    """How to call one route validly: body and query from the world, the owner's answers."""

    json: Body | None = None
    params: Body | None = None
    headers: Body | None = None
    owner_codes: frozenset[str] = frozenset()  # documented 4xx codes the owner may get
    setup: Callable[[World, dict[str, str]], None] | None = None  # given the path values


def _key(_: World) -> dict[str, str]:
    return {"Idempotency-Key": secrets.token_hex(8)}


# Routes that need a body or a query to succeed for their owner. A new route with a body
# needs an entry here (its owner would get 422 otherwise, and the matrix says so).
EXAMPLES: dict[tuple[str, str], Example] = {
    ("PUT", "/cart/lines/{offer_id}"): Example(json=lambda w: {"quantity": 1}),
    ("POST", "/checkout"): Example(
        json=lambda w: {"lines": [{"offer_id": w.shop.offers["a1"], "quantity": 1}]},
        headers=_key,
    ),
    ("POST", "/orders/{order_id}/cancel"): Example(json=lambda w: {"reason": "changed mind"}),
    ("GET", "/orders/{order_id}/tracking"): Example(owner_codes=frozenset({"tracking_no_events"})),
    ("POST", "/seller/offers"): Example(
        json=lambda w: {
            "product_id": w.shop.products[1],
            "site_id": w.shop.site,
            "price_minor": 999,
            "channel": "fbm",
            "quantity": 2,
        },
        owner_codes=frozenset(),
    ),
    ("PATCH", "/seller/offers/{offer_id}"): Example(json=lambda w: {"price_minor": 1999}),
    ("POST", "/seller/products"): Example(
        json=lambda w: {
            "gtin": make_gtin(secrets.randbelow(10**10), prefix="4"),
            "title": "Matrix widget",
            "category": "electronics",
            "brand_id": f"br-{w.shop.tag}",
            "weight_g": 100,
            "longest_side_mm": 100,
        }
    ),
    ("POST", "/seller/inbound/plans"): Example(json=lambda w: w.plan_body()),
    ("POST", "/ops/inbound/plans/{plan_id}/receive"): Example(json=lambda w: {}),
    ("GET", "/ops/inbound/transfers"): Example(params=lambda w: {"site_id": w.shop.site}),
    ("POST", "/ops/cases/{case_id}/actions"): Example(
        json=lambda w: {"kind": "suspend_seller", "reason": "matrix test"}
    ),
    # The scan's case is actioned at once (its offer suppressed): only an open one dismisses.
    ("POST", "/ops/cases/{case_id}/dismiss"): Example(
        json=lambda w: {"reason": "matrix test"},
        owner_codes=frozenset({"invalid_case_transition"}),
    ),
    ("POST", "/ops/cases/{case_id}/appeal/decision"): Example(
        json=lambda w: {"overturn": False, "reason": "matrix test"},
        setup=lambda w, values: w.appeal(values["case_id"]),
    ),
    ("POST", "/seller/enforcement/{case_id}/appeal"): Example(
        json=lambda w: {"statement": "I bought this stock from the brand's distributor"}
    ),
    ("POST", "/ops/test-buys"): Example(
        json=lambda w: {"offer_id": w.shop.offers["b1"], "result": "genuine"}
    ),
}


@pytest.fixture(scope="module")
def app(db_url, engine, tmp_path_factory):
    return web_app(db_url, engine, tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="module")
def operator(engine):
    """(operator id, token) of an operator of the case queue and FC docks."""
    oid = f"op-mx-{secrets.token_hex(3)}"
    return oid, add_operator(engine, oid, "Matrix operator")


@dataclass
class World:
    """One shop: customer ``cm`` owns an order and a cart line, seller ``sb`` owns offer
    ``b1`` (and, when a route names one, an inbound plan and a case against it)."""

    client: TestClient
    app: Any
    engine: Any
    shop: Shop
    operator: tuple[str, str]
    private: set[str] = field(default_factory=set)  # ids only their owner may see
    made: dict[str, str] = field(default_factory=dict)

    @property
    def customer(self) -> str:
        return self.shop.customers[0]

    @property
    def seller(self) -> str:
        return self.shop.sellers[1]

    def token(self, who: str) -> str:
        return self.operator[1] if who == self.operator[0] else self.shop.tokens[who]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(who)}"}

    def plan_body(self) -> dict[str, Any]:
        return {"lines": [{"product_id": self.shop.products[0], "units": 12}]}

    def ok(self, r: Any, status: int) -> dict[str, Any]:
        assert r.status_code == status, r.text
        out: dict[str, Any] = r.json()
        return out

    def appeal(self, case_id: str) -> None:
        url = f"/api/v1/seller/enforcement/{case_id}/appeal"
        body = {"statement": "I bought this stock from the brand's distributor"}
        self.ok(self.client.post(url, json=body, headers=self.auth(self.seller)), 201)

    def order(self) -> str:
        """An order of cm's, bought from sb (so it is in sb's ledger, not sa's)."""
        body = {"lines": [{"offer_id": self.shop.offers["b1"], "quantity": 1}]}
        headers = {**self.auth(self.customer), "Idempotency-Key": secrets.token_hex(8)}
        return str(
            self.ok(self.client.post("/api/v1/checkout", json=body, headers=headers), 201)[
                "order_id"
            ]
        )

    def plan(self) -> str:
        r = self.client.post(
            "/api/v1/seller/inbound/plans", json=self.plan_body(), headers=self.auth(self.seller)
        )
        return str(self.ok(r, 201)["plan_id"])

    def case(self) -> str:
        """A follow-sell case against ``sb`` (B undercuts brand owner A below cost)."""
        b1 = self.shop.offers["b1"]
        with self.engine.begin() as c:
            c.execute(update(t.offers).where(t.offers.c.offer_id == b1).values(price_minor=900))
        reindex_products(self.engine, self.app.state.container.search(), self.shop.products)
        scan(self.engine, FixedClock(datetime.now(UTC)), only_offer=b1)
        r = self.client.get("/api/v1/seller/enforcement", headers=self.auth(self.seller))
        cases = [c["case_id"] for c in self.ok(r, 200)["data"]]
        assert len(cases) == 1, cases
        return str(cases[0])

    def value(self, param: str, access: Access) -> str:
        """The path value of ``param`` on a route with ``access``: the owner's resource."""
        fixed = {"site_id": self.shop.site, "product_id": self.shop.products[0]}
        if param in fixed:
            return fixed[param]
        if param == "offer_id":  # a cart line of cm's, or sb's own offer
            return self.shop.offers["a1" if access.role is Role.CUSTOMER else "b1"]
        if param not in self.made:
            self.made[param] = {"order_id": self.order, "plan_id": self.plan, "case_id": self.case}[
                param
            ]()
            self.private.add(self.made[param])
        return self.made[param]

    def snapshot(self, path: str, access: Access, values: dict[str, str]) -> Any:
        """What the owner (or an operator) sees of the resource a route names, if any."""
        if "order_id" in values:
            url, who = f"/api/v1/orders/{values['order_id']}", self.customer
        elif "case_id" in values:
            url, who = f"/api/v1/ops/cases/{values['case_id']}", self.operator[0]
        elif "plan_id" in values:
            url, who = f"/api/v1/seller/inbound/plans/{values['plan_id']}", self.seller
        elif "offer_id" in values and access.role is Role.SELLER:
            url, who = f"/api/v1/seller/offers/{values['offer_id']}", self.seller
        elif access.role is Role.CUSTOMER:
            url, who = "/api/v1/cart", self.customer
        else:
            return None
        return self.ok(self.client.get(url, headers=self.auth(who)), 200)


def _world(client, app, engine, operator) -> World:
    w = World(client, app, engine, make_shop(engine), operator)
    w.private |= {w.customer, w.seller, operator[0], w.order()}
    line = client.put(
        f"/api/v1/cart/lines/{w.shop.offers['a1']}",
        json={"quantity": 1},
        headers=w.auth(w.customer),
    )
    w.ok(line, 200)
    return w


def _relative(path: str) -> str:
    return path.removeprefix("/api/v1")


def _owner(w: World, access: Access) -> str | None:
    return {
        Role.PUBLIC: None,
        Role.CUSTOMER: w.customer,
        Role.SELLER: w.seller,
        Role.OPERATOR: w.operator[0],
    }[access.role]


def _callers(w: World, access: Access) -> list[tuple[str, dict[str, str], str]]:
    """(label, headers, expected) for everyone but the owner: expected is 'public', '401',
    '403', '404' or 'own' (the caller's own answer on a caller-scoped route)."""
    others = {
        "other seller": (w.shop.sellers[0], Role.SELLER),
        "other customer": (w.shop.customers[1], Role.CUSTOMER),
        "operator": (w.operator[0], Role.OPERATOR),
    }
    out: list[tuple[str, dict[str, str], str]] = []
    public = access.role is Role.PUBLIC
    for label, (who, role) in others.items():
        if public:
            expected = "public"
        elif role is not access.role:
            expected = "403"
        else:
            expected = "404" if access.owner_param else "own"
        if role is access.role and not public and who == _owner(w, access):
            continue  # the operator on an operator route is the owner
        out.append((label, w.auth(who), expected))
    out.append(("anonymous", {}, "public" if public else "401"))
    for bad in (*MALFORMED, f"Bearer {w.shop.tokens[w.customer]}x"):
        out.append((f"malformed {bad[:12]!r}", {"Authorization": bad}, "bad-token"))
    return out


def _check(label: str, expected: str, r: Any, forbidden: set[str], public: bool) -> list[str]:
    """What is wrong with answer ``r`` to a caller expecting ``expected`` ('' when nothing)."""
    problems: list[str] = []
    status = r.status_code
    if status >= 500:
        return [f"{label}: {status} {r.text[:200]}"]
    if status >= 400 and r.headers.get("content-type") != PROBLEM:
        problems.append(f"{label}: {status} is {r.headers.get('content-type')}, not problem+json")
    code = r.json().get("code") if r.headers.get("content-type") == PROBLEM else None
    if expected == "bad-token":
        expected = "public-or-401" if public else "401"
    want = {
        "401": status == 401 and code == "unauthorized" and r.headers.get("www-authenticate"),
        "403": status == 403 and code == "forbidden",
        "404": status == 404,
        "own": status < 400 or status not in (401, 403),
        "public": status < 400,
        "public-or-401": status < 400 or (status == 401 and code == "unauthorized"),
    }[expected]
    if not want:
        problems.append(f"{label}: expected {expected}, got {status} {r.text[:200]}")
    if not public:
        leaked = sorted(s for s in forbidden if s in r.text)
        if leaked:
            problems.append(f"{label}: {status} body holds the owner's {leaked}")
    return problems


def _call(w: World, route: Any, method: str, url: str, headers: dict[str, str]) -> Any:
    ex = EXAMPLES.get((method, _relative(route.path_format)), Example())
    headers = {**headers, **(ex.headers(w) if ex.headers else {})}
    kwargs: dict[str, Any] = {"headers": headers}
    if ex.json is not None:
        kwargs["json"] = ex.json(w)
    if ex.params is not None:
        kwargs["params"] = ex.params(w)
    return w.client.request(method, url, **kwargs)


def _matrix_of(w: World, route: Any, method: str) -> list[str]:
    """Every caller against one route: what went wrong ([] when nothing)."""
    access = access_of(route)
    assert access is not None
    values = {p: w.value(p, access) for p in route.param_convertors}
    url = route.path_format.format(**values)
    name = f"{method} {route.path_format}"
    forbidden = w.private - set(values.values())
    ex = EXAMPLES.get((method, _relative(route.path_format)), Example())
    if ex.setup:
        ex.setup(w, values)
    before = w.snapshot(route.path_format, access, values)
    found: list[str] = []
    for label, headers, expected in _callers(w, access):
        r = _call(w, route, method, url, headers)
        for p in _check(label, expected, r, forbidden, access.role is Role.PUBLIC):
            found.append(f"{name} as {p}")
    if w.snapshot(route.path_format, access, values) != before:
        found.append(f"{name}: another principal's call changed the owner's resource")
    owner = _owner(w, access)
    r = _call(w, route, method, url, w.auth(owner) if owner else {})
    ok = r.status_code < 300 or (
        r.headers.get("content-type") == PROBLEM and r.json()["code"] in ex.owner_codes
    )
    if not ok:
        found.append(f"{name} as owner: {r.status_code} {r.text[:300]}")
    return found


def _api(app) -> list[tuple[Any, str]]:
    return [
        (route, method)
        for route in api_routes(app.routes)
        if route.path_format.startswith("/api/v1/")
        for method in sorted(route.methods)
    ]


def test_every_api_route_declares_a_policy(app):
    """Every /api/v1 route declares an access policy, one its dependencies agree with: a
    customer/seller/operator route depends on that kind of caller, a public one on none, and
    an owned id names one of the route's path parameters."""
    wrong = []
    for route, method in _api(app):
        access = access_of(route)
        name = f"{method} {route.path_format}"
        if access is None:
            wrong.append(f"{name}: no policy (openapi_extra=policies.X on its decorator)")
            continue
        calls = set(_calls(route.dependant))
        kinds = {role for role, caller in KIND_CALLER.items() if caller in calls}
        expected = set() if access.role is Role.PUBLIC else {access.role}
        if kinds != expected:
            wrong.append(f"{name}: declares {access.role}, depends on {sorted(kinds)}")
        if access.owner_param and access.owner_param not in route.param_convertors:
            wrong.append(f"{name}: owner {access.owner_param} is not a path parameter")
    assert not wrong, "\n".join(wrong)
    assert len(_api(app)) >= 30


def test_openapi_lists_each_operations_policy(client):
    """The declared policy is in the OpenAPI document as ``x-access`` on every operation."""
    paths = client.get("/openapi.json").json()["paths"]
    ops = [
        (p, m, op)
        for p, item in paths.items()
        if p.startswith("/api/v1/")
        for m, op in item.items()
    ]
    assert ops and all(op["x-access"]["role"] in set(Role) for _, _, op in ops)
    assert paths["/api/v1/orders/{order_id}"]["get"]["x-access"] == {
        "role": "customer",
        "owner": "order_id",
    }


def test_every_route_answers_every_principal_as_its_policy_says(client, app, engine, operator):
    """Each /api/v1 route, in a fresh world, called by another seller, another customer, an
    operator, nobody and malformed tokens, then by its owner: 401/403/404 as the policy
    says, never 2xx for a wrong principal nor the owner's private ids in their body, the
    owner's resource unchanged by their calls, and 2xx for the owner."""
    found: list[str] = []
    for route, method in _api(app):
        found += _matrix_of(_world(client, app, engine, operator), route, method)
    assert not found, "\n".join(found)
