"""The ``tradewind`` command line. Each context registers a sub-app here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from tradewind.customs.adapters import cli as customs
from tradewind.fulfillment.adapters import cli as inbound
from tradewind.governance.adapters import cli as governance
from tradewind.orders.adapters import cli as orders
from tradewind.platform.cli import db
from tradewind.simulation.adapters import cli as simulate
from tradewind.simulation.adapters import world_cli as world
from tradewind.tracking.adapters import cli as tracking
from tradewind.transport.adapters import cli as transport

if TYPE_CHECKING:
    from rich.console import Console

# The evaluation harness is its own distribution (benchmarks/, `tradewind-bench`): when it is
# installed it plugs its `bench` sub-app in through this entry-point group; the product never
# imports it.
BENCH_ENTRY_POINTS = "tradewind.bench"


def bench_app() -> typer.Typer:
    """The harness's `bench` sub-app, or one that says how to install it."""
    from importlib.metadata import entry_points

    found = entry_points(group=BENCH_ENTRY_POINTS)
    for ep in found:
        loaded = ep.load()
        if isinstance(loaded, typer.Typer):
            return loaded
    missing = typer.Typer(help="Benchmarks (not installed: pip install -e benchmarks).")

    @missing.callback(invoke_without_command=True)
    def _not_installed() -> None:
        typer.echo(
            "the benchmark harness is not installed: `pip install -e benchmarks` "
            "(or `make venv`, which installs it)",
            err=True,
        )
        raise typer.Exit(2)

    return missing


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
app.command("track")(tracking.track_command)
app.add_typer(bench_app(), name="bench")
simulate.register(app)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to bind"),
    port: int = typer.Option(8000, help="TCP port"),
) -> None:
    """Serve the API (and pages) with uvicorn (no demo conveniences: see ``demo``)."""
    import uvicorn

    from tradewind.bootstrap import bootstrap
    from tradewind.platform.settings import get_settings
    from tradewind.platform.web.app import create_app

    settings = get_settings().model_copy(update={"demo": False})
    uvicorn.run(create_app(bootstrap(settings)), host=host, port=port, log_level="info")


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
