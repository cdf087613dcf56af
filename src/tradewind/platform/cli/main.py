"""The ``tradewind`` command line. Each context registers a sub-app here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from tradewind.customs.adapters import cli as customs
from tradewind.fulfillment.adapters import cli as inbound
from tradewind.governance.adapters import cli as governance
from tradewind.orders.adapters import cli as orders
from tradewind.platform.cli import check, db, tokens, worker
from tradewind.simulation.adapters import cli as simulate
from tradewind.simulation.adapters import world_cli as world
from tradewind.tracking.adapters import cli as tracking
from tradewind.transport.adapters import cli as transport

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI
    from rich.console import Console

# The evaluation harness is its own distribution (benchmarks/, `tradewind-bench`): when it is
# installed it plugs its `bench` sub-app in through this entry-point group; the product never
# imports it.
BENCH_ENTRY_POINTS = "tradewind.bench"


def bench_app() -> typer.Typer | None:
    """The harness's `bench` sub-app, when the harness is installed."""
    from importlib.metadata import entry_points

    for ep in entry_points(group=BENCH_ENTRY_POINTS):
        loaded = ep.load()
        if isinstance(loaded, typer.Typer):
            return loaded
    return None


def bench_not_installed(ctx: typer.Context) -> None:
    """Benchmarks (the harness is not installed)."""
    typer.echo(
        "the benchmark harness is not installed: `pip install -e '.[bench]' -e benchmarks` "
        "(or `make venv`, which installs it)",
        err=True,
    )
    raise typer.Exit(2)


app = typer.Typer(
    name="tradewind",
    help="Tradewind: marketplace, fulfillment network and simulated world.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(world.app, name="world")
app.add_typer(orders.app, name="orders")
app.add_typer(customs.app, name="customs")
app.add_typer(inbound.app, name="inbound")
app.add_typer(governance.app, name="governance")
app.add_typer(tracking.epcis_app, name="epcis")
app.add_typer(transport.app, name="transport")
app.add_typer(tokens.app, name="tokens")
app.command("track")(tracking.track_command)
app.command("worker")(worker.worker)
app.command("check")(check.check_command)
_bench = bench_app()
if _bench is not None:
    app.add_typer(_bench, name="bench")
else:  # any `tradewind bench ...` says how to install the harness
    app.command(
        "bench", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(bench_not_installed)
simulate.register(app)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to bind"),
    port: int = typer.Option(8000, help="TCP port"),
    workers: int = typer.Option(
        1, min=1, max=64, help="server processes (each with its own pool and threads)"
    ),
    graceful_s: int = typer.Option(
        30, "--graceful-timeout", min=1, help="seconds in-flight requests get after SIGTERM"
    ),
    log_level: str = typer.Option("info", help="debug, info, warning or error"),
) -> None:
    """Serve the API (and pages) with uvicorn: ``--workers`` processes share the port, logs
    are JSON lines with request ids on stderr, SIGTERM or Ctrl-C stops accepting and lets
    in-flight requests finish (no demo conveniences: see ``demo``)."""
    import uvicorn

    from tradewind.platform.web.observability import log_config

    config = uvicorn.Config(
        f"{__name__}:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_graceful_shutdown=graceful_s,
        log_config=log_config(log_level),
        log_level=log_level,
        access_log=False,  # the request-id middleware writes the access line
        server_header=False,
    )
    _supervise(config)


def _supervise(config: uvicorn.Config) -> None:
    """A supervisor process binds the port and runs ``config.workers`` worker processes
    (also for one: the same process model, a dead worker is replaced, and SIGTERM ends in
    exit status 0 once every worker has finished its in-flight requests)."""
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[config.bind_socket()]).run()


def serve_app() -> FastAPI:
    """The app ``serve`` runs, built in each worker process (its own engine and pool)."""
    from tradewind.bootstrap import bootstrap
    from tradewind.platform.settings import get_settings
    from tradewind.platform.web.app import create_app

    return create_app(bootstrap(get_settings().model_copy(update={"demo": False})))


# Labelled bad actors in the demo world, so the ops case queue has cases on a fresh demo.
DEMO_BAD_ACTORS = 6


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    seed: int = typer.Option(7, help="seed of the demo world and its simulation"),
    pace: float = typer.Option(2.0, min=0.0, help="real seconds per simulated 15 minutes"),
    simulate: bool = typer.Option(True, help="run the live simulation in the background"),
) -> None:
    """Migrate, build the demo world once (with a few labelled bad actors, then one governance
    scan), serve it and run the live simulation (Ctrl-C)."""
    import threading
    import time

    import uvicorn

    from tradewind.bootstrap import bootstrap
    from tradewind.platform.cli.output import console
    from tradewind.platform.db.engine import make_engine
    from tradewind.platform.db.migrate import upgrade
    from tradewind.platform.settings import get_settings
    from tradewind.platform.web.app import create_app
    from tradewind.simulation.adapters.cli import run_simulation
    from tradewind.simulation.adapters.world_cli import build_into, ensure_demo_operators
    from tradewind.simulation.adapters.world_loader import is_empty
    from tradewind.simulation.world import WorldParams

    # Demo conveniences (token lists on the login pages) are on for this server only.
    settings = get_settings().model_copy(update={"demo": True})
    upgrade(settings.database_url)
    if is_empty(make_engine(settings.database_url)):
        console.print(f"building the demo world (seed {seed}) ...")
        build_into(settings.database_url, WorldParams(seed, bad_actors=DEMO_BAD_ACTORS))
        _first_scan(console)
    ensure_demo_operators(settings.database_url)
    stop = threading.Event()

    def live() -> None:
        last = [time.monotonic()]

        def paced() -> bool:
            # Called once per simulated tick: hold the simulated clock to the chosen pace.
            wait = pace - (time.monotonic() - last[0])
            if wait > 0:
                stop.wait(wait)
            last[0] = time.monotonic()
            return stop.is_set()

        run_simulation(
            {"seed": seed, "days": 365.0, "drain": False}, progress=True, should_stop=paced
        )

    if simulate:
        threading.Thread(target=live, name="live-simulation", daemon=True).start()
    console.print(
        f"[bold green]Tradewind[/] at http://{host}:{port}/ (API docs: /docs)  "
        "(demo tokens in var/demo_credentials.json, operators ops-1/ops-2 for /ops; "
        f"{'live simulation running; ' if simulate else ''}Ctrl-C stops)"
    )
    try:
        uvicorn.run(create_app(bootstrap(settings)), host=host, port=port, log_level="warning")
    finally:
        stop.set()


def _first_scan(console: Console) -> None:
    """One governance scan of the fresh demo world, so /ops/cases has content."""
    from tradewind.bootstrap import bootstrap
    from tradewind.governance.adapters.scan import scan
    from tradewind.simulation.adapters.world_cli import BAD_ACTORS

    c = bootstrap()
    report = scan(c.engine, c.clock)
    c.reindex_products(report.products)
    console.print(
        f"governance scan: {len(report.opened)} case(s) opened (see /ops/cases; "
        f"the {DEMO_BAD_ACTORS} seeded bad actors are labelled in {BAD_ACTORS})"
    )


def main() -> None:  # pragma: no cover - console entry point
    app()
