"""``tradewind orders ...``: find orders."""

from __future__ import annotations

import typer

from tradewind.adapters.cli.output import emit
from tradewind.bootstrap import bootstrap

app = typer.Typer(help="Orders.", no_args_is_help=True)


@app.command("list")
def list_orders(
    limit: int = typer.Option(20, min=1, max=1000), as_json: bool = typer.Option(False, "--json")
) -> None:
    """Recent orders, newest first."""
    emit(bootstrap().views.orders(limit=limit), as_json=as_json)


@app.command("show")
def show(order_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """One order with its lines and shipments."""
    order = bootstrap().views.order(order_id)
    if order is None:
        typer.echo(f"no order {order_id}", err=True)
        raise typer.Exit(1)
    emit(order, as_json=as_json)
