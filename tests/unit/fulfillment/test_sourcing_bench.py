"""Smoke test of the sourcing bench on a tiny, seeded, in-memory instance."""

from __future__ import annotations

from tradewind_bench.sourcing.instance import InstanceParams, build_instance
from tradewind_bench.sourcing.runner import BenchParams, run_sourcing_bench


def test_bench_reports_every_figure_and_the_bound_holds():
    """Orders replayed both ways; hindsight <= LP and myopic; figures named as documented."""
    params = BenchParams(InstanceParams(days=1, orders_per_day=120, products=300))
    report = run_sourcing_bench(params)
    for key in (
        "orders", "myopic_cost", "lp_cost", "hindsight_cost", "gap_closed",
        "split_rate_myopic", "split_rate_lp", "in_region_share_myopic", "in_region_share_lp",
        "avg_km_myopic", "avg_km_lp", "solve_ms_p95", "settings", "machine",
    ):  # fmt: skip
        assert key in report
    assert report["orders"] > 0 and report["lp_fallbacks"] == 0
    assert report["hindsight_cost"] <= min(report["lp_cost"], report["myopic_cost"]) + 0.01


def test_instance_is_deterministic_for_a_seed():
    """Same seed, same stream and stock."""
    a, b = (build_instance(InstanceParams(days=1, orders_per_day=50, products=200)) for _ in "ab")
    assert a.orders == b.orders and a.stock == b.stock
