"""``tradewind bench checkout``."""

from __future__ import annotations

import typer

from tradewind.platform.cli.output import emit, err_console


def register(bench_app: typer.Typer) -> None:
    @bench_app.command("checkout")
    def checkout(
        seconds: float = typer.Option(10.0, min=0.5, help="seconds per phase (raw, then service)"),
        concurrency: int = typer.Option(8, min=1, max=256, help="concurrent checkout threads"),
        seed: int = typer.Option(0, help="workload seed"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Checkouts/s, latency and SQL statements per checkout vs the same transaction in
        raw SQL, on TRADEWIND_DATABASE_URL (its fixture is created and removed)."""
        from tradewind.platform.db.engine import make_engine
        from tradewind.platform.db.migrate import upgrade
        from tradewind.platform.settings import get_settings
        from tradewind_bench.checkout.run import run_checkout_bench

        settings = get_settings()
        upgrade(settings.database_url)
        engine = make_engine(settings.database_url, pool_size=concurrency + 2)
        err_console.print(
            f"bench checkout: {seconds}s of raw SQL and {seconds}s of the service, in "
            f"alternating rounds, {concurrency} threads ..."
        )
        report = run_checkout_bench(engine, seconds=seconds, concurrency=concurrency, seed=seed)
        emit(report, as_json=as_json, title="checkout benchmark")
        if report["oversold_units"]:
            raise typer.Exit(3)
