"""``tradewind bench sourcing``: myopic greedy vs batch MIP with future values vs hindsight.

Registered on ``tradewind bench`` by ``bench_sourcing.register(bench.app)`` in ``main.py``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tradewind.fulfillment.sourcing_lp import LpParams
from tradewind.platform.cli.output import emit, err_console
from tradewind_bench.sourcing.instance import InstanceParams
from tradewind_bench.sourcing.runner import BenchParams, run_sourcing_bench


def sourcing(
    days: Annotated[int, typer.Option("--days", min=1, help="Horizon in days.")] = 3,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    orders_per_day: Annotated[
        int, typer.Option("--orders-per-day", min=1, help="Orders/day over the chosen sites.")
    ] = 1_500,
    regionalize: Annotated[
        bool,
        typer.Option("--regionalize/--no-regionalize", help="Ship in-region unless out of stock."),
    ] = False,
    sites: Annotated[str, typer.Option("--sites", help="Comma-separated site ids.")] = "US",
    batch_minutes: Annotated[
        int, typer.Option("--batch-minutes", min=1, help="Orders batched per window.")
    ] = 15,
    cover: Annotated[
        float, typer.Option("--cover", min=0.1, help="Stock = cover x expected demand per SKU.")
    ] = 1.5,
    placement: Annotated[
        str,
        typer.Option(
            "--placement", help="generator (world's FCs) or regional (split by region demand)."
        ),
    ] = "regional",
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds per batch MIP before greedy fallback.")
    ] = 0.25,
    future_weight: Annotated[
        float,
        typer.Option("--future-weight", help="Scale on fluid-LP future values (0 = ablation)."),
    ] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Replay a seeded order stream with greedy and LP sourcing; print costs and gap closed."""
    params = BenchParams(
        InstanceParams(
            days=days,
            seed=seed,
            orders_per_day=orders_per_day,
            sites=tuple(s.strip().upper() for s in sites.split(",") if s.strip()),
            batch_minutes=batch_minutes,
            cover=cover,
            placement=placement,
        ),
        regionalize=regionalize,
        lp=LpParams(time_limit_s=time_limit, future_weight=future_weight),
    )
    err_console.print(
        f"sourcing bench: {days} days, {orders_per_day} orders/day, sites {sites}, "
        f"seed {seed}, regionalize={regionalize}",
        soft_wrap=True,
    )
    try:
        report = run_sourcing_bench(params)
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from None
    emit(report, as_json=as_json, title="bench sourcing")


def register(bench_app: typer.Typer) -> None:
    """Add the ``sourcing`` command to the ``tradewind bench`` sub-app."""
    bench_app.command("sourcing")(sourcing)
