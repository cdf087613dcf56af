"""Schemathesis over the whole OpenAPI document, in process against the ASGI app, on SQLite
and PostgreSQL.

Every operation gets a bounded number of generated requests (``MAX_EXAMPLES`` valid ones and
as many invalid ones, derandomized: the same requests every run), sent anonymously and with a
valid customer, seller and operator token. Half of the valid requests name the seeded world's
real ids (the token holder's own order, offer, plan and case) so that they reach past the
404. Every answer must pass schemathesis' checks (no 5xx; status, content type, headers and
body as the document declares; invalid input refused) and every 4xx must be
``application/problem+json``. Failures are collected, not shrunk, so the run stays bounded;
each is reported with a curl line that replays it.
"""

from __future__ import annotations

import copy
import secrets
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from tests.integration.seed import make_shop
from tradewind.bootstrap import bootstrap
from tradewind.governance.adapters.operators import add_operator
from tradewind.governance.adapters.scan import scan
from tradewind.platform.db import tables as t
from tradewind.platform.settings import Settings
from tradewind.platform.web.app import create_app
from tradewind.shared.clock import FixedClock

PROBLEM = "application/problem+json"
MAX_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are collected
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def app(db_url, engine):
    return create_app(bootstrap(Settings(database_url=db_url), engine=engine))


@pytest.fixture(scope="module")
def world(app, engine) -> dict[str, Any]:
    """Tokens of each kind and real ids they own: cm's order, sb's offer, plan and case."""
    from fastapi.testclient import TestClient

    shop = make_shop(engine)
    cm, sb = shop.customers[0], shop.sellers[1]
    op = add_operator(engine, f"op-st-{shop.tag}", "Schemathesis")
    client = TestClient(app)
    order = client.post(
        "/api/v1/checkout",
        json={"lines": [{"offer_id": shop.offers["b1"], "quantity": 1}]},
        headers={"Authorization": f"Bearer {shop.tokens[cm]}", "Idempotency-Key": "st-1"},
    )
    plan = client.post(
        "/api/v1/seller/inbound/plans",
        json={"lines": [{"product_id": shop.products[0], "units": 12}]},
        headers={"Authorization": f"Bearer {shop.tokens[sb]}"},
    )
    assert order.status_code == 201 and plan.status_code == 201, (order.text, plan.text)
    # B undercuts brand owner A below cost: the scan opens a follow-sell case against sb.
    b1 = shop.offers["b1"]
    with engine.begin() as c:
        c.execute(update(t.offers).where(t.offers.c.offer_id == b1).values(price_minor=900))
    scan(engine, FixedClock(datetime.now(UTC)), only_offer=b1)
    cases = client.get(
        "/api/v1/seller/enforcement", headers={"Authorization": f"Bearer {shop.tokens[sb]}"}
    ).json()["data"]
    assert len(cases) == 1, cases
    return {
        "tokens": {"customer": shop.tokens[cm], "seller": shop.tokens[sb], "operator": op},
        "ids": {
            "site_id": shop.site,
            "product_id": shop.products[0],
            "offer_id": shop.offers["b1"],
            "order_id": order.json()["order_id"],
            "plan_id": plan.json()["plan_id"],
            "case_id": cases[0]["case_id"],
        },
    }


@pytest.fixture(scope="module")
def schema(app):
    """The app's own document, less the ``authorization`` header parameter: the test, not
    the generator, decides which token each request carries."""
    spec = copy.deepcopy(app.openapi())
    for item in spec["paths"].values():
        for op in item.values():
            params = op.get("parameters", [])
            op["parameters"] = [
                p for p in params if not (p["in"] == "header" and p["name"] == "authorization")
            ]
    loaded = schemathesis.openapi.from_dict(spec)
    loaded.app = app
    return loaded


def problem_json_errors(ctx: Any, response: Any, case: Any) -> bool:
    """Every 4xx and 5xx is an RFC 9457 problem with its ``code``."""
    if response.status_code >= 400:
        ctype = response.headers.get("content-type", [""])
        ctype = ctype[0] if isinstance(ctype, list) else ctype
        assert ctype == PROBLEM, f"{response.status_code} answered as {ctype!r}"
        body = response.json()
        assert body["status"] == response.status_code and body["code"], body
    return True


def _fuzz(
    operation: Any, mode: GenerationMode, who: str, world: dict[str, Any], seen: Counter[int]
) -> list[str]:
    """Run one operation in one generation mode as ``who``; the failures, one line each
    (``seen`` counts the statuses answered)."""
    found: list[str] = []
    token = world["tokens"].get(who)

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    @SETTINGS
    def run(case: Any, real: bool) -> None:
        if real and mode is GenerationMode.POSITIVE and case.path_parameters:
            for name in case.path_parameters:
                case.path_parameters[name] = world["ids"].get(name, case.path_parameters[name])
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if operation.method.upper() == "POST" and operation.path == "/api/v1/checkout":
            headers["Idempotency-Key"] = secrets.token_hex(8)
        checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
        response = case.call(headers=headers)
        seen[response.status_code] += 1
        try:
            case.validate_response(
                response, checks=checks, additional_checks=[problem_json_errors], headers=headers
            )
        except FailureGroup as exc:
            titles = sorted({f.title for f in exc.exceptions})
            found.append(
                f"{operation.method.upper()} {operation.path} [{mode.value}, {who}] "
                f"{response.status_code}: {titles}\n    {case.as_curl_command(headers=headers)}"
            )

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # Nothing to make invalid (no parameters, no body): no negative requests to send.
        assert mode is GenerationMode.NEGATIVE, operation.path
    return found


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "customer", "seller", "operator"])
def test_every_operation_survives_generated_requests(schema, world, who):
    """Generated valid and invalid requests to every operation, as ``who``: no 5xx, answers
    as the document declares them, invalid input refused, every error problem+json."""
    found: list[str] = []
    seen: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            found += _fuzz(operation, mode, who, world, seen)
    assert not found, f"{len(found)} failing requests:\n" + "\n".join(found[:40])
    # The run reached past the front door: refusals of each kind, and successes.
    # (anonymous callers are mostly stopped at 401 before validation, so fewer 422s)
    refused_input = 30 if who == "anonymous" else 50
    assert seen[422] > refused_input, seen
    assert seen[401] > 50 if who == "anonymous" else seen[403] > 10, seen
    ok = sum(n for status, n in seen.items() if status < 300)
    assert ok > (3 if who == "anonymous" else 20), seen


def test_a_json_body_that_is_not_utf8_is_a_422_problem(app):
    """Bytes that are not UTF-8 under a JSON content type are refused as invalid input (422,
    documented on every operation), not with FastAPI's undocumented 400."""
    from fastapi.testclient import TestClient

    for body in (b"\xff2", b'{"reason": "\xe9"}'):
        r = TestClient(app).post(
            "/api/v1/orders/o-1/cancel", content=body, headers={"content-type": "application/json"}
        )
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
        assert r.json()["code"] == "validation_failed"
        assert r.json()["errors"] == [{"field": "body", "reason": "a JSON body must be UTF-8 text"}]
