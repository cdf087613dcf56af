"""Pooling the simulated bench over seeds: Wilson intervals and summed counts."""

from __future__ import annotations

from typing import Any

import pytest

from tradewind_bench.governance import simulated_pooled
from tradewind_bench.governance.cli import print_pooled
from tradewind_bench.governance.simulated import SimulatedBenchSettings
from tradewind_bench.governance.simulated_pooled import pool_reports, wilson_interval


def test_wilson_interval_matches_published_values() -> None:
    """0 of 10 and 5 of 10 (Wilson 95 %: 0-0.2775 and 0.2366-0.7634, Newcombe 1998)."""
    lo, hi = wilson_interval(0, 10) or (None, None)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = wilson_interval(5, 10) or (None, None)
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)  # type: ignore[index]
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def _report(seed: int, tp: int, pos: int, fp: int, neg: int) -> dict[str, Any]:
    recall, fpr = tp / pos, fp / neg
    return {
        "settings": {"seed": seed},
        "simulation": {"seconds": 1.0},
        "evaluation_seconds": 0.5,
        "detectors": {
            "tax_id": {
                "positives": pos,
                "negatives": neg,
                "true_positives": tp,
                "false_positives": fp,
                "recall": recall,
                "false_positive_rate": fpr,
                "meets_goal": recall >= 0.95 and fpr <= 0.01,
            }
        },
    }


def test_pooled_counts_are_sums_and_the_goal_is_judged_on_them() -> None:
    """Seed 1 misses one of six (0.83), seed 2 none of six: neither the miss nor the hits
    disappear in the pool (11 of 12), which is below the goal while one seed met it."""
    out = pool_reports([_report(1, 5, 6, 1, 100), _report(2, 6, 6, 0, 120)])
    tax = out["pooled"]["tax_id"]
    assert (tax["positives"], tax["true_positives"], tax["negatives"], tax["false_positives"]) == (
        12,
        11,
        220,
        1,
    )
    assert tax["recall"] == round(11 / 12, 4) and tax["false_positive_rate"] == round(1 / 220, 4)
    lo, hi = tax["recall_ci95"]
    assert lo < 11 / 12 < hi <= 1.0
    assert tax["seeds_meeting_goal"] == 1 and not tax["meets_goal"]
    assert out["seeds"] == [1, 2] and out["seeds_all_types_meet_goal"] == 1
    assert not out["all_types_meet_goal_pooled"]


def test_goal_compares_unrounded_ratios() -> None:
    """189,999 of 200,000 is 0.949995: it rounds to 0.95 in the report but misses the goal."""
    out = pool_reports([_report(3, 189_999, 200_000, 0, 100)])
    assert out["pooled"]["tax_id"]["recall"] == 0.95 and not out["pooled"]["tax_id"]["meets_goal"]


def test_nothing_to_pool_is_an_error() -> None:
    with pytest.raises(ValueError, match="no reports"):
        pool_reports([])


def test_pooled_figures_print_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json the pooled run prints one row per detector and the seed count."""
    out = pool_reports([_report(1, 5, 6, 1, 100), _report(2, 6, 6, 0, 120)])
    print_pooled({**out, "seconds": 1.5})
    text = capsys.readouterr().out
    assert "seeds 1-2 pooled" in text and "tax_id" in text and "11/12" in text
    assert "not met" in text and "1 of 2" in text


def test_a_failing_seed_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight seeds take a quarter of an hour: the error says which one failed."""

    def fail(s: SimulatedBenchSettings, say: object) -> dict[str, Any]:
        raise ValueError("disk full")

    monkeypatch.setattr(simulated_pooled, "run_simulated_bench", fail)
    with pytest.raises(RuntimeError, match="seed 5 failed: disk full"):
        simulated_pooled.run_seeds(SimulatedBenchSettings(seed=5), 2, 1, say=lambda _: None)
