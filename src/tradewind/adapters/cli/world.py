"""``tradewind world ...``: build a deterministic world and report on it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from tradewind.adapters.cli.output import emit, err_console
from tradewind.adapters.db.engine import make_engine
from tradewind.adapters.db.migrate import upgrade
from tradewind.adapters.db.seller_views import world_stats
from tradewind.adapters.db.world_loader import is_empty, load_world
from tradewind.adapters.world_inputs import SMALL_WORLD_FCS, site_inputs
from tradewind.settings import get_settings
from tradewind.simulation.world import WorldParams, build_world

app = typer.Typer(help="The simulated world: build it, inspect it.", no_args_is_help=True)

CREDENTIALS = Path("var") / "demo_credentials.json"


@app.command("build")
def build(
    seed: int = typer.Option(7, help="random seed: the same seed builds the same world"),
    products: int = typer.Option(200, min=1, max=2_000_000, help="number of products"),
    customers: int = typer.Option(100, min=1, help="customers per site"),
    sellers: int = typer.Option(12, min=1, help="third-party sellers"),
    scale: str = typer.Option("demo", help="demo (the only scale of the foundation world)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Build a world into an empty database (runs migrations first)."""
    if scale != "demo":
        raise typer.BadParameter(
            "only --scale demo is available in this version", param_hint="--scale"
        )
    settings = get_settings()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    if not is_empty(engine):
        err_console.print(
            "[red]the database already holds a world[/red]; point "
            "TRADEWIND_DATABASE_URL at an empty database or delete var/tradewind.db"
        )
        raise typer.Exit(2)
    started = time.perf_counter()
    world = build_world(
        WorldParams(seed, products, customers, sellers), site_inputs(SMALL_WORLD_FCS)
    )
    creds = load_world(
        engine, world, seed, progress=lambda table, n: err_console.print(f"  {table}: {n} rows")
    )
    CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS.write_text(json.dumps(creds, indent=2))
    report = {
        **world_stats(engine),
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 2),
        "credentials_file": str(CREDENTIALS),
    }
    emit(report, as_json=as_json, title="world built")


@app.command("stats")
def stats(as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts of what the world holds."""
    engine = make_engine(get_settings().database_url)
    emit(world_stats(engine), as_json=as_json, title="world")
