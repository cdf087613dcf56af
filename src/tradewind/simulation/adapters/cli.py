"""``tradewind simulate``: run the living world through the real services."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import typer
from sqlalchemy import func, insert, select

from tradewind.bootstrap import Container, bootstrap
from tradewind.economics.kpis import kpis
from tradewind.economics.rates import rates_as_of
from tradewind.platform.cli.output import emit, err_console
from tradewind.platform.settings import get_settings
from tradewind.shared.clock import FixedClock
from tradewind.simulation.runner import SimParams, SimStats, Simulation, customs_kpis
from tradewind.transport.adapters import network_tables as nt

DEFAULT_START = datetime(2026, 12, 1, tzinfo=UTC)


def next_start(container: Container) -> datetime:
    """Continue after the last run's simulated end (so runs never overlap in time)."""
    with container.engine.connect() as c:
        last = c.execute(select(func.max(nt.simulation_runs.c.sim_end))).scalar()
    return max(DEFAULT_START, last) if last else DEFAULT_START


def run_simulation(
    params_kw: dict[str, Any],
    *,
    progress: bool = True,
    should_stop: Any = None,
    routing: bool = True,
) -> dict[str, Any]:
    """Run, record and report a simulation; ``routing`` prices vans from daily PyVRP routes
    (docs/routing.md, "Last mile in the simulation"), else from the constant van day."""
    from tradewind.simulation.adapters.kpis import run_aggregates
    from tradewind.simulation.adapters.platform_ports import PlatformPorts, route_solver

    clock = FixedClock(DEFAULT_START)
    container = bootstrap(get_settings(), clock=clock)
    start = params_kw.pop("start", None) or next_start(container)
    clock.set(start)
    run_id = f"sim{secrets.token_hex(4)}"
    params = SimParams(start=start, run_id=run_id, **params_kw)
    sim = Simulation(
        PlatformPorts(container, run_id, seed=params.seed),
        params,
        route_solver=route_solver() if routing else None,
    )

    def tick(at: datetime, stats: SimStats) -> None:
        if progress and at.minute == 0 and at.hour % 6 == 0:
            err_console.print(
                f"  {at:%Y-%m-%d %H:%M} placed={stats.placed} "
                f"refused={stats.refused} steps={stats.steps} "
                f"in_flight={len(sim.queue)}"
            )

    stats = sim.run(on_tick=tick, should_stop=should_stop or (lambda: False))
    report: dict[str, Any] = kpis(run_aggregates(container.engine, run_id))
    seconds = round(stats.real_seconds, 2)
    report |= {
        "run_id": run_id,
        "seed": params.seed,
        "days": params.days,
        "sim_start": start.isoformat(),
        "sim_end": (stats.sim_end or start).isoformat(),
        "real_seconds": seconds,
        "seconds_per_sim_day": round(seconds / params.days, 2) if params.days else None,
        "orders_per_real_second": round(stats.placed / seconds, 1) if seconds else None,
        "attempted_orders": stats.attempted,
        "refused_orders": stats.refused,
        "tracking_steps": stats.steps,
        "restocked_units": stats.restocked_units,
        "customs": customs_kpis(stats),
        "last_mile": sim.last_mile.stats.kpis() if sim.last_mile else {"routing": False},
        "database": container.engine.dialect.name,
        "fx_rates_as_of": rates_as_of(),
    }
    with container.engine.begin() as c:
        c.execute(
            insert(nt.simulation_runs),
            [
                {
                    "run_id": run_id,
                    "seed": params.seed,
                    "params": {
                        "days": params.days,
                        "orders_per_day": params.orders_per_day,
                        "tick_minutes": params.tick_minutes,
                        "drain": params.drain,
                        "represented": params.represented,
                        "routing": routing,
                        "last_mile": asdict(params.last_mile),
                        "peak_days": [d.isoformat() for d in params.peak_days],
                    },
                    "sim_start": start,
                    "sim_end": stats.sim_end or start,
                    "real_seconds": stats.real_seconds,
                    "kpis": report,
                }
            ],
        )
    return report


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate(
        days: float = typer.Option(1.0, min=0.01, max=365, help="simulated days of demand"),
        seed: int = typer.Option(0, help="seed of demand and logistics draws"),
        orders_per_day: int = typer.Option(2_000, min=1, help="mean orders per day, all sites"),
        peak: list[str] = typer.Option([], help="peak-event day(s) YYYY-MM-DD (x3 demand)"),
        drain: bool = typer.Option(True, help="after demand stops, deliver what is in flight"),
        represented: int = typer.Option(
            10_000,
            min=1,
            help="real parcels per simulated parcel when trailers and vans "
            "are shared (1 = the simulated volume alone)",
        ),
        routing: bool = typer.Option(
            True,
            "--routing/--no-routing",
            help="price vans from each station's daily PyVRP routes (else a constant van day)",
        ),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Run demand, checkout, fulfillment and delivery for D simulated days on the world in
        TRADEWIND_DATABASE_URL; print the KPIs (documented in the README)."""
        try:
            peaks = tuple(date.fromisoformat(p) for p in peak)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--peak") from exc
        err_console.print(f"simulating {days} day(s), seed {seed}, ~{orders_per_day} orders/day")
        report = run_simulation(
            {
                "seed": seed,
                "days": days,
                "orders_per_day": orders_per_day,
                "peak_days": peaks,
                "drain": drain,
                "represented": represented,
            },
            progress=not as_json,
            routing=routing,
        )
        emit(report, as_json=as_json, title="simulation")


__all__ = ["DEFAULT_START", "register", "run_simulation", "timedelta"]
