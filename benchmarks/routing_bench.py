"""Run ``bench routing`` without the main CLI wiring (same code path as ``tradewind bench``).

Usage: ``python benchmarks/routing_bench.py routing --instances DIR --bks FILE --time-limit S``.
``tradewind bench routing`` (registered in ``tradewind/platform/cli/main.py``) is identical.
"""

from __future__ import annotations

import typer

from tradewind_bench.routing import cli as bench_routing

app = typer.Typer(add_completion=False, no_args_is_help=True)
bench_routing.register(app)


@app.callback()
def main() -> None:
    """Routing benchmarks."""


if __name__ == "__main__":
    app()
