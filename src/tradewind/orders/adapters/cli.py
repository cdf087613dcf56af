"""``tradewind orders ...``: find orders, refund a parcel."""

from __future__ import annotations

import typer

from tradewind.bootstrap import bootstrap
from tradewind.orders.commands import RefundShipment
from tradewind.platform.cli.output import domain_error, emit
from tradewind.shared.errors import TradewindError

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


@app.command("refund")
def refund(
    order_id: str = typer.Option(..., "--order"),
    shipment_id: str = typer.Option(..., "--shipment"),
    reason: str = typer.Option(..., "--reason", help="why, kept with the refund (e.g. lost)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Pay the shopper back for one parcel that will not reach them: its items, shipping and
    import charges. Safe to repeat: a parcel is refunded once."""
    try:
        r = bootstrap().bus.handle(RefundShipment(order_id, shipment_id, reason))
    except TradewindError as exc:
        raise domain_error(exc, as_json) from exc
    emit(
        {
            "order_id": r.order_id,
            "shipment_id": r.shipment_id,
            "refunded_minor": r.amount.amount,
            "currency": r.amount.currency,
            "already_refunded": r.replayed,
        },
        as_json=as_json,
    )
