"""``tradewind serve --workers 2`` as a real process: graceful SIGTERM and a small flash sale."""

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid

import httpx
import pytest

from tests.e2e.server import CLI, free_port, run_cli


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    db = work / "serve.db"
    env = {**os.environ, "TRADEWIND_DATABASE_URL": f"sqlite:///{db}"}
    run_cli(
        work, env, "world", "build", "--seed", "5", "--products", "40", "--load-customers", "60"
    )
    creds = json.loads((work / "var" / "demo_credentials.json").read_text())
    return work, env, db, creds


def start(work, env, *args):
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "2", *args],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "no server")


def stocked_offer(base, creds):
    """An FBA offer of the US retail seller with plenty of free stock."""
    h = {"Authorization": f"Bearer {creds['retail-us']}"}
    free = {}
    for p in httpx.get(f"{base}/api/v1/seller/inventory", headers=h).json()["data"]:
        free[p["product_id"]] = free.get(p["product_id"], 0) + p["on_hand"] - p["reserved"]
    offers = httpx.get(f"{base}/api/v1/seller/offers", headers=h).json()["data"]
    return max(
        (o for o in offers if o["site_id"] == "US" and o["channel"] == "fba"),
        key=lambda o: free.get(o["product_id"], 0),
    )["offer_id"]


def test_sigterm_lets_in_flight_checkouts_finish_and_exits_0(world):
    """A burst of checkouts, SIGTERM while it runs: every answered checkout is a complete
    order (in the database with its lines), the rest were never accepted, exit code 0."""
    work, env, db, creds = world
    proc, base = start(work, env)
    offer = stocked_offer(base, creds)
    customers = [tok for sub, tok in creds.items() if sub.startswith("cus-us-")]
    answers: list[httpx.Response] = []
    refused: list[Exception] = []
    done_at: list[float] = []
    first = threading.Event()

    def buy(token: str) -> None:
        h = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
        body = {"lines": [{"offer_id": offer, "quantity": 1}]}
        try:
            with httpx.Client(timeout=30) as c:
                answers.append(c.post(f"{base}/api/v1/checkout", json=body, headers=h))
                done_at.append(time.monotonic())
        except httpx.HTTPError as exc:
            refused.append(exc)
        first.set()

    threads = [threading.Thread(target=buy, args=(t,)) for t in customers[:48]]
    for th in threads:
        th.start()
    assert first.wait(30)
    proc.send_signal(signal.SIGTERM)
    sent_at = time.monotonic()
    for th in threads:
        th.join(60)
    assert proc.wait(timeout=45) == 0
    log = proc.stdout.read().decode() if proc.stdout else ""
    assert time.monotonic() - sent_at < 45
    assert answers, log
    assert all(r.status_code == 201 for r in answers), [r.text for r in answers]
    placed = {r.json()["order_id"] for r in answers}
    assert all(r.json()["lines"] for r in answers)
    with sqlite3.connect(db) as c:
        ids = [o for (o,) in c.execute("SELECT order_id FROM orders")]
        without_lines = c.execute(
            "SELECT count(*) FROM orders o WHERE NOT EXISTS "
            "(SELECT 1 FROM order_lines l WHERE l.order_id = o.order_id)"
        ).fetchone()[0]
    assert placed <= set(ids) and without_lines == 0
    assert any(t > sent_at for t in done_at), "no checkout was in flight at SIGTERM"
    assert len(answers) + len(refused) == len(threads)
    lines = [json.loads(x) for x in log.splitlines() if x.startswith("{")]
    access = [x for x in lines if x["logger"] == "tradewind.access" and x["status"] == 201]
    assert len(access) == len(answers) and all(len(x["request_id"]) == 32 for x in access)


FLASH = ("--flash-sale", "--units", "10", "--buyers", "200")


def test_flash_sale_sells_exactly_the_units(world):
    """200 buyers at once for 10 units: 10 orders, 190 refused, none oversold, no 5xx."""
    work, env, _db, _creds = world
    proc, base = start(work, env, "--log-level", "warning")
    try:
        out = subprocess.run(
            [*CLI, "bench", "http", "--url", base, "--json", *FLASH],
            cwd=work,
            env=env,
            capture_output=True,
            timeout=120,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert out.returncode == 0, out.stderr.decode()
    report = json.loads(out.stdout)
    assert (report["orders"], report["refused_409"], report["oversold"]) == (10, 190, 0)
    assert report["errors_5xx"] == 0 and report["units_left"] == 0
    assert report["p99_ms"] > 0
