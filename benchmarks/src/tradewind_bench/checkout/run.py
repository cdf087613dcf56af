"""``tradewind bench checkout``: checkouts per second through the real service, against the
same transaction in raw SQL, on the configured database."""

from __future__ import annotations

import platform
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, func, select, text

from tradewind.orders.adapters.payments import FakePaymentGateway
from tradewind.orders.checkout import place_order
from tradewind.orders.commands import PlaceOrder
from tradewind.platform.db import tables as t
from tradewind.platform.db.uow import SqlUnitOfWork
from tradewind.shared.clock import SystemClock
from tradewind_bench.checkout.fixture import (
    BenchFixture,
    create_fixture,
    drop_fixture,
    oversold_units,
    workload,
)
from tradewind_bench.checkout.raw import RawCheckout

ROUNDS = 4


@dataclass
class Phase:
    done: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    first_error: str = ""

    def __iadd__(self, other: Phase) -> Phase:
        self.done += other.done
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies_ms += other.latencies_ms
        self.first_error = self.first_error or other.first_error
        return self

    @property
    def per_s(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_phase(
    call: Callable[[str, Any, str], object],
    fx: BenchFixture,
    seconds: float,
    concurrency: int,
    seed: int,
    tag: str,
) -> Phase:
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    lat: list[float] = []
    counts = {"done": 0, "errors": 0}
    first_error: list[str] = []

    def worker(wid: int) -> None:
        rng = random.Random(seed * 1000 + wid)
        n = 0
        while time.perf_counter() < deadline:
            customer, lines = workload(fx, rng)
            n += 1
            t0 = time.perf_counter()
            try:
                call(customer, lines, f"{tag}-{wid}-{n}")
            except Exception as exc:  # counted and reported, never hidden
                with lock:
                    counts["errors"] += 1
                    if not first_error:
                        first_error.append(f"{type(exc).__name__}: {exc}")
                continue
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                counts["done"] += 1
                lat.append(ms)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return Phase(
        counts["done"],
        counts["errors"],
        time.perf_counter() - started,
        lat,
        first_error[0] if first_error else "",
    )


def run_checkout_bench(
    engine: Engine, *, seconds: float, concurrency: int, seed: int = 0
) -> dict[str, Any]:
    fx = create_fixture(engine)
    outbox_start = _max_outbox(engine)
    rounds = max(1, min(ROUNDS, int(seconds // 2)))
    try:
        # Each path asks its own fake PSP (same behaviour, no shared lock between them).
        raw = RawCheckout(engine, FakePaymentGateway())
        psp, clock = FakePaymentGateway(), SystemClock()

        def service(customer: str, lines: Any, key: str) -> object:
            return place_order(PlaceOrder(customer, lines, key), SqlUnitOfWork(engine), psp, clock)

        per_checkout = _count_statements(engine, service, fx, seed)
        calibration = calibration_figures(engine, fx)
        # Warm both paths (connections, prepared statements), then alternate short raw and
        # service rounds (raw first each time) so drifting machine load favours neither.
        run_phase(lambda c, ln, k: raw.run(c, ln, k), fx, 0.5, concurrency, seed, "rawwarm")
        run_phase(service, fx, 0.5, concurrency, seed, "svcwarm")
        raw_phase, svc = Phase(0, 0, 0.0, []), Phase(0, 0, 0.0, [])
        for r in range(rounds):
            raw_phase += run_phase(
                lambda c, ln, k: raw.run(c, ln, k),
                fx,
                seconds / rounds,
                concurrency,
                seed + r,
                f"raw{r}",
            )
            svc += run_phase(service, fx, seconds / rounds, concurrency, seed + r, f"svc{r}")
        over = oversold_units(engine, fx)
    finally:
        drop_fixture(engine, fx)
        _drop_outbox(engine, outbox_start, fx.site_id)
    return {
        "checkouts_per_s": round(svc.per_s, 1),
        "p50_ms": round(_pct(svc.latencies_ms, 0.50), 2),
        "p99_ms": round(_pct(svc.latencies_ms, 0.99), 2),
        "sql_statements_per_checkout": per_checkout,
        "raw_sql_checkouts_per_s": round(raw_phase.per_s, 1),
        "ratio_to_raw": round(svc.per_s / raw_phase.per_s, 3) if raw_phase.per_s else None,
        "oversold_units": over["oversold_units"],
        "database": _describe(engine),
        "calibration": calibration,
        "checkouts": svc.done,
        "errors": svc.errors,
        "raw_checkouts": raw_phase.done,
        "raw_errors": raw_phase.errors,
        "first_error": svc.first_error or raw_phase.first_error or None,
        "raw_p50_ms": round(_pct(raw_phase.latencies_ms, 0.50), 2),
        "raw_p99_ms": round(_pct(raw_phase.latencies_ms, 0.99), 2),
        "settings": {
            "seconds": seconds,
            "concurrency": concurrency,
            "seed": seed,
            "workload": "1-3 offers x 1-2 units, 200 products in 3 FCs, 400 customers",
        },
        "machine": {
            "cpus": _cpus(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }


CALIBRATION_CHECKOUTS = 100


def _count_statements(
    engine: Engine, service: Callable[[str, Any, str], object], fx: BenchFixture, seed: int
) -> float:
    """Statements per checkout, counted on an untimed calibration pass (so the timed rounds
    run without a listener the raw rounds do not have)."""
    n = {"statements": 0}

    def count(*_a: Any) -> None:
        n["statements"] += 1

    rng = random.Random(seed - 1)
    event.listen(engine, "before_cursor_execute", count)
    try:
        for i in range(CALIBRATION_CHECKOUTS):
            customer, lines = workload(fx, rng)
            service(customer, lines, f"cal-{i}")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return round(n["statements"] / CALIBRATION_CHECKOUTS, 2)


def calibration_figures(engine: Engine, fx: BenchFixture) -> dict[str, int]:
    """What the seeded calibration carts wrote: deterministic for a seed, whatever the
    machine (the bench test pins them, so a change in what checkout writes fails it)."""
    o, ol, le = t.orders.c, t.order_lines.c, t.ledger_entries.c
    mine = select(o.order_id).where(o.site_id == fx.site_id, o.idempotency_key.like("cal-%"))
    with engine.connect() as c:
        orders, total = c.execute(
            select(func.count(), func.coalesce(func.sum(o.total_minor), 0)).where(
                o.order_id.in_(mine)
            )
        ).one()
        units = c.execute(
            select(func.coalesce(func.sum(ol.quantity), 0)).where(ol.order_id.in_(mine))
        ).scalar()
        ledger = c.execute(select(func.count()).where(le.reference.in_(mine))).scalar()
    return {
        "orders": orders,
        "units": int(units or 0),
        "total_minor": int(total),
        "ledger_rows": int(ledger or 0),
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def _describe(engine: Engine) -> str:
    with engine.connect() as c:
        if engine.dialect.name == "postgresql":
            version = c.execute(text("SHOW server_version")).scalar()
            return f"postgresql {version}"
        version = c.execute(text("select sqlite_version()")).scalar()
        return f"sqlite {version}"


def _max_outbox(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.coalesce(func.max(t.outbox.c.id), 0))).scalar() or 0)


def _drop_outbox(engine: Engine, start: int, site_id: str) -> None:
    """Remove the bench's own outbox rows (they name its throwaway site)."""
    from sqlalchemy import String, cast, delete

    with engine.begin() as c:
        c.execute(
            delete(t.outbox).where(
                t.outbox.c.id > start, cast(t.outbox.c.payload, String).like(f"%{site_id}%")
            )
        )
