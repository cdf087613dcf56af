"""Against a real uvicorn process: build a world with the CLI, serve it, shop over HTTP."""

import json
import os

import httpx
import pytest

from tests.e2e.server import run_cli, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("live")
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{work / 'live.db'}"}
    run_cli(work, env, "world", "build", "--seed", "5", "--products", "30")
    creds = json.loads((work / "var" / "demo_credentials.json").read_text())
    with serving(work, env) as base:
        yield base, creds


def test_shopper_finds_a_product_and_checks_out_once(server):
    """Search -> product page -> checkout twice with one key -> one order in the list."""
    base, creds = server
    customer = next(c for c in creds if c.startswith("cus-us-"))
    h = {"Authorization": f"Bearer {creds[customer]}"}
    found = httpx.get(f"{base}/api/v1/sites/US/products", params={"limit": 50}).json()["data"]
    for item in found:
        page = httpx.get(f"{base}/api/v1/sites/US/products/{item['product_id']}").json()
        winner = page["buy_box"]["winner_offer_id"]
        if winner:
            break
    else:
        pytest.fail("no product with a buy-box winner in the demo world")
    body = {"lines": [{"offer_id": winner, "quantity": 1}]}
    first = httpx.post(
        f"{base}/api/v1/checkout", json=body, headers={**h, "Idempotency-Key": "e2e-1"}
    )
    second = httpx.post(
        f"{base}/api/v1/checkout", json=body, headers={**h, "Idempotency-Key": "e2e-1"}
    )
    assert first.status_code == 201, first.text
    assert second.status_code == 200
    assert first.json()["order_id"] == second.json()["order_id"]
    mine = httpx.get(f"{base}/api/v1/orders", headers=h).json()
    assert mine["count"] == 1
