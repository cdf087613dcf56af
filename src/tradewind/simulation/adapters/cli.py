"""``tradewind simulate``: run the living world through the real services."""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import typer
from sqlalchemy import func, select

from tradewind.bootstrap import Container, bootstrap
from tradewind.economics.kpis import kpis
from tradewind.economics.rates import rates_as_of
from tradewind.platform.cli.output import emit, err_console
from tradewind.platform.settings import get_settings
from tradewind.shared.clock import FixedClock
from tradewind.simulation.last_mile import LastMileParams
from tradewind.simulation.runner import SimParams, SimStats, Simulation, customs_kpis
from tradewind.transport.adapters import network_tables as nt

if TYPE_CHECKING:
    from tradewind.simulation.adapters.platform_ports import PlatformPorts

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
    resume: bool = True,
) -> dict[str, Any]:
    """Run, record and report a simulation; ``routing`` prices vans from daily PyVRP routes
    (docs/routing.md, "Last mile in the simulation"), else from the constant van day.

    With ``resume`` (the default), a run that was killed is continued first instead: same
    run id, seed and parameters, from its last checkpoint (``params_kw`` are then ignored)."""
    from tradewind.simulation.adapters import run_record

    clock = FixedClock(DEFAULT_START)
    container = bootstrap(get_settings(), clock=clock)
    with container.engine.connect() as c:
        interrupted = run_record.interrupted_runs(c) if resume else []
    if interrupted:
        return _resume(container, interrupted[0], progress=progress, should_stop=should_stop)
    start = params_kw.pop("start", None) or next_start(container)
    run_id = f"sim{secrets.token_hex(4)}"
    params = SimParams(start=start, run_id=run_id, **params_kw)
    run_record.start(container.engine, run_id, params.seed, _recorded(params, routing), start)
    sim, ports = _simulation(container, params, routing=routing, resumes=0)
    return _drive(container, (sim, ports), (0, 0.0), progress=progress, should_stop=should_stop)


def _recorded(params: SimParams, routing: bool) -> dict[str, Any]:
    return {
        "days": params.days,
        "orders_per_day": params.orders_per_day,
        "tick_minutes": params.tick_minutes,
        "drain": params.drain,
        "represented": params.represented,
        "routing": routing,
        "last_mile": asdict(params.last_mile),
        "peak_days": [d.isoformat() for d in params.peak_days],
    }


def _simulation(
    container: Container, params: SimParams, *, routing: bool, resumes: int
) -> tuple[Simulation, PlatformPorts]:
    from tradewind.simulation.adapters.platform_ports import PlatformPorts, route_solver

    assert isinstance(container.clock, FixedClock)
    container.clock.set(params.start)
    ports = PlatformPorts(container, params.run_id, seed=params.seed, resumes=resumes)
    return Simulation(ports, params, route_solver=route_solver() if routing else None), ports


def _resume(container: Container, run: Any, *, progress: bool, should_stop: Any) -> dict[str, Any]:
    """Continue a killed run: restore its last checkpoint, re-derive its parcels on the way
    from the database, and go on; orders of the unfinished tick are drawn again with the same
    Idempotency-Keys (so checkout answers with the orders already written)."""
    from tradewind.simulation import checkpoint

    p = dict(run.params)
    params = SimParams(
        seed=run.seed,
        days=p["days"],
        start=run.sim_start,
        orders_per_day=p["orders_per_day"],
        tick_minutes=p["tick_minutes"],
        peak_days=tuple(date.fromisoformat(d) for d in p["peak_days"]),
        drain=p["drain"],
        run_id=run.run_id,
        represented=p["represented"],
        last_mile=LastMileParams(**p["last_mile"]),
    )
    resumes = run.resumes + 1
    sim, ports = _simulation(container, params, routing=p["routing"], resumes=resumes)
    if run.checkpoint:
        checkpoint.restore(sim, run.checkpoint)
    if sim.now is not None:
        ports.set_time(sim.now)
    requeued = ports.requeue_run(sim, sim.t)
    err_console.print(
        f"resuming {run.run_id} at {sim.t:%Y-%m-%d %H:%M} "
        f"({requeued} parcel(s) on their way re-queued)"
    )
    state = (resumes, run.real_seconds)
    return _drive(container, (sim, ports), state, progress=progress, should_stop=should_stop)


def _drive(
    container: Container,
    driven: tuple[Simulation, PlatformPorts],
    state: tuple[int, float],
    *,
    progress: bool,
    should_stop: Any,
) -> dict[str, Any]:
    """Run to the end, checkpointing after every tick and sweeping abandoned checkouts every
    six simulated hours; record and return the report."""
    from tradewind.simulation import checkpoint
    from tradewind.simulation.adapters import run_record
    from tradewind.simulation.adapters.kpis import run_aggregates

    (sim, ports), (resumes, earlier_seconds) = driven, state
    params = sim.p
    started = time.perf_counter()

    def tick(at: datetime, stats: SimStats) -> None:
        if at.minute == 0 and at.hour % 6 == 0:
            ports.sweep(at)
            if progress:
                err_console.print(
                    f"  {at:%Y-%m-%d %H:%M} placed={stats.placed} "
                    f"refused={stats.refused} steps={stats.steps} "
                    f"in_flight={len(sim.queue)}"
                )
        seconds = earlier_seconds + time.perf_counter() - started
        run_record.checkpoint(
            container.engine,
            params.run_id,
            checkpoint.snapshot(sim),
            resumes=resumes,
            seconds=seconds,
        )

    stats = sim.run(on_tick=tick, should_stop=should_stop or (lambda: False))
    ports.sweep(stats.sim_end or sim.t)
    report: dict[str, Any] = kpis(run_aggregates(container.engine, params.run_id))
    seconds = round(earlier_seconds + stats.real_seconds, 2)
    start = params.start
    report |= {
        "run_id": params.run_id,
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
        "resumes": resumes,
    }
    run_record.finish(container.engine, params.run_id, stats.sim_end or start, seconds, report)
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
