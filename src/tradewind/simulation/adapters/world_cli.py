"""``tradewind world ...``: build a deterministic world and report on it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, select

from tradewind.bootstrap import bootstrap
from tradewind.governance.adapters.operators import add_operator
from tradewind.governance.adapters.tables import operators
from tradewind.marketplace.adapters.seller_views import world_stats
from tradewind.platform.cli.output import emit, err_console
from tradewind.platform.db.engine import make_engine
from tradewind.platform.db.migrate import upgrade
from tradewind.platform.settings import get_settings
from tradewind.simulation.adapters.world_inputs import origin_cities, site_inputs
from tradewind.simulation.adapters.world_loader import (
    DEMO_CUSTOMER_TOKENS,
    is_empty,
    load_world,
)
from tradewind.simulation.world import World, WorldParams, build_world, catalog_batches
from tradewind.simulation.world_bad_actors import BadActorKind

app = typer.Typer(help="The simulated world: build it, inspect it.", no_args_is_help=True)

CREDENTIALS = Path("var") / "demo_credentials.json"
# Labels of the seeded bad actors (``--bad-actors``): kept out of every table the detectors read.
BAD_ACTORS = Path("var") / "demo_bad_actors.json"
SCALES = {"demo": (2_000, 3_000, 120), "large": (1_000_000, 200_000, 5_000)}


def build_into(
    url: str,
    params: WorldParams,
    *,
    show_progress: bool = True,
    customer_tokens: int = DEMO_CUSTOMER_TOKENS,
) -> dict[str, object]:
    """Migrate, refuse a non-empty database, build and load; returns a report.
    ``customer_tokens``: customers per site with a demo token (the world itself is the same)."""
    upgrade(url)
    engine = make_engine(url)
    if not is_empty(engine):
        raise FileExistsError(
            "the database already holds a world; point TRADEWIND_DATABASE_URL "
            "at an empty database or delete var/tradewind.db"
        )
    started = time.perf_counter()
    world = build_world(params, site_inputs(), origin_cities())
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, disable=not show_progress) as bar:
        task = bar.add_task("loading world", total=None)
        products = bar.add_task("products", total=params.products)

        def tick(table: str, n: int) -> None:
            bar.advance(products if table == "products" else task, n)

        creds = load_world(
            engine, world, params.seed, progress=tick, customer_tokens=customer_tokens
        )
    creds |= _demo_operators(engine)
    CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS.write_text(json.dumps(creds, indent=2))
    labels = write_bad_actor_labels(world)
    seconds = round(time.perf_counter() - started, 2)
    counts = world_stats(engine)
    engine.dispose()
    report: dict[str, object] = {
        **counts,
        "seed": params.seed,
        "scale": params.scale,
        "seconds": seconds,
        "credentials_file": str(CREDENTIALS),
    }
    if labels:
        report["bad_actors"] = len(labels)
        report["bad_actors_file"] = str(BAD_ACTORS)
    return report


def _demo_operators(engine: Engine) -> dict[str, str]:
    """Two operators for the ops console, so the four-eyes rule on appeals can be tried."""
    return {f"ops-{n}": add_operator(engine, f"ops-{n}", f"Demo operator {n}") for n in (1, 2)}


def ensure_demo_operators(url: str) -> None:
    """A world built before operators existed gets the two demo operators (their tokens are
    added to the credentials file); a database with operators is left alone."""
    engine = make_engine(url)
    with engine.connect() as c:
        if c.execute(select(operators.c.operator_id).limit(1)).first() is not None:
            return
    creds = json.loads(CREDENTIALS.read_text()) if CREDENTIALS.exists() else {}
    creds |= _demo_operators(engine)
    CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS.write_text(json.dumps(creds, indent=2))


def bad_actor_labels(world: World) -> list[dict[str, object]]:
    """One entry per labelled bad actor: seller, kind, what it did, its offers (hijackers)."""
    if not world.bad_actors:
        return []
    bad = {a.seller_id for a in world.bad_actors}
    offers: dict[str, list[str]] = {}
    for o in next(catalog_batches(world)).offers:  # hijackers list only on the first batch
        if o.seller_id in bad:
            offers.setdefault(o.seller_id, []).append(o.offer_id)
    return [
        {
            "seller_id": a.seller_id,
            "kind": a.kind.value,
            "story": a.story,
            "offers": offers.get(a.seller_id, []) if a.kind is BadActorKind.HIJACKER else [],
        }
        for a in world.bad_actors
    ]


def write_bad_actor_labels(world: World) -> list[dict[str, object]]:
    """Write (or, for a world without bad actors, remove) ``var/demo_bad_actors.json``."""
    labels = bad_actor_labels(world)
    if labels:
        BAD_ACTORS.parent.mkdir(parents=True, exist_ok=True)
        BAD_ACTORS.write_text(
            json.dumps({"seed": world.params.seed, "bad_actors": labels}, indent=2)
        )
    else:
        BAD_ACTORS.unlink(missing_ok=True)  # a stale file would label sellers of another world
    return labels


@app.command("build")
def build(
    seed: int = typer.Option(7, help="random seed: the same seed builds the same world"),
    scale: str = typer.Option("demo", help="demo (seconds) or large (1M products, minutes)"),
    products: int | None = typer.Option(
        None, min=1, max=5_000_000, help="products (default: 2,000 demo, 1,000,000 large)"
    ),
    customers: int | None = typer.Option(None, min=14, help="customers across all sites"),
    sellers: int | None = typer.Option(None, min=1, help="third-party sellers"),
    bad_actors: int = typer.Option(
        0,
        "--bad-actors",
        min=0,
        max=1_000,
        help="labelled bad actors for the demo (hijackers, flawed tax IDs); 0: none",
    ),
    load_customers: int = typer.Option(
        DEMO_CUSTOMER_TOKENS,
        "--load-customers",
        min=1,
        max=100_000,
        help="customers per site with a token in the credentials file (more for a load test)",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Build the world (14 sites, 125 FCs at real cities) into an empty database."""
    if scale not in SCALES:
        raise typer.BadParameter(f"choose one of {sorted(SCALES)}", param_hint="--scale")
    d_products, d_customers, d_sellers = SCALES[scale]
    params = WorldParams(
        seed,
        products or d_products,
        customers or d_customers,
        sellers or d_sellers,
        scale,
        bad_actors=bad_actors,
    )
    url = get_settings().database_url
    try:
        report = build_into(url, params, show_progress=True, customer_tokens=load_customers)
    except FileExistsError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    report["database_bytes"] = database_bytes(url)
    emit(report, as_json=as_json, title="world built")


def database_bytes(url: str) -> int | None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return Path(u.database or "").stat().st_size if u.database else None
    with make_engine(url).connect() as c:
        return int(c.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


@app.command("stats")
def stats(as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts of what the world holds."""
    emit(world_stats(bootstrap().engine), as_json=as_json, title="world")
