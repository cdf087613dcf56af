"""``tradewind orders ...``: find orders, refund a parcel."""

from __future__ import annotations

from datetime import timedelta

import typer

from tradewind.bootstrap import bootstrap
from tradewind.orders.commands import RefundShipment, SweepPendingOrders
from tradewind.orders.sweep import PENDING_TIMEOUT, sweep_cutoff
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


@app.command("sweep")
def sweep(
    older_than_s: float = typer.Option(
        PENDING_TIMEOUT.total_seconds(), min=0, help="pending for longer than this many seconds"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Fail the orders a crashed checkout left pending payment (older than the timeout) and
    give their reserved stock back; a retry with their Idempotency-Key then answers
    ``payment_timeout``. Safe to run at any time, also while checkouts run."""
    from tradewind.platform.check import world_now

    c = bootstrap()
    with c.engine.connect() as conn:
        now = world_now(conn)
    cutoff = sweep_cutoff(now, timedelta(seconds=older_than_s))
    released = c.bus.handle(SweepPendingOrders(cutoff))
    emit({"released": len(released), "order_ids": released, "cutoff": cutoff}, as_json=as_json)
