"""The simulated governance bench end to end: a tiny world, a few simulated hours, injected bad
actors, detectors and policy in simulated time, and the report's shape and sanity."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from tradewind.platform.cli import output
from tradewind_bench.governance import cli as bench_governance
from tradewind_bench.governance.simulated import SimulatedBenchSettings, run_simulated_bench

DETECTORS = {"brushing", "fake_review", "follow_sell", "unit_code", "tax_id", "undervaluation"}
METRICS = {
    "injected_type",
    "unit",
    "positives",
    "negatives",
    "true_positives",
    "false_positives",
    "recall",
    "false_positive_rate",
    "precision",
    "time_to_action_hours",
    "meets_goal",
    "example_case",
}
# Reference counts of the small fixed seed below (seed 0, 0.25 days, 800 orders/day, 120
# products, 300 customers, 30 sellers), measured identical on SQLite and PostgreSQL:
# (positives, negatives, true positives, false positives) per detector. Recall and FPR are
# their ratios. A deliberate change of a detector or of the injection re-pins them.
REFERENCE_ORDERS = 217
REFERENCE = {
    "brushing": (2, 35, 0, 0),
    "fake_review": (1, 0, 1, 0),
    "follow_sell": (1, 10, 1, 0),
    "tax_id": (2, 28, 2, 0),
    "undervaluation": (3, 18, 3, 0),
    "unit_code": (118, 2542, 118, 23),
}


def _assert_reference_figures(report: dict) -> None:
    """Counts exact, recall and FPR equal to their ratios as reported (4 places)."""
    assert report["simulation"]["orders_placed"] == REFERENCE_ORDERS
    for name, (pos, neg, tp, fp) in REFERENCE.items():
        m = report["detectors"][name]
        counts = (m["positives"], m["negatives"], m["true_positives"], m["false_positives"])
        assert counts == (pos, neg, tp, fp), name
        assert m["recall"] == round(tp / pos, 4), name
        assert m["false_positive_rate"] == (round(fp / neg, 4) if neg else None), name


def test_simulated_bench_reports_every_detector_with_sane_values() -> None:
    """The seed's pinned counts, recall and FPR per detector; rates in [0, 1], non-negative
    times to action, and a detected case carries its audit trail (actor, reason) and appeal
    path."""
    s = SimulatedBenchSettings(
        seed=0,
        days=0.25,
        orders_per_day=800,
        products=120,
        customers=300,
        sellers=30,
        review_days=2.0,
    )
    report = run_simulated_bench(s)
    assert set(report["detectors"]) == DETECTORS
    _assert_reference_figures(report)
    for name, m in report["detectors"].items():
        assert set(m) >= METRICS, name
        assert m["positives"] >= 1 and m["negatives"] >= 0, name
        assert m["true_positives"] <= m["positives"] and m["false_positives"] <= m["negatives"]
        for key in ("recall", "false_positive_rate", "precision"):
            assert m[key] is None or 0.0 <= m[key] <= 1.0, (name, key)
        if m["time_to_action_hours"] is not None:
            assert m["time_to_action_hours"] >= 0.0
        case = m["example_case"]
        if case is not None:
            assert case["audit_chain_ok"] and case["audit"][0]["actor"].startswith("system:")
            assert all(e["reason"] for e in case["audit"]) and "appeal case" in case["appeal_path"]
    buys = report["detectors"]["follow_sell"]["test_buys"]
    assert 0 <= buys["failed_inspection"] <= buys["ordered"]
    unit = report["detectors"]["unit_code"]
    assert unit["true_positives"] >= 1, "fabricated codes are always rejected at receiving"
    assert report["settings"]["seed"] == 0 and report["fraud_params"]["rate"] == 0.05


def test_bench_command_runs_the_simulated_dataset(tmp_path, monkeypatch) -> None:
    """`bench governance --dataset simulated --json` prints machine info and settings."""
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(
        _bench(),
        [
            "bench",
            "governance",
            "--dataset",
            "simulated",
            "--days",
            "0.1",
            "--seed",
            "1",
            "--world",
            "small",
            "--orders-per-day",
            "400",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["dataset"] == "simulated" and set(out["detectors"]) == DETECTORS
    assert out["settings"]["days"] == 0.1 and out["settings"]["seed"] == 1
    assert {"cpu_count", "python"} <= set(out["machine"]) and out["seconds"] > 0


def test_bench_command_pools_several_seeds(tmp_path, monkeypatch) -> None:
    """`--repeats 2 --jobs 2`: two seeds in two processes, each a whole run; the pooled
    counts are the sums of the per-seed counts; each seed's summary is one progress line,
    however long (a log is read line by line)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(output.err_console, "width", 40)  # narrower than any summary line
    args = ["bench", "governance", "--dataset", "simulated", "--days", "0.1", "--seed", "3"]
    args += ["--world", "small", "--orders-per-day", "400", "--repeats", "2", "--jobs", "2"]
    res = CliRunner().invoke(_bench(), [*args, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["seeds"] == [3, 4] and [r["seed"] for r in out["runs"]] == [3, 4]
    assert set(out["pooled"]) == DETECTORS and out["settings"]["repeats"] == 2
    for name, pooled in out["pooled"].items():
        for key in ("positives", "negatives", "true_positives", "false_positives"):
            assert pooled[key] == sum(r["detectors"][name][key] for r in out["runs"]), name
        assert 0 <= pooled["seeds_meeting_goal"] <= 2
        lo, hi = pooled["recall_ci95"]
        assert 0.0 <= lo <= pooled["recall"] <= hi <= 1.0
    done = [line for line in res.stderr.splitlines() if line.startswith("seed ")]
    assert len(done) == 2, res.stderr
    assert all("); below the goal: " in line and not line.endswith(": ") for line in done)


def _bench() -> typer.Typer:
    """A ``bench`` sub-app with only the governance command (``main.py`` registers the real
    one the same way)."""
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root."""

    bench = typer.Typer()
    bench_governance.register(bench)
    app.add_typer(bench, name="bench")
    return app
