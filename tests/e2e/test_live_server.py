"""Against a real uvicorn process: build a world with the CLI, serve it, shop over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("live")
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{work / 'live.db'}"}
    cli = [sys.executable, "-m", "tradewind.adapters.cli"]
    subprocess.run(
        [*cli, "world", "build", "--seed", "5", "--products", "30"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "server did not start")
    creds = json.loads((work / "var" / "demo_credentials.json").read_text())
    yield base, creds
    proc.terminate()
    proc.wait(timeout=10)


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
