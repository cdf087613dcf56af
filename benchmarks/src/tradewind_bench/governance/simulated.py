"""End-to-end simulated fraud bench: build a world, run the living simulation through the real
services, read what it produced, inject labelled bad actors (``tradewind_bench.fraud``) and
measure the detectors and the policy in simulated time (``simulated_eval.py``)."""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from tradewind.platform.db import tables as t
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind_bench.fraud.inject import inject
from tradewind_bench.fraud.records import (
    FraudParams,
    SimLine,
    SimOffer,
    SimOrder,
    SimSeller,
    WorldFacts,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SimulatedBenchSettings:
    seed: int = 0
    days: float = 1.0
    rate: float = 0.05
    orders_per_day: int = 2_000
    products: int = 2_000
    customers: int = 3_000
    sellers: int = 120
    review_days: float = 7.0
    eval_step_minutes: int = 60


def simulate_world(url: str, s: SimulatedBenchSettings, say: Progress) -> tuple[datetime, Any]:
    """Build a world of seed ``s.seed`` into an empty DB and run ``s.days`` of demand."""
    from tradewind.bootstrap import bootstrap
    from tradewind.platform.settings import Settings
    from tradewind.shared.clock import FixedClock
    from tradewind.simulation.adapters.cli import DEFAULT_START
    from tradewind.simulation.adapters.platform_ports import PlatformPorts
    from tradewind.simulation.adapters.world_inputs import origin_cities, site_inputs
    from tradewind.simulation.adapters.world_loader import is_empty, load_world
    from tradewind.simulation.runner import SimParams, SimStats, Simulation
    from tradewind.simulation.world import WorldParams, build_world

    upgrade(url)
    engine = make_engine(url)
    if not is_empty(engine):
        raise FileExistsError("the database already holds a world; use an empty one")
    params = WorldParams(s.seed, s.products, s.customers, s.sellers)
    say(f"building world (seed {s.seed}, {s.products} products, {s.customers} customers)")
    load_world(engine, build_world(params, site_inputs(), origin_cities()), s.seed)
    engine.dispose()
    clock = FixedClock(DEFAULT_START)
    container = bootstrap(Settings(database_url=url), clock=clock)
    run_id = f"fraud{s.seed}"
    sim_params = SimParams(
        seed=s.seed,
        days=s.days,
        start=DEFAULT_START,
        orders_per_day=s.orders_per_day,
        run_id=run_id,
    )
    sim = Simulation(PlatformPorts(container, run_id), sim_params)

    def tick(at: datetime, stats: SimStats) -> None:
        if at.minute == 0 and at.hour % 6 == 0:
            say(f"  simulated {at:%Y-%m-%d %H:%M} placed={stats.placed} steps={stats.steps}")

    say(f"simulating {s.days} day(s) of demand, ~{s.orders_per_day} orders/day (drained)")
    stats = sim.run(on_tick=tick)
    container.engine.dispose()
    return DEFAULT_START, stats


def read_world_facts(engine: Engine, start: datetime, days: float) -> WorldFacts:
    """What the simulation produced, as plain records for the fraud model."""
    end = start + timedelta(days=days)
    with engine.connect() as c:
        sites = {r.site_id: r.country for r in c.execute(select(t.sites))}
        sellers = [
            SimSeller(r.seller_id, r.country, r.kind == "third_party", r.created_at)
            for r in c.execute(select(t.sellers).order_by(t.sellers.c.seller_id))
        ]
        brands = {r.brand_id: r.owner_seller_id for r in c.execute(select(t.brands))}
        products = {
            r.product_id: r.brand_id
            for r in c.execute(select(t.products.c.product_id, t.products.c.brand_id))
        }
        offers = [
            SimOffer(r.offer_id, r.seller_id, r.product_id, r.site_id, r.price_minor, r.currency)
            for r in c.execute(select(t.offers).order_by(t.offers.c.offer_id))
        ]
        customers = {
            r.customer_id: r.site_id
            for r in c.execute(select(t.customers.c.customer_id, t.customers.c.site_id))
        }
        fcs: dict[str, list[str]] = defaultdict(list)
        for r in c.execute(select(t.fulfillment_centers).order_by(t.fulfillment_centers.c.fc_id)):
            fcs[r.site_id].append(r.fc_id)
        orders = _orders(c, start, end)
    return WorldFacts(
        start, days, sites, sellers, brands, products, offers, orders, customers, dict(fcs)
    )


def _orders(c: Any, start: datetime, end: datetime) -> list[SimOrder]:
    o = t.orders.c
    rows = c.execute(select(t.orders).where(o.placed_at >= start, o.placed_at < end)).all()
    lines: dict[str, list[SimLine]] = defaultdict(list)
    ol = t.order_lines.c
    for r in c.execute(
        select(t.order_lines)
        .join(t.orders, o.order_id == ol.order_id)
        .where(o.placed_at >= start, o.placed_at < end)
        .order_by(ol.order_id, ol.line_no)
    ):
        lines[r.order_id].append(
            SimLine(
                r.seller_id,
                r.product_id,
                r.unit_price_minor,
                r.quantity,
                r.currency,
                r.channel == "fba",
            )
        )
    delivered: dict[str, list[datetime | None]] = defaultdict(list)
    sh = t.shipments.c
    for r in c.execute(
        select(sh.order_id, sh.delivered_at)
        .join(t.orders, o.order_id == sh.order_id)
        .where(o.placed_at >= start, o.placed_at < end)
    ):
        delivered[r.order_id].append(r.delivered_at)
    # The platform's order ids are random (uuid), and the fraud model draws in id order: ids
    # are renumbered in placement order so that a seed gives the same bench every run.
    out = []
    for n, r in enumerate(sorted(rows, key=lambda x: (x.placed_at, x.customer_id, x.order_id))):
        times = delivered.get(r.order_id, [None])
        done = None if any(x is None for x in times) else max(x for x in times if x)
        out.append(
            SimOrder(
                f"ord-{n + 1:07d}",
                r.customer_id,
                r.site_id,
                r.placed_at,
                done,
                tuple(lines[r.order_id]),
            )
        )
    return out


def run_simulated_bench(
    s: SimulatedBenchSettings, *, database_url: str | None = None, say: Progress = lambda _: None
) -> dict[str, Any]:
    """The whole bench; a temporary SQLite database unless ``database_url`` names an empty
    one."""
    from tradewind_bench.governance.simulated_eval import evaluate, platform_facts

    with tempfile.TemporaryDirectory(prefix="tw-fraud-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'world.db'}"
        started = time.perf_counter()
        start, stats = simulate_world(url, s, say)
        sim_seconds = time.perf_counter() - started
        engine = make_engine(url)
        facts = read_world_facts(engine, start, s.days)
        engine.dispose()
        say(f"read {len(facts.orders)} orders; injecting bad actors at rate {s.rate}")
        act = inject(facts, FraudParams(s.seed, s.rate, review_days=s.review_days))
        t0 = time.perf_counter()
        report = evaluate(
            act,
            step=timedelta(minutes=s.eval_step_minutes),
            say=say,
            world=platform_facts(facts),
        )
        report["simulation"] = {
            "orders_placed": stats.placed,
            "orders_refused": stats.refused,
            "tracking_steps": stats.steps,
            "sim_start": start.isoformat(),
            "demand_end": act.demand_end.isoformat(),
            "evaluated_until": act.end.isoformat(),
            "database": "sqlite (temporary)" if database_url is None else "configured",
            "seconds": round(sim_seconds, 1),
        }
        report["evaluation_seconds"] = round(time.perf_counter() - t0, 1)
        report["settings"] = asdict(s)
        report["fraud_params"] = asdict(act.params)
    return report
