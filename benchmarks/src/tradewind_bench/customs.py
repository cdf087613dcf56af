"""``tradewind bench customs``: landed-cost quote throughput and latency.

Registered by the lead with ``bench_customs.register(bench.app)``. The workload is a
seeded mix of the 14 destinations, catalog HS codes, values and quote dates.
"""

from __future__ import annotations

import os
import platform
import random
import time
from datetime import date, timedelta
from typing import Annotated, Any

import typer

from tradewind.customs.api import QuoteEngine, QuoteLine, QuoteRequest
from tradewind.customs.hs import category_map
from tradewind.platform.cli.output import emit
from tradewind.shared.money import Money

_ORIGINS = ("CN", "US", "GB", "DE", "JP", "IN", "MX", "CA", "VN", "TR")


def workload(n: int, seed: int = 0) -> list[QuoteRequest]:
    """``n`` seeded requests across every supported destination."""
    rng = random.Random(seed)
    engine = QuoteEngine()
    dests = engine.rules.destinations
    codes = sorted(category_map().values())
    start = date(2025, 1, 2)
    out: list[QuoteRequest] = []
    for _ in range(n):
        dest = rng.choice(dests)
        origin = rng.choice([o for o in _ORIGINS if o != dest])
        cur = engine.rules.currency_of(dest)
        scale = 100 if cur in ("JPY", "INR") else 1
        lines = tuple(
            QuoteLine(rng.choice(codes), Money(rng.randint(100, 40_000) * scale, cur))
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        )
        out.append(
            QuoteRequest(
                origin=origin,
                destination=dest,
                lines=lines,
                shipping=Money(rng.randint(0, 2_000) * scale, cur),
                on=start + timedelta(days=rng.randint(0, 700)),
            )
        )
    return out


def run_bench(n: int, seed: int = 0) -> dict[str, Any]:
    """Quote ``n`` requests once each (after a warm-up) and summarise the latencies."""
    engine = QuoteEngine()
    requests = workload(n, seed)
    for req in requests[: min(200, n)]:
        engine.quote(req)
    timings: list[int] = []
    started = time.perf_counter_ns()
    for req in requests:
        t0 = time.perf_counter_ns()
        engine.quote(req)
        timings.append(time.perf_counter_ns() - t0)
    elapsed = time.perf_counter_ns() - started
    timings.sort()
    return {
        "quotes": n,
        "seed": seed,
        "quotes_per_s": round(n / (elapsed / 1e9), 1),
        "p50_ms": round(timings[len(timings) // 2] / 1e6, 4),
        "p99_ms": round(timings[min(len(timings) - 1, (len(timings) * 99) // 100)] / 1e6, 4),
        "max_ms": round(timings[-1] / 1e6, 4),
        "p99_budget_ms": 5.0,
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "system": platform.system(),
            "machine": platform.machine(),
            "processor": platform.processor() or "unknown",
            "cpu_count": os.cpu_count(),
        },
    }


def register(bench_app: typer.Typer) -> None:
    """Add the ``customs`` command to the ``tradewind bench`` sub-app."""

    @bench_app.command("customs")
    def bench_customs(
        json_output: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
        quotes: Annotated[int, typer.Option("--quotes", min=1, help="number of quotes")] = 20_000,
        seed: Annotated[int, typer.Option("--seed", help="workload seed")] = 0,
    ) -> None:
        """Landed-cost quotes per second and p50/p99 latency (budget: p99 < 5 ms)."""
        emit(run_bench(quotes, seed), as_json=json_output, title="bench customs")
