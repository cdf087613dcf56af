"""Kill -9 the API server during a checkout burst, restart it, retry every key, then check.

Clients post checkouts with fixed Idempotency-Keys (one fixed cart per key) while a killer
SIGKILLs ``tradewind serve`` at random moments and starts it again. Afterwards every key is
retried once more. What must hold (``verify``):

- every key answered 2xx names one order, always the same one (never a second order);
- a key answered 2xx before the crash is answered 2xx with that order after it;
- every other answer is a clean failure (4xx with a problem code), never a 5xx;
- after ``tradewind orders sweep``, ``tradewind check`` reports 0 violations (nothing
  half-written, ledger, reservations and events complete).

Used by tests/e2e/test_crash_safety.py (a few kills) and scripts/crash_trial.py (20 kills).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.server import CLI, free_port, run_cli


@dataclass
class Trial:
    kills: int = 3
    clients: int = 6
    keys_per_client: int = 25
    seed: int = 0
    answers: dict[str, list[tuple[int, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    connection_errors: int = 0
    restarts_s: list[float] = field(default_factory=list)


class Server:
    def __init__(self, work: Path, env: dict[str, str]) -> None:
        self.work, self.env, self.port = work, env, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.up = threading.Event()

    def start(self) -> float:
        began = time.perf_counter()
        with (self.work / "serve.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [*CLI, "serve", "--port", str(self.port)],
                cwd=self.work,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: supervisor and workers
            )
        while time.perf_counter() - began < 180:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    self.up.set()
                    return time.perf_counter() - began
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        log_text = (self.work / "serve.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the server did not come up:\n{log_text}")

    def kill(self) -> None:
        self.up.clear()
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)  # every process of the server at once
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def _offers(base: str, limit: int = 12) -> list[str]:
    found = httpx.get(f"{base}/api/v1/sites/US/products", params={"limit": 50}).json()["data"]
    winners = []
    for item in found:
        page = httpx.get(f"{base}/api/v1/sites/US/products/{item['product_id']}").json()
        if page["buy_box"]["winner_offer_id"]:
            winners.append(page["buy_box"]["winner_offer_id"])
        if len(winners) == limit:
            break
    return winners


def _post(base: str, token: str, key: str, cart: dict[str, Any]) -> tuple[int, str | None]:
    r = httpx.post(
        f"{base}/api/v1/checkout",
        json=cart,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        timeout=30,
    )
    body = r.json() if r.headers.get("content-type", "").endswith("json") else {}
    return r.status_code, body.get("order_id") or body.get("code")


def run_trial(work: Path, env: dict[str, str], trial: Trial) -> dict[str, Any]:
    """Build a world, run the burst with ``trial.kills`` kills, retry, sweep, check."""
    rng = random.Random(trial.seed)
    # A crash trial, not a rate-limit test: every client hammers its own keys.
    env = {**env, "TRADEWIND_CHECKOUT_RATE_LIMIT": "0"}
    run_cli(work, env, "world", "build", "--seed", "5", "--products", "30")
    creds = json.loads((work / "var" / "demo_credentials.json").read_text())
    customers = sorted(c for c in creds if c.startswith("cus-us-"))[: trial.clients]
    server = Server(work, env)
    server.start()
    offers = _offers(server.base)
    carts = {
        f"crash-{c}-{j}": (c, {"lines": [{"offer_id": rng.choice(offers), "quantity": 1}]})
        for c in customers
        for j in range(trial.keys_per_client)
    }
    lock = threading.Lock()
    kills_done = threading.Event()

    def client(customer: str) -> None:
        mine = [k for k, (c, _) in carts.items() if c == customer]
        rounds = 0
        # Round after round (each repeat is a retry of the same key) until the kills are over.
        while rounds == 0 or not kills_done.is_set():
            for key in mine:
                server.up.wait(120)
                try:
                    answer = _post(server.base, creds[customer], key, carts[key][1])
                except httpx.HTTPError:
                    with lock:
                        trial.connection_errors += 1
                    continue
                with lock:
                    trial.answers[key].append(answer)
            rounds += 1

    def killer() -> None:
        for _ in range(trial.kills):
            server.up.wait(120)
            time.sleep(rng.uniform(0.3, 2.0))
            server.kill()
            trial.restarts_s.append(server.start())
        kills_done.set()

    threads = [threading.Thread(target=client, args=(c,)) for c in customers]
    kill_thread = threading.Thread(target=killer)
    began = time.perf_counter()
    for th in [*threads, kill_thread]:
        th.start()
    kill_thread.join()
    for th in threads:
        th.join()
    burst_s = time.perf_counter() - began
    pending = _pending_orders(env["TRADEWIND_DATABASE_URL"])  # left by a kill mid-checkout
    for key, (customer, cart) in carts.items():  # every client retries after the crashes
        trial.answers[key].append(_post(server.base, creds[customer], key, cart))
    server.stop()
    sweep = _cli_json(work, env, "orders", "sweep", "--older-than-s", "0", "--json")
    check = _cli_json(work, env, "check", "--json")
    return verify(trial, carts, sweep, check) | {
        "burst_seconds": round(burst_s, 1),
        "pending_before_retry": pending,
    }


def _pending_orders(url: str) -> int:
    from sqlalchemy import func, select

    from tradewind.platform.db import tables as t
    from tradewind.platform.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as c:
            q = select(func.count()).where(t.orders.c.status == "pending_payment")
            return int(c.execute(q).scalar() or 0)
    finally:
        engine.dispose()


def _cli_json(work: Path, env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run([*CLI, *args], cwd=work, env=env, capture_output=True, text=True)
    return dict(json.loads(out.stdout))


def verify(
    trial: Trial, carts: dict[str, Any], sweep: dict[str, Any], check: dict[str, Any]
) -> dict[str, Any]:
    """The trial's figures and what broke (``problems`` empty when everything held)."""
    problems = []
    statuses: Counter[int] = Counter()
    for key in carts:
        answers = trial.answers.get(key, [])
        statuses.update(s for s, _ in answers)
        orders = {ref for s, ref in answers if 200 <= s < 300}
        if len(orders) > 1:
            problems.append(f"{key}: two orders {sorted(orders)}")
        if any(s >= 500 for s, _ in answers):
            problems.append(f"{key}: a 5xx answer {answers}")
        ok_before = any(200 <= s < 300 for s, _ in answers[:-1])
        if ok_before and not 200 <= answers[-1][0] < 300:
            problems.append(f"{key}: 2xx before the crash, {answers[-1]} after it")
    if check.get("violations"):
        problems.append(f"check: {check['violations']} violation(s)")
    return {
        "kills": len(trial.restarts_s),
        "keys": len(carts),
        "orders": len({ref for a in trial.answers.values() for s, ref in a if 200 <= s < 300}),
        "answers_by_status": dict(sorted(statuses.items())),
        "connection_errors": trial.connection_errors,
        "restart_seconds_max": round(max(trial.restarts_s, default=0.0), 2),
        "swept_pending": sweep.get("released"),
        "check_violations": check.get("violations"),
        "check": {k: v for k, v in check.get("checks", {}).items() if v["violations"]},
        "problems": problems,
    }
