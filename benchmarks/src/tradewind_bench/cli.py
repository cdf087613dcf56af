"""``tradewind bench <name>``: benchmarks that print what they measured.

The evaluation harness, apart from the product: each benchmark registers a command on this
sub-app, which the product's CLI finds through the ``tradewind.bench`` entry point.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Benchmarks: they print figures (use --json), they are not tests.", no_args_is_help=True
)


def _register_all() -> None:
    from tradewind_bench import customs, http, search
    from tradewind_bench.checkout import cli as checkout
    from tradewind_bench.governance import cli as governance
    from tradewind_bench.routing import cli as routing
    from tradewind_bench.sourcing import cli as sourcing

    for module in (checkout, customs, governance, http, routing, search, sourcing):
        module.register(app)


_register_all()
