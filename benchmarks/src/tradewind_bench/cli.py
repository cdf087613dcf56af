"""``tradewind bench <name>``: benchmarks that print what they measured.

Each benchmark lives in its own module under ``tradewind.adapters.cli`` (or a context's
adapter) and registers a command on this sub-app.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Benchmarks: they print figures (use --json), they are not tests.", no_args_is_help=True
)
