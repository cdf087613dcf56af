"""``tradewind bench http``: load a running ``tradewind serve`` over loopback.

Three phases of ``--seconds`` each, ``--concurrency`` clients (asyncio + httpx, keep-alive):
checkouts (each request a different shopper from the demo credentials file, 1-2 of the
retail seller's best-stocked offers, a fresh Idempotency-Key), product pages, then searches.
Every phase is bounded in time and in requests. Latency is measured at the client, so a
generator short of CPU inflates it: the report says how much CPU the server processes, the
PostgreSQL processes (every backend on the machine, other users included) and the generator
used per checkout, and how busy the whole machine was.

``--flash-sale``: ``--buyers`` shoppers check out one unit each of a fresh offer with exactly
``--units`` units, all at once. Exactly ``units`` orders must be placed, the rest refused
with a 409, no 5xx; the offer's stock must end at 0 (exit 3 otherwise).

The server must serve a world built with enough shopper tokens, e.g.
``tradewind world build --seed 7 --load-customers 200``; 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import typer

from tradewind.platform.cli.output import emit, err_console
from tradewind_bench import http_fixture as fx

MAX_REQUESTS_PER_PHASE = 200_000
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Phase:
    latencies_ms: list[float] = field(default_factory=list)
    status: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    seconds: float = 0.0

    def record(self, status: int, ms: float) -> None:
        self.status[status] = self.status.get(status, 0) + 1
        self.latencies_ms.append(ms)

    def ok(self) -> int:
        return sum(n for s, n in self.status.items() if 200 <= s < 300)

    def count(self, lo: int, hi: int) -> int:
        return sum(n for s, n in self.status.items() if lo <= s < hi)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def run_phase(base: str, make: Request, seconds: float, concurrency: int) -> Phase:
    """``concurrency`` clients send ``make(client, n)`` back to back until time runs out."""
    phase = Phase()
    counter = iter(range(MAX_REQUESTS_PER_PHASE))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            for n in counter:
                if time.perf_counter() >= deadline:
                    return
                t0 = time.perf_counter()
                try:
                    r = await make(client, n)
                except httpx.HTTPError:
                    phase.transport_errors += 1
                    continue
                phase.record(r.status_code, (time.perf_counter() - t0) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        phase.seconds = time.perf_counter() - started
    return phase


def checkout_request(shop: fx.Shop, seed: int) -> Request:
    rng = random.Random(seed)

    async def make(client: httpx.AsyncClient, n: int) -> httpx.Response:
        offers = rng.sample(shop.offer_ids, k=min(len(shop.offer_ids), rng.randint(1, 2)))
        token = shop.customer_tokens[n % len(shop.customer_tokens)]
        body = {"lines": [{"offer_id": o, "quantity": 1} for o in offers]}
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
        return await client.post("/api/v1/checkout", json=body, headers=headers)

    return make


def page_request(shop: fx.Shop) -> Request:
    async def make(client: httpx.AsyncClient, n: int) -> httpx.Response:
        pid = shop.product_ids[n % len(shop.product_ids)]
        return await client.get(f"/api/v1/sites/{shop.site_id}/products/{pid}")

    return make


def search_request(shop: fx.Shop) -> Request:
    async def make(client: httpx.AsyncClient, n: int) -> httpx.Response:
        q = shop.search_terms[n % len(shop.search_terms)]
        return await client.get(f"/api/v1/sites/{shop.site_id}/products", params={"q": q})

    return make


class Meter:
    """CPU seconds of the server, PostgreSQL and this process, and machine busy share."""

    def __init__(self, port: int) -> None:
        self.server = fx.server_pids(port)
        self.pg = fx.postgres_pids()

    def start(self) -> None:
        self._t = (
            fx.cpu_seconds(self.server),
            fx.cpu_seconds(self.pg),
            time.process_time(),
            fx.machine_busy(),
        )

    def stop(self, per: int) -> dict[str, Any]:
        s0, p0, g0, (b0, t0) = self._t
        busy, total = fx.machine_busy()
        per = max(per, 1)
        return {
            "server_cpu_ms_per_checkout": round((fx.cpu_seconds(self.server) - s0) * 1000 / per, 2),
            "postgres_cpu_ms_per_checkout": round((fx.cpu_seconds(self.pg) - p0) * 1000 / per, 2),
            "generator_cpu_ms_per_checkout": round((time.process_time() - g0) * 1000 / per, 2),
            "machine_busy_pct": round(100 * (busy - b0) / max(total - t0, 1), 1),
        }


def run_mix(
    base: str, shop: fx.Shop, seconds: float, concurrency: int, seed: int
) -> dict[str, Any]:
    meter = Meter(urlsplit(base).port or 80)
    meter.start()
    co = asyncio.run(run_phase(base, checkout_request(shop, seed), seconds, concurrency))
    cpu = meter.stop(co.ok())
    pages = asyncio.run(run_phase(base, page_request(shop), seconds, concurrency))
    search = asyncio.run(run_phase(base, search_request(shop), seconds, concurrency))
    return {
        "checkouts_per_s": round(co.ok() / co.seconds, 1),
        "p50_ms": pct(co.latencies_ms, 0.50),
        "p99_ms": pct(co.latencies_ms, 0.99),
        "errors_5xx": sum(p.count(500, 600) for p in (co, pages, search)),
        "transport_errors": sum(p.transport_errors for p in (co, pages, search)),
        "checkout_status": {str(k): v for k, v in sorted(co.status.items())},
        # a server with its checkout rate limit on measures the limiter, not checkout capacity:
        # start it with TRADEWIND_CHECKOUT_RATE_LIMIT=0 for a load test
        "rate_limited_429": co.status.get(429, 0),
        "product_page_rps": round(pages.ok() / pages.seconds, 1),
        "product_page_p99_ms": pct(pages.latencies_ms, 0.99),
        "search_rps": round(search.ok() / search.seconds, 1),
        "search_p99_ms": pct(search.latencies_ms, 0.99),
        "server_workers": fx.workers_of(meter.server),
        "concurrency": concurrency,
        "seconds_per_phase": seconds,
        "distinct_customers": min(len(shop.customer_tokens), co.ok() + co.count(400, 600)),
        "stocked_offers": len(shop.offer_ids),
        **cpu,
        "load_average": fx.load_average(),
    }


async def _flash(base: str, shop: fx.Shop, offer_id: str, buyers: int) -> Phase:
    phase = Phase()
    limits = httpx.Limits(max_connections=buyers, max_keepalive_connections=0)
    go = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:

        async def buyer(n: int) -> None:
            token = shop.customer_tokens[n % len(shop.customer_tokens)]
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
            body = {"lines": [{"offer_id": offer_id, "quantity": 1}]}
            await go.wait()
            t0 = time.perf_counter()
            try:
                r = await client.post("/api/v1/checkout", json=body, headers=headers)
            except httpx.HTTPError:
                phase.transport_errors += 1
                return
            phase.record(r.status_code, (time.perf_counter() - t0) * 1000)

        tasks = [asyncio.create_task(buyer(n)) for n in range(buyers)]
        await asyncio.sleep(0)
        started = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        phase.seconds = time.perf_counter() - started
    return phase


def run_flash_sale(client: httpx.Client, shop: fx.Shop, units: int, buyers: int) -> dict[str, Any]:
    offer_id = fx.flash_offer(client, shop, units)
    sale = asyncio.run(_flash(str(client.base_url), shop, offer_id, buyers))
    left = fx.offer_quantity(client, shop, offer_id)
    orders = sale.count(201, 202)
    return {
        "units": units,
        "buyers": buyers,
        "distinct_buyers": min(buyers, len(shop.customer_tokens)),
        "orders": orders,
        "refused_409": sale.status.get(409, 0),
        "oversold": max(0, orders - units) + max(0, -left),
        "units_left": left,
        "errors_5xx": sale.count(500, 600),
        "transport_errors": sale.transport_errors,
        "status": {str(k): v for k, v in sorted(sale.status.items())},
        "p50_ms": pct(sale.latencies_ms, 0.50),
        "p99_ms": pct(sale.latencies_ms, 0.99),
        "seconds": round(sale.seconds, 2),
        "offer_id": offer_id,
        "load_average": fx.load_average(),
    }


def flash_sale_ok(report: dict[str, Any]) -> bool:
    """Exactly ``units`` orders, none oversold, every other buyer refused, no 5xx."""
    return bool(
        report["orders"] == report["units"]
        and report["oversold"] == 0
        and report["units_left"] == 0
        and report["errors_5xx"] == 0
        and report["transport_errors"] == 0
        and report["orders"] + report["refused_409"] == report["buyers"]
    )


def register(bench_app: typer.Typer) -> None:
    @bench_app.command("http")
    def http(
        url: str = typer.Option("http://127.0.0.1:8000", help="a running `tradewind serve`"),
        seconds: float = typer.Option(10.0, min=0.5, max=300, help="seconds per phase"),
        concurrency: int = typer.Option(16, min=1, max=512, help="concurrent clients"),
        credentials: Path = typer.Option(
            Path("var/demo_credentials.json"), help="the demo world's tokens"
        ),
        site: str = typer.Option("US", help="site whose shoppers buy"),
        flash_sale: bool = typer.Option(False, "--flash-sale", help="flash sale instead"),
        units: int = typer.Option(100, min=1, max=100_000, help="flash sale: units on sale"),
        buyers: int = typer.Option(2_000, min=1, max=10_000, help="flash sale: buyers at once"),
        seed: int = typer.Option(0, help="workload seed"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Checkouts/s, p50/p99, 5xx, product page and search rps of a live server; or a
        flash sale (``--flash-sale``): exactly ``--units`` orders from ``--buyers`` at once."""
        if urlsplit(url).hostname not in LOOPBACK:
            raise typer.BadParameter("load only a server on this machine", param_hint="--url")
        with httpx.Client(base_url=url, timeout=30.0) as client:
            shop = fx.prepare_shop(client, credentials, site.upper())
            if flash_sale:
                err_console.print(f"bench http: flash sale, {buyers} buyers for {units} units")
                report = run_flash_sale(client, shop, units, buyers)
                emit(report, as_json=as_json, title="flash sale")
                if not flash_sale_ok(report):
                    raise typer.Exit(3)
                return
        err_console.print(
            f"bench http: 3 phases of {seconds}s, {concurrency} clients, "
            f"{len(shop.customer_tokens)} shoppers, {len(shop.offer_ids)} stocked offers ..."
        )
        report = run_mix(url, shop, seconds, concurrency, seed)
        emit(report, as_json=as_json, title="http benchmark")
