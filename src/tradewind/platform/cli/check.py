"""``tradewind check``: the database's invariants (platform/check.py); exit 1 on violations."""

from __future__ import annotations

from datetime import timedelta

import typer

from tradewind.orders.sweep import PENDING_TIMEOUT
from tradewind.platform.check import run_checks
from tradewind.platform.cli.output import console, emit


def check_command(
    pending_timeout_s: float = typer.Option(
        PENDING_TIMEOUT.total_seconds(),
        min=0,
        help="an order pending payment for longer is a violation (the sweeper's timeout)",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Check ledger balance, stock, reservations, shipment statuses against tracking, orphans,
    order completeness and stale pending orders; print violations per check with example ids."""
    from tradewind.bootstrap import bootstrap

    report = run_checks(bootstrap().engine, pending_timeout=timedelta(seconds=pending_timeout_s))
    if as_json:
        emit(report.as_dict(), as_json=True)
    else:
        for c in report.checks:
            mark = "[green]ok[/]" if not c.violations else f"[red]{c.violations}[/]"
            console.print(f"{c.name:36} {mark} {' '.join(c.examples)}")
        console.print(f"violations: {report.violations}")
    if report.violations:
        raise typer.Exit(1)
