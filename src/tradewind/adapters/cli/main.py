"""The ``tradewind`` command line. Each context registers a sub-app here."""

from __future__ import annotations

import typer

from tradewind.adapters.cli import bench

app = typer.Typer(
    name="tradewind",
    help="Tradewind: marketplace, fulfillment network and simulated world.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(bench.app, name="bench")


def main() -> None:  # pragma: no cover - console entry point
    app()
